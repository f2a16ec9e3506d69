// Shared set-up for the emulator's conformance tests: keys (generated once per file), apps, signing.
import { generateKeyPair, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { startEmulator } from '../../src/core/emulator/server.ts';
import type { EmulatorAppConfig, RunningEmulator } from '../../src/core/emulator/server.ts';
import { ALL_HELLO_WORLD_PRODUCTS } from '../../src/core/emulator/demoApp.ts';

const gen = promisify(generateKeyPair);

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
export const REDIRECT = 'https://app.example/callback';
export const ALL_PRODUCTS: string[] = [...ALL_HELLO_WORLD_PRODUCTS];

export interface Fixture {
  emulator: RunningEmulator;
  key: KeyObject;
  otherKey: KeyObject;
  jwksServer: Server;
  jwksHits: () => number;
  apps: Record<
    'main' | 'noKey' | 'revoked' | 'appOnly' | 'userOnly' | 'jwksUrl' | 'deadJwks' | 'p9Only',
    EmulatorAppConfig
  >;
  close(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  const [{ privateKey: key, publicKey }, { privateKey: otherKey }] = await Promise.all([
    gen('rsa', { modulusLength: 4096 }),
    gen('rsa', { modulusLength: 2048 }),
  ]);
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'test-1', use: 'sig' } as Record<
    string,
    unknown
  >;
  let hits = 0;
  const jwksServer = createServer((req, res) => {
    hits += 1;
    if (req.headers['user-agent'] !== 'APIM') {
      res.writeHead(403).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  const jwksPort = (jwksServer.address() as { port: number }).port;
  const dead = createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const deadPort = (dead.address() as { port: number }).port;
  await new Promise<void>((r) => dead.close(() => r()));

  const base = { clientSecret: 'secret-1', redirectUri: REDIRECT, jwks: { keys: [jwk] } };
  const apps: Fixture['apps'] = {
    main: { name: 'Main', apiKey: 'main-key', ...base, products: ALL_PRODUCTS },
    noKey: { name: 'No key', apiKey: 'nokey-key', clientSecret: 'secret-2', products: ALL_PRODUCTS },
    revoked: { name: 'Revoked', apiKey: 'revoked-key', ...base, products: ALL_PRODUCTS, status: 'revoked' },
    appOnly: {
      name: 'App only',
      apiKey: 'apponly-key',
      ...base,
      products: ['urn:nhsd:apim:app:level3:hello-world'],
    },
    userOnly: {
      name: 'User only',
      apiKey: 'useronly-key',
      ...base,
      products: ['urn:nhsd:apim:user-nhs-cis2:aal3:hello-world'],
    },
    p9Only: {
      name: 'P9 only',
      apiKey: 'p9only-key',
      ...base,
      products: ['urn:nhsd:apim:user-nhs-login:P9:hello-world'],
    },
    jwksUrl: {
      name: 'JWKS URL',
      apiKey: 'jwksurl-key',
      clientSecret: 's',
      jwksUrl: `http://127.0.0.1:${jwksPort}/jwks.json`,
      products: ALL_PRODUCTS,
    },
    deadJwks: {
      name: 'Dead JWKS',
      apiKey: 'deadjwks-key',
      clientSecret: 's',
      jwksUrl: `http://127.0.0.1:${deadPort}/jwks.json`,
      products: ALL_PRODUCTS,
    },
  };
  const emulator = await startEmulator({ apps: Object.values(apps) });
  return {
    emulator,
    key,
    otherKey,
    jwksServer,
    jwksHits: () => hits,
    apps,
    async close() {
      await emulator.close();
      jwksServer.closeAllConnections();
      await new Promise<void>((r) => jwksServer.close(() => r()));
    },
  };
}

export interface SignOptions {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  omit?: string[];
  key?: KeyObject;
}

/** A client assertion for `apiKey` against `aud`, tweakable per test. */
export async function assertion(
  f: Fixture,
  apiKey: string,
  o: SignOptions = {},
  aud = f.emulator.tokenUrl(),
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: apiKey,
    sub: apiKey,
    aud,
    jti: randomUUID(),
    exp: now + 300,
    ...o.claims,
  };
  const header: Record<string, unknown> = { alg: 'RS512', typ: 'JWT', kid: 'test-1', ...o.header };
  for (const k of o.omit ?? []) {
    delete claims[k];
    delete header[k];
  }
  const alg = header.alg as string;
  if (alg !== 'RS512') {
    // jose refuses to sign RS512 keys under another alg name only for HS*; build by hand instead.
    const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    return `${enc(header)}.${enc(claims)}.c2lnbmF0dXJl`;
  }
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(o.key ?? f.key);
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

export async function http(url: string, init: RequestInit = {}): Promise<HttpResult> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON: tests look at text */
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function postForm(
  url: string,
  form: Record<string, string>,
  contentType = 'application/x-www-form-urlencoded',
): Promise<HttpResult> {
  return http(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new URLSearchParams(form).toString(),
  });
}

export function clientCredentialsForm(
  clientAssertion: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: clientAssertion,
    ...extra,
  };
}

export const MESSAGE_ID = /^rrt-\d{19}-c-geu2-\d+-\d+-\d+$/;

/** An OAuth-style platform error: exactly these keys, this status and description, a real message_id. */
export function expectError(res: HttpResult, status: number, error: string, description: string): void {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(Object.keys(res.json).sort(), ['error', 'error_description', 'message_id']);
  assert.equal(res.json.error, error);
  assert.equal(res.json.error_description, description);
  assert.match(String(res.json.message_id), MESSAGE_ID);
}

// The ID-token pre-flight on tokens from the emulator's mock identity providers, through
// `nhs-auth lint --subject-token`, and its prediction checked against what the token exchange answers.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startEmulator } from '../../src/core/emulator/server.ts';
import type { RunningEmulator } from '../../src/core/emulator/server.ts';
import { mockSignIn } from '../../src/core/emulator/mockSignIn.ts';
import { signClientAssertion } from '../../src/core/assertion/signClientAssertion.ts';
import { preflightIdToken } from '../../src/core/preflight/idTokenPreflight.ts';
import { main } from '../../src/cli/main.ts';
import { capture } from '../cliIo.ts';

let emu: RunningEmulator;
let dir: string;

async function signIn(provider: 'nhs-login' | 'cis2', username: string): Promise<string> {
  const d = emu.demo!;
  return mockSignIn(emu.url, {
    provider,
    username,
    clientId: d.app.apiKey,
    clientSecret: d.app.clientSecret ?? '',
    redirectUri: d.app.redirectUri!,
  });
}

/** What the emulator's token exchange answers for this subject token. */
async function exchange(subjectToken: string): Promise<{ status: number; body: Record<string, string> }> {
  const d = emu.demo!;
  const tokenUrl = emu.tokenUrl();
  const assertion = await signClientAssertion({
    privateKeyPem: d.privateKeyPem,
    kid: d.kid,
    apiKey: d.app.apiKey,
    tokenUrl,
  });
  const res = await request(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      subject_token: subjectToken,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString(),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, string> };
}

/** A mock-IdP token with its header or claims changed (the signature no longer matters: claims are checked first). */
function tamper(
  token: string,
  header: (h: Record<string, unknown>) => void,
  payload: (p: Record<string, unknown>) => void,
): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const hj = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
  const pj = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  header(hj);
  payload(pj);
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc(hj)}.${enc(pj)}.${s}`;
}

before(async () => {
  emu = await startEmulator({ demoApp: true });
  dir = await mkdtemp(join(tmpdir(), 'nhs-auth-subject-token-'));
});
after(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

describe('nhs-auth lint --subject-token', () => {
  test("a P9 NHS login token on Local against the demo app's products: OK, exit 0 (from a file)", async () => {
    const file = join(dir, 'id-token.jwt');
    await writeFile(file, `${await signIn('nhs-login', '9912003071')}\n`, { mode: 0o600 });
    const io = capture();
    const code = await main(
      [
        'lint',
        '--subject-token',
        `@${file}`,
        '--env',
        'local',
        '--token-url',
        emu.tokenUrl(),
        '--scope',
        'urn:nhsd:apim:user-nhs-login:P9:hello-world',
      ],
      io,
    );
    assert.equal(code, 0, io.stdout.join('\n') + io.stderr.join('\n'));
    assert.match(io.stdout.join('\n'), /^OK: the Local emulator token exchange should accept/m);
  });

  test('the same kind of token sent to Integration: the issuer is not one the platform knows, exit 1', async () => {
    const io = capture();
    const code = await main(
      ['lint', '--subject-token', await signIn('nhs-login', '9912003071'), '--env', 'int', '--json'],
      io,
    );
    assert.equal(code, 1);
    const findings = JSON.parse(io.stdout.join('\n')) as {
      rule: string;
      platformError?: { error_description: string };
    }[];
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['id-token-issuer'],
    );
    assert.equal(
      findings[0]!.platformError?.error_description,
      "Missing or non-matching 'iss' claim in subject_token JWT",
    );
  });

  test('an AAL2 CIS2 user when the products need AAL3: unauthorized_client predicted', async () => {
    const token = await signIn('cis2', '656005750109');
    const io = capture();
    assert.equal(
      await main(
        [
          'lint',
          '--subject-token',
          token,
          '--env',
          'local',
          '--token-url',
          emu.tokenUrl(),
          '--level',
          'aal3',
        ],
        io,
      ),
      1,
    );
    assert.match(io.stdout.join('\n'), /\[id-token-level\].*AAL2.*aal3/);
    assert.match(io.stdout.join('\n'), /platform: HTTP 401 \{"error":"unauthorized_client"/);
  });

  test('--env is required and must be known', async () => {
    const io = capture();
    assert.equal(await main(['lint', '--subject-token', 'a.b.c'], io), 1);
    assert.match(io.stderr.join('\n'), /ERR_ARGUMENT: lint --subject-token needs --env/);
  });
});

describe("the pre-flight predicts the token exchange's answer", () => {
  test('a fresh mock token passes the pre-flight and the exchange', async () => {
    const token = await signIn('cis2', '656005750104');
    assert.deepEqual(preflightIdToken(token, { environmentId: 'local', emulatorUrl: emu.url }), []);
    assert.equal((await exchange(token)).status, 200);
  });

  test('each defect: the first pre-flight error is the error the exchange returns', async () => {
    const fresh = await signIn('nhs-login', '9912003071');
    const defects: [string, (h: Record<string, unknown>) => void, (p: Record<string, unknown>) => void][] = [
      [
        'no kid',
        (h) => {
          delete h.kid;
        },
        () => {},
      ],
      [
        'typ at+jwt',
        (h) => {
          h.typ = 'at+jwt';
        },
        () => {},
      ],
      [
        'no alg',
        (h) => {
          delete h.alg;
        },
        () => {},
      ],
      [
        'no exp',
        () => {},
        (p) => {
          delete p.exp;
        },
      ],
      [
        'exp a string',
        () => {},
        (p) => {
          p.exp = String(p.exp);
        },
      ],
      [
        'expired',
        () => {},
        (p) => {
          p.exp = Math.floor(Date.now() / 1000) - 60;
        },
      ],
      [
        'no iss',
        () => {},
        (p) => {
          delete p.iss;
        },
      ],
      [
        'no aud',
        () => {},
        (p) => {
          delete p.aud;
        },
      ],
      [
        'foreign iss',
        () => {},
        (p) => {
          p.iss = 'https://idp.example/realms/x';
        },
      ],
    ];
    for (const [name, h, p] of defects) {
      const token = tamper(fresh, h, p);
      const first = preflightIdToken(token, { environmentId: 'local', emulatorUrl: emu.url }).find(
        (f) => f.severity === 'error',
      );
      assert.ok(first?.platformError, `${name}: the pre-flight found no error`);
      const answer = await exchange(token);
      assert.equal(answer.body.error_description, first.platformError.error_description, name);
      assert.equal(answer.status, first.platformError.status, name);
    }
  });
});

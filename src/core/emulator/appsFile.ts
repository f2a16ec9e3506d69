// Parses and validates app registrations (the --apps file, POST /_emulator/apps, addApp).
import { AuthExplorerError } from '../errors.ts';
import type { EmulatorAppConfig } from './types.ts';

function fail(message: string): never {
  throw new AuthExplorerError('ERR_APPS_FILE', message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(o: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0)
    fail(`${where}.${key} must be a non-empty string when present`);
  return v;
}

function httpUrl(value: string, field: string): void {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    fail(`${field} must be an absolute URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') fail(`${field} must be an http or https URL`);
}

/** Validates one app object; `where` names it in messages, e.g. "apps[0]". */
export function validateApp(value: unknown, where = 'app'): EmulatorAppConfig {
  if (!isRecord(value)) fail(`${where} must be an object`);
  for (const key of ['name', 'apiKey'] as const) {
    const v = value[key];
    if (typeof v !== 'string' || v.trim().length === 0) fail(`${where}.${key} must be a non-empty string`);
  }
  const apiKey = value.apiKey as string;
  if (!/^[\x21-\x7e]+$/.test(apiKey)) fail(`${where}.apiKey must be printable ASCII without spaces`);
  const clientSecret = optionalString(value, 'clientSecret', where);
  const jwksUrl = optionalString(value, 'jwksUrl', where);
  if (jwksUrl !== undefined) httpUrl(jwksUrl, `${where}.jwksUrl`);
  const redirectUri = optionalString(value, 'redirectUri', where);
  if (redirectUri !== undefined) httpUrl(redirectUri, `${where}.redirectUri`);
  let jwks: EmulatorAppConfig['jwks'];
  if (value.jwks !== undefined) {
    if (!isRecord(value.jwks) || !Array.isArray(value.jwks.keys))
      fail(`${where}.jwks must be an object with a "keys" array`);
    value.jwks.keys.forEach((k, i) => {
      if (!isRecord(k)) fail(`${where}.jwks.keys[${i}] must be an object`);
      if (typeof k.kty !== 'string') fail(`${where}.jwks.keys[${i}].kty must be a string`);
      if (k.kid !== undefined && typeof k.kid !== 'string')
        fail(`${where}.jwks.keys[${i}].kid must be a string`);
    });
    jwks = { keys: (value.jwks.keys as Record<string, unknown>[]).map((k) => ({ ...k })) };
  }
  if (!Array.isArray(value.products)) fail(`${where}.products must be an array of strings`);
  const products = value.products.map((p, i) => {
    if (typeof p !== 'string' || p.length === 0) fail(`${where}.products[${i}] must be a non-empty string`);
    return p;
  });
  let otherProducts: string[] | undefined;
  if (value.otherProducts !== undefined) {
    if (!Array.isArray(value.otherProducts)) fail(`${where}.otherProducts must be an array of strings`);
    otherProducts = value.otherProducts.map((p, i) => {
      if (typeof p !== 'string' || p.length === 0)
        fail(`${where}.otherProducts[${i}] must be a non-empty string`);
      return p;
    });
  }
  const status = value.status;
  if (status !== undefined && status !== 'approved' && status !== 'revoked')
    fail(`${where}.status must be "approved" or "revoked"`);
  const app: EmulatorAppConfig = { name: value.name as string, apiKey, products };
  if (clientSecret !== undefined) app.clientSecret = clientSecret;
  if (jwks !== undefined) app.jwks = jwks;
  if (jwksUrl !== undefined) app.jwksUrl = jwksUrl;
  if (redirectUri !== undefined) app.redirectUri = redirectUri;
  if (status !== undefined) app.status = status;
  if (otherProducts !== undefined) app.otherProducts = otherProducts;
  return app;
}

/** Parses an apps file: a JSON array of apps, or `{"apps": [...]}`. */
export function parseAppsFile(text: string): EmulatorAppConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AuthExplorerError('ERR_APPS_FILE', `apps file is not valid JSON: ${(e as Error).message}`);
  }
  const list = isRecord(parsed) ? parsed.apps : parsed;
  if (!Array.isArray(list)) fail('apps file must be a JSON array of apps or an object with an "apps" array');
  const apps = list.map((a, i) => validateApp(a, `apps[${i}]`));
  const seen = new Set<string>();
  apps.forEach((a, i) => {
    if (seen.has(a.apiKey)) fail(`apps[${i}].apiKey duplicates an earlier app's apiKey`);
    seen.add(a.apiKey);
  });
  return apps;
}

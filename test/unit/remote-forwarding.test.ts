// Remote windows: whether a forwarded callback can still receive the platform's redirect, how that is
// explained, and the emulator answering at its forwarded address (and nowhere else).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { compareForwardedRedirect } from '../../src/core/token/forwardedRedirect.ts';
import { explainError } from '../../src/core/explain/explainError.ts';
import { AuthExplorerError } from '../../src/core/errors.ts';
import { startEmulator } from '../../src/core/emulator/server.ts';

describe('compareForwardedRedirect', () => {
  const cb = 'http://127.0.0.1:8765/callback';
  test('local, or forwarded to the same port (Remote-SSH, WSL, Dev Containers with the port free): same', () => {
    assert.deepEqual(compareForwardedRedirect(cb, cb), { kind: 'same' });
    assert.deepEqual(compareForwardedRedirect(cb, 'http://localhost:8765/callback'), { kind: 'same' });
  });
  test('forwarded to another local port: mismatch', () => {
    assert.equal(compareForwardedRedirect(cb, 'http://localhost:8766/callback').kind, 'mismatch');
  });
  test('Codespaces in the browser: https://*.app.github.dev never matches', () => {
    const v = compareForwardedRedirect(cb, 'https://fluffy-space-8765.app.github.dev/callback');
    assert.equal(v.kind, 'mismatch');
    const x = explainError(
      new AuthExplorerError('ERR_REDIRECT_FORWARDED', 'm', {
        redirectUri: cb,
        external: 'https://fluffy-space-8765.app.github.dev/callback',
      }),
    );
    assert.equal(x.id, 'redirect-forwarded');
    assert.ok(x.causes.some((c) => c.includes('app.github.dev')));
    assert.match(x.fix, /client-credentials/);
  });
  test('a workbench port proxy on loopback (code-server /proxy/<port>/): proxied', () => {
    assert.equal(compareForwardedRedirect(cb, 'http://127.0.0.1:8717/proxy/8765/callback').kind, 'proxied');
  });
});

describe('the emulator at a forwarded address', () => {
  test('answers at the forwarded host once told, still refuses other hosts', async () => {
    const emu = await startEmulator({ demoApp: false });
    try {
      const at = (host: string) =>
        request(`${emu.url}/oauth2/.well-known/openid-configuration`, { headers: { host } });
      const forwardedHost = 'fluffy-space-4010.app.github.dev';
      assert.equal((await at(forwardedHost)).statusCode, 421);
      emu.allowForwardedOrigin(`https://${forwardedHost}`);
      const r = await at(forwardedHost);
      const text = await r.body.text();
      assert.notEqual(r.statusCode, 421, text);
      assert.equal((await at('evil.example')).statusCode, 421);
    } finally {
      await emu.close();
    }
  });
});

import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';
import type { HttpResponse } from '../../src/core/http/httpRequest.ts';
import { activateExtension, activatePublicApi } from './extensionApi.ts';
import { assertAbsent, placesSecretsMustNotBe } from './secretScan.ts';

/** Plays the browser: follows /authorize to the mock IdP's form, signs in, follows the redirects home. */
async function browser(url: string, username: string): Promise<void> {
  const form = await fetch(url, { redirect: 'follow' });
  const html = await form.text();
  assert.ok(html.includes('name="username"'), `the sign-in form is served (HTTP ${form.status})`);
  const done = await fetch(form.url, {
    method: 'POST',
    redirect: 'follow',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username }).toString(),
  });
  await done.text();
}

suite('token flows', () => {
  let profileId: string;
  const seen: string[] = [];

  suiteSetup(async () => {
    await activateExtension();
    profileId = (await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
      environmentId: 'local',
      name: 'Token flows',
    }))!;
    await vscode.commands.executeCommand('nhsAuth.generateKey', profileId);
  });

  test('client credentials: a 599 s application token, then Hello World answers', async () => {
    const api = await activateExtension();
    const s = (await vscode.commands.executeCommand<SessionSnapshot>('nhsAuth.getToken', {
      profileId,
      grant: 'client_credentials',
      throwErrors: true,
    }))!;
    seen.push(s.accessToken);
    assert.strictEqual(s.grant, 'client_credentials');
    assert.strictEqual(s.refreshToken, undefined, 'client credentials have no refresh token');
    const lifetime = (s.accessTokenExpiresAt - s.issuedAt) / 1000;
    assert.ok(
      lifetime > 590 && lifetime <= 600,
      `expires_in "599" became an absolute expiry (${lifetime} s)`,
    );
    const res = (await vscode.commands.executeCommand<HttpResponse>('nhsAuth.callHelloWorld', {
      profileId,
      silent: true,
      throwErrors: true,
    }))!;
    assert.strictEqual(res.status, 200);
    assert.strictEqual(JSON.parse(res.bodyText).message, 'Hello Application!');
    const stored = await api.services.tokens.store.load(profileId);
    assert.strictEqual(stored?.accessToken, s.accessToken, 'the session is in SecretStorage');
  });

  test('mock NHS login sign-in, token exchange, refresh twice: refresh_count 0 → 1 → 2, each refresh token rotated', async () => {
    const s0 = (await vscode.commands.executeCommand<SessionSnapshot>('nhsAuth.getToken', {
      profileId,
      grant: 'token_exchange',
      mockUser: { provider: 'nhs-login', username: '9912003071' },
      throwErrors: true,
    }))!;
    assert.strictEqual(s0.identityProvider, 'nhs-login');
    assert.strictEqual(s0.refreshCount, 0);
    assert.ok(s0.refreshToken && s0.idToken);
    const period = (s0.refreshPeriodEndsAt! - s0.issuedAt) / 1000;
    assert.ok(period > 3590 && period <= 3600, `NHS login refresh period is 1 h (${period} s)`);
    const s1 = (await vscode.commands.executeCommand<SessionSnapshot>('nhsAuth.refreshSession', {
      profileId,
      throwErrors: true,
    }))!;
    const s2 = (await vscode.commands.executeCommand<SessionSnapshot>('nhsAuth.refreshSession', {
      profileId,
      throwErrors: true,
    }))!;
    assert.deepStrictEqual([s1.refreshCount, s2.refreshCount], [1, 2]);
    assert.notStrictEqual(s1.refreshToken, s0.refreshToken);
    assert.notStrictEqual(s2.refreshToken, s1.refreshToken);
    assert.strictEqual(
      s2.refreshPeriodEndsAt,
      s0.refreshPeriodEndsAt,
      'the refresh period does not restart on refresh',
    );
    seen.push(
      s0.accessToken,
      s0.refreshToken!,
      s0.idToken!,
      s1.accessToken,
      s1.refreshToken!,
      s2.accessToken,
      s2.refreshToken!,
    );
    const res = (await vscode.commands.executeCommand<HttpResponse>('nhsAuth.callHelloWorld', {
      profileId,
      silent: true,
      throwErrors: true,
    }))!;
    assert.strictEqual(JSON.parse(res.bodyText).message, 'Hello User!');
  });

  test('two concurrent refreshes share one request', async () => {
    const api = await activateExtension();
    const before = api.services.tokens.requestLog
      .list(profileId)
      .filter((e) => e.grant === 'refresh_token').length;
    const [a, b] = await Promise.all([
      vscode.commands.executeCommand<SessionSnapshot>('nhsAuth.refreshSession', {
        profileId,
        throwErrors: true,
      }),
      vscode.commands.executeCommand<SessionSnapshot>('nhsAuth.refreshSession', {
        profileId,
        throwErrors: true,
      }),
    ]);
    assert.strictEqual(a!.refreshToken, b!.refreshToken);
    assert.strictEqual(a!.refreshCount, 3);
    const after = api.services.tokens.requestLog
      .list(profileId)
      .filter((e) => e.grant === 'refresh_token').length;
    assert.strictEqual(after - before, 1, 'one refresh request went out');
    seen.push(a!.accessToken, a!.refreshToken!);
  });

  test('authorization code: sign-in in the "browser", state-checked loopback redirect, CIS2 12 h period', async () => {
    const s = (await vscode.commands.executeCommand<SessionSnapshot>('nhsAuth.signIn', {
      profileId,
      provider: 'cis2',
      openBrowser: (url: string) => browser(url, '656005750104'),
      throwErrors: true,
    }))!;
    assert.strictEqual(s.grant, 'authorization_code');
    assert.strictEqual(s.refreshCount, 0);
    const period = (s.refreshPeriodEndsAt! - s.issuedAt) / 1000;
    assert.ok(period > 43190 && period <= 43200, `CIS2 refresh period is 12 h (${period} s)`);
    seen.push(s.accessToken, s.refreshToken!);
  });

  test('the platform\'s errors come back explained: the sandbox "Invalid client identifier" fault', async () => {
    const api = await activateExtension();
    const url = await api.services.emulator.url();
    const controlToken = await api.services.emulator.controlToken();
    const fault = await fetch(`${url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${controlToken}` },
      body: JSON.stringify({ path: '/oauth2/token', preset: 'invalid-client-identifier', count: 1 }),
    });
    assert.strictEqual(fault.status, 201, await fault.text());
    await assert.rejects(
      async () =>
        vscode.commands.executeCommand('nhsAuth.getToken', {
          profileId,
          grant: 'client_credentials',
          throwErrors: true,
        }),
      (e: Error & { explanation?: { title: string; causes: string[]; fix: string } }) => {
        assert.ok(e.explanation, 'the error carries its explanation');
        assert.match(
          `${e.explanation.title} ${e.explanation.causes.join(' ')}`,
          /client identifier|API key/i,
        );
        return true;
      },
    );
  });

  test('copy as curl and the support bundle hold placeholders, never secrets', async () => {
    const api = await activateExtension();
    assert.strictEqual(
      (await api.services.tokens.store.load(profileId))?.grant,
      'authorization_code',
      'the failed call left the session alone',
    );
    await vscode.commands.executeCommand('nhsAuth.refreshSession', { profileId, throwErrors: true });
    const curl = (await vscode.commands.executeCommand<string>('nhsAuth.copyAsCurl', {
      profileId,
      silent: true,
    }))!;
    assert.match(curl, /^curl /);
    assert.match(curl, /\$REFRESH_TOKEN|\$CLIENT_SECRET/);
    const bundle = (await vscode.commands.executeCommand<string>('nhsAuth.createSupportBundle', {
      profileId,
      silent: true,
    }))!;
    assert.match(bundle, /# Support request/);
    const apiKey = (await api.services.secrets.get(`nhsAuth/profile/${profileId}/apiKey`))!;
    const clientSecret = (await api.services.secrets.get(`nhsAuth/profile/${profileId}/clientSecret`))!;
    assert.ok(
      bundle.includes(apiKey.slice(0, 4)) && !bundle.includes(apiKey),
      'the API key appears only as first/last 4',
    );
    const session = (await api.services.tokens.store.load(profileId))!;
    assertAbsent(
      curl + bundle,
      [clientSecret, apiKey, session.refreshToken!, session.accessToken, ...seen],
      'curl or the support bundle',
    );
  });

  test('the "NHS API Platform" authentication provider offers the session to other extensions', async () => {
    const api = await activateExtension();
    // VS Code lists the account; handing the token to another extension needs that user's consent,
    // so the token itself is checked at the provider VS Code calls.
    const accounts = await vscode.authentication.getAccounts('nhs-api-platform');
    assert.ok(
      accounts.some((a) => a.label === 'Token flows'),
      `accounts: ${accounts.map((a) => a.label).join(', ')}`,
    );
    const [session] = await api.authProvider.getSessions(['Token flows']);
    const stored = (await api.services.tokens.store.load(profileId))!;
    assert.strictEqual(session?.accessToken, stored.accessToken);
    assert.strictEqual(session?.account.label, 'Token flows');
  });

  test('the exported API is the small public one and carries no secret (walked, every function called)', async () => {
    const api = await activateExtension();
    const exported = await activatePublicApi();
    const { testing, ...publicApi } = exported;
    assert.ok(testing, 'the internals appear only under the test-only switch, which these tests set');
    assert.deepStrictEqual(Object.keys(publicApi).sort(), [
      'apiVersion',
      'authenticationProviderId',
      'listProfiles',
      'onDidChangeProfiles',
      'sessionScopes',
    ]);
    assert.strictEqual(publicApi.apiVersion, 1);
    const seenObjects = new Set<unknown>();
    const texts: string[] = [];
    const walk = (v: unknown, depth: number): void => {
      if (depth > 6 || v === null || v === undefined || seenObjects.has(v)) return;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        texts.push(String(v));
        return;
      }
      if (typeof v !== 'object' && typeof v !== 'function') return;
      seenObjects.add(v);
      for (const k of Object.getOwnPropertyNames(v)) {
        if (typeof v === 'function' && ['arguments', 'caller', 'prototype'].includes(k)) continue;
        texts.push(k);
        walk((v as Record<string, unknown>)[k], depth + 1);
      }
    };
    walk(publicApi, 0);
    const profiles = publicApi.listProfiles();
    assert.ok(profiles.some((p) => p.id === profileId && p.name === 'Token flows'));
    walk(profiles, 0);
    walk(publicApi.sessionScopes(profileId), 0);
    const stored = (await api.services.tokens.store.load(profileId))!;
    const secrets = [
      (await api.services.secrets.get(`nhsAuth/profile/${profileId}/apiKey`))!,
      (await api.services.secrets.get(`nhsAuth/profile/${profileId}/clientSecret`))!,
      (await api.services.keyring.privateKey(profileId, 'test-1')).split('\n')[2]!,
      stored.accessToken,
      stored.refreshToken!,
      ...seen,
    ];
    assertAbsent(texts.join('\n'), secrets, 'the exported API');
    assert.ok(
      !texts.includes('secrets') && !texts.includes('services'),
      'no internal service is reachable from it',
    );
  });

  test('no secret or token in settings, extension state, the workspace or the log; sign out deletes the session', async () => {
    const api = await activateExtension();
    const secrets = [
      (await api.services.secrets.get(`nhsAuth/profile/${profileId}/apiKey`))!,
      (await api.services.secrets.get(`nhsAuth/profile/${profileId}/clientSecret`))!,
      (await api.services.keyring.privateKey(profileId, 'test-1')).split('\n')[2]!,
      ...seen,
    ];
    const session = (await api.services.tokens.store.load(profileId))!;
    secrets.push(session.accessToken, session.refreshToken!);
    assertAbsent(await placesSecretsMustNotBe(api), secrets, 'settings, extension state or the workspace');
    const log = api.services.log.recent().join('\n');
    assert.ok(log.includes('/oauth2/token'), 'token calls were logged');
    assertAbsent(log, secrets, 'the log');
    assert.strictEqual(await vscode.commands.executeCommand('nhsAuth.signOut', profileId), true);
    assert.strictEqual(await api.services.secrets.get(`nhsAuth/profile/${profileId}/session`), undefined);
  });
});

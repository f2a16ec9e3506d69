// Sessions in the real extension host: auto-refresh comes back after a reload (the session services
// re-created over the same SecretStorage, as activate() builds them), two "windows" share one
// session without losing a token, removing a profile ends its timer and session, client-credentials
// renewal, side-effect-free getSessions, and lint of a freshly signed assertion.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { LintFinding } from '../../src/core/assertion/lintTypes.ts';
import { FileRefreshLease } from '../../src/core/session/fileRefreshLease.ts';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';
import { sessionStatus } from '../../src/core/session/sessionStatus.ts';
import { RequestLog } from '../../src/vscode/sessions/requestLog.ts';
import { refreshLeaseDir } from '../../src/vscode/sessions/refreshLeaseDir.ts';
import { TokenService } from '../../src/vscode/sessions/tokenService.ts';
import { activateExtension } from './extensionApi.ts';

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function localProfile(name: string): Promise<string> {
  const id = (await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
    environmentId: 'local',
    name,
  }))!;
  await vscode.commands.executeCommand('nhsAuth.generateKey', id);
  return id;
}

// expires_in "61": with the 60 s margin, auto-refresh acts about a second after each token.
const SHORT = { _access_token_expiry_ms: '62000' };

suite('sessions: reloads, windows, removal, renewal', () => {
  test('the tree offers Refresh only on a session that holds a refresh token', async () => {
    const api = await activateExtension();
    const sessionNode = async (profileId: string) => {
      const root = (await api.tree.getChildren()).find(
        (n) => n.kind === 'profile' && n.profile.id === profileId,
      );
      assert.ok(root, 'the tree lists the profile');
      return (await api.tree.getChildren(root)).find((n) => n.kind === 'session');
    };
    const app = await localProfile('Application token');
    await vscode.commands.executeCommand('nhsAuth.getToken', {
      profileId: app,
      grant: 'client_credentials',
      throwErrors: true,
    });
    const appSession = await until('the client-credentials session in the tree', 10_000, () =>
      sessionNode(app),
    );
    assert.strictEqual(appSession.contextValue, 'session', 'no refresh token, so no Refresh in its menus');

    const user = await localProfile('User token');
    await vscode.commands.executeCommand('nhsAuth.getToken', {
      profileId: user,
      grant: 'token_exchange',
      mockUser: { provider: 'nhs-login', username: '9912003071' },
      throwErrors: true,
    });
    const userSession = await until('the token-exchange session in the tree', 10_000, () =>
      sessionNode(user),
    );
    assert.strictEqual(userSession.contextValue, 'session.refreshable');
    for (const id of [app, user])
      await vscode.commands.executeCommand('nhsAuth.removeProfile', { profileId: id, confirmed: true });
  });

  test('after a reload, auto-refresh is re-armed and refreshes; a second window on the same SecretStorage never double-sends', async () => {
    const api = await activateExtension();
    const id = await localProfile('Reload me');
    await vscode.commands.executeCommand('nhsAuth.getToken', {
      profileId: id,
      grant: 'token_exchange',
      mockUser: { provider: 'nhs-login', username: '9912003071' },
      extraParams: SHORT,
      throwErrors: true,
    });
    // Turn auto-refresh on, then let this window's host "go away": its timer ends, the saved flag stays.
    assert.strictEqual(
      await vscode.commands.executeCommand('nhsAuth.toggleAutoRefresh', { profileId: id, on: true }),
      true,
    );
    api.services.tokens.sessions.refresher.disableAutoRefresh(id);
    const start = (await api.services.tokens.sessions.load(id))!;
    assert.strictEqual(start.autoRefresh, true);

    // The reloaded window: the session services built again over the same SecretStorage, as activate() does.
    const reloaded = new TokenService(
      api.services,
      new RequestLog(api.services.log),
      new FileRefreshLease({ dir: refreshLeaseDir(api.services.context) }),
    );
    try {
      await reloaded.sessions.rearm();
      assert.ok(reloaded.sessions.refresher.isAutoRefreshing(id), 'the timer is back after the reload');
      const later = await until('refreshes after the reload', 30_000, async () => {
        const s = await reloaded.sessions.load(id);
        return s && (s.refreshCount ?? 0) >= (start.refreshCount ?? 0) + 3 ? s : undefined;
      });
      assert.notStrictEqual(later.needsSignIn, true);
      // The first window heard the reloaded one's writes through SecretStorage and follows the session too.
      const sent = [api.services.tokens.requestLog, reloaded.requestLog]
        .flatMap((l) => l.list(id))
        .filter((e) => e.grant === 'refresh_token' && Date.parse(String(e.startedAt)) > start.issuedAt);
      const rejected = sent.filter((e) => (e.status ?? 0) >= 400 || e.error);
      assert.deepStrictEqual(
        rejected.map((e) => e.status ?? e.error?.code),
        [],
        'no refresh token was sent twice',
      );
    } finally {
      reloaded.dispose();
      await vscode.commands.executeCommand('nhsAuth.toggleAutoRefresh', { profileId: id, on: false });
    }
    const s = (await api.services.tokens.sessions.load(id))!;
    const res = await fetch(`${await api.services.emulator.url()}/hello-world/hello/user`, {
      headers: { authorization: `Bearer ${s.accessToken}` },
    });
    assert.strictEqual(res.status, 200, 'the stored token is the live one');
  });

  test("removing a profile ends its auto-refresh timer, deletes its session and fires the provider's removed event", async () => {
    const api = await activateExtension();
    const id = await localProfile('Remove me');
    await vscode.commands.executeCommand('nhsAuth.getToken', {
      profileId: id,
      grant: 'client_credentials',
      throwErrors: true,
    });
    await vscode.commands.executeCommand('nhsAuth.toggleAutoRefresh', { profileId: id, on: true });
    assert.ok(api.services.tokens.sessions.refresher.isAutoRefreshing(id));
    const removed: string[] = [];
    const sub = api.authProvider.onDidChangeSessions((e) =>
      removed.push(...(e.removed ?? []).map((r) => r.id)),
    );
    try {
      assert.strictEqual(
        await vscode.commands.executeCommand('nhsAuth.removeProfile', { profileId: id, confirmed: true }),
        true,
      );
    } finally {
      sub.dispose();
    }
    assert.strictEqual(api.services.tokens.sessions.refresher.isAutoRefreshing(id), false, 'the timer ended');
    assert.ok(removed.includes(id), `removed events: ${removed.join(', ')}`);
    assert.strictEqual(await api.services.secrets.get(`nhsAuth/profile/${id}/session`), undefined);
  });

  test('client credentials with auto-refresh are re-issued before expiry (new assertion, new jti) and shown as renewing, not "sign in"', async () => {
    const api = await activateExtension();
    const id = await localProfile('Renew me');
    const first = (await vscode.commands.executeCommand<SessionSnapshot>('nhsAuth.getToken', {
      profileId: id,
      grant: 'client_credentials',
      extraParams: SHORT,
      throwErrors: true,
    }))!;
    assert.strictEqual(
      await vscode.commands.executeCommand('nhsAuth.toggleAutoRefresh', { profileId: id, on: true }),
      true,
      'client credentials may auto-refresh',
    );
    try {
      const summary = await api.services.model.sessionSummary(id);
      assert.notStrictEqual(summary?.state, 'signin');
      assert.match(summary?.description ?? '', /auto-refresh/);
      // The first renewal keeps the platform's 599 s: the emulator's shortening applies to the request that asked for it.
      const renewed = await until('a renewed token', 20_000, async () => {
        const s = await api.services.tokens.sessions.load(id);
        return s && s.accessToken !== first.accessToken ? s : undefined;
      });
      assert.strictEqual(renewed.grant, 'client_credentials');
      assert.strictEqual(renewed.autoRefresh, true);
      assert.notStrictEqual(
        renewed.lastClientAssertion,
        first.lastClientAssertion,
        'a new assertion was signed',
      );
      assert.strictEqual(
        sessionStatus({ ...renewed, accessTokenExpiresAt: Date.now() - 1 }, Date.now()).state,
        'renewing',
      );
    } finally {
      await vscode.commands.executeCommand('nhsAuth.toggleAutoRefresh', { profileId: id, on: false });
    }
  });

  test('getSessions never refreshes; createSession (createIfNone) does', async () => {
    const api = await activateExtension();
    const id = await localProfile('Read only');
    // expires_in "0": expired on arrival, with a live refresh token.
    await vscode.commands.executeCommand('nhsAuth.getToken', {
      profileId: id,
      grant: 'token_exchange',
      mockUser: { provider: 'cis2', username: '656005750104' },
      extraParams: { _access_token_expiry_ms: '1000' },
      throwErrors: true,
    });
    const before = (await api.services.tokens.sessions.load(id))!;
    const sentBefore = api.services.tokens.requestLog.list(id).length;
    assert.deepStrictEqual(
      await api.authProvider.getSessions(['Read only']),
      [],
      'an expired token is not handed out',
    );
    assert.strictEqual(
      api.services.tokens.requestLog.list(id).length,
      sentBefore,
      'no request was sent by a read',
    );
    assert.strictEqual(
      (await api.services.tokens.sessions.load(id))?.refreshToken,
      before.refreshToken,
      'the refresh token was not spent',
    );
    const created = await api.authProvider.createSession(['Read only']);
    const after = (await api.services.tokens.sessions.load(id))!;
    assert.strictEqual(after.refreshCount, (before.refreshCount ?? 0) + 1, 'createSession refreshed');
    assert.strictEqual(created.accessToken, after.accessToken);
  });

  test('lint of a freshly signed assertion is clean; lint of one that was sent says when it was sent', async () => {
    const api = await activateExtension();
    const id = await localProfile('Lint jti');
    const fresh = (await vscode.commands.executeCommand<string>('nhsAuth.signAssertion', {
      profileId: id,
      silent: true,
    }))!;
    const clean = (await vscode.commands.executeCommand<LintFinding[]>('nhsAuth.lintAssertion', {
      profileId: id,
      jwt: fresh,
      silent: true,
    }))!;
    assert.deepStrictEqual(
      clean.filter((f) => f.severity === 'error').map((f) => f.rule),
      [],
      'signing alone uses no jti',
    );
    await vscode.commands.executeCommand('nhsAuth.getToken', {
      profileId: id,
      grant: 'client_credentials',
      throwErrors: true,
    });
    const sent = (await api.services.tokens.sessions.load(id))!.lastClientAssertion!;
    const reuse = await until('the jti history write', 5000, async () => {
      const findings = (await vscode.commands.executeCommand<LintFinding[]>('nhsAuth.lintAssertion', {
        profileId: id,
        jwt: sent,
        silent: true,
      }))!;
      return findings.find((f) => f.rule === 'jti-reused');
    });
    assert.match(reuse.message, /already sent on \d{4}-\d\d-\d\dT/);
  });
});

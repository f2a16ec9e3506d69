import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { generateKeyPair, SignJWT } from 'jose';
import type { InspectorModel } from '../../src/core/inspector/inspectorModel.ts';
import type { HostMessage, WebviewMessage } from '../../src/core/inspector/protocol.ts';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';
import type { InspectorRegistration } from '../../src/vscode/inspector/registerInspector.ts';
import { activateExtension } from './extensionApi.ts';

type Rendered = Extract<WebviewMessage, { type: 'rendered' }>;

/** The inspector registration the extension API exposes as `inspector`. */
async function inspector(): Promise<InspectorRegistration> {
  const api = (await activateExtension()) as unknown as { inspector?: InspectorRegistration };
  assert.ok(api.inspector, 'activate() returns { inspector: registerInspector(...) }');
  return api.inspector;
}

/** Resolves with the first `rendered` report from the webview that matches. */
function nextRendered(
  reg: InspectorRegistration,
  match: (m: Rendered) => boolean,
  timeoutMs = 20_000,
): Promise<Rendered> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('the webview reported no matching render'));
    }, timeoutMs);
    const sub = reg.onDidReceiveMessage((m) => {
      if (m.type === 'rendered' && match(m)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(m);
      }
    });
  });
}

/** Opens the inspector on a profile and waits until the webview has painted that profile's model. */
async function inspectProfile(
  reg: InspectorRegistration,
  profileId: string,
): Promise<{ model: InspectorModel; rendered: Rendered }> {
  const rendered = nextRendered(reg, () => reg.current?.lastPostedModel?.profileId === profileId);
  await vscode.commands.executeCommand('nhsAuth.openInspector', profileId);
  const r = await rendered;
  const model = reg.current?.lastPostedModel;
  assert.ok(model, 'the host posted a model');
  return { model, rendered: r };
}

suite('token inspector', () => {
  let jwt: string;

  suiteSetup(async () => {
    const { privateKey } = await generateKeyPair('RS512');
    const sec = Math.floor(Date.now() / 1000);
    jwt = await new SignJWT({
      token_use: 'id',
      identity_proofing_level: 'P9',
      vot: 'P9.Cp.Cd',
      nhs_number: '9912003071',
      id_status: 'verified',
    })
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'inspector-test' })
      .setIssuer('https://identity.ptl.api.platform.nhs.uk/realms/NHS-Login-mock-int')
      .setSubject('user-1')
      .setAudience('client')
      .setIssuedAt(sec)
      .setExpirationTime(sec + 600)
      .sign(privateKey);
  });

  test('Decode Token: decoded locally, NHS claims explained, painted by the webview', async () => {
    const reg = await inspector();
    const rendered = nextRendered(reg, (m) => m.mode === 'decoded');
    await vscode.commands.executeCommand('nhsAuth.decodeToken', `Bearer ${jwt}`);
    // The host posts the model when the webview says 'ready'; the render report follows it.
    const r = await rendered;
    const model = reg.current?.lastPostedModel;
    assert.ok(model, 'a model was posted');
    assert.strictEqual(model.mode, 'decoded');
    assert.strictEqual(model.subtitle, 'NHS login ID token');
    const ipl = model.tokens[0]?.claims.find((c) => c.name === 'identity_proofing_level');
    assert.match(ipl?.valueMeaning ?? '', /highest identity verification/);
    assert.strictEqual(reg.current?.panel.title, 'Decoded Token');

    assert.match(r.text, /identity_proofing_level/);
    assert.match(r.text, /P9: highest identity verification/);
    assert.match(r.text, /Valid check digit/);
    assert.deepStrictEqual(r.countdowns, [{ id: 'token', level: 'ok' }]);
    assert.ok(!r.text.includes(jwt.split('.')[2]!), 'the signature is never shown');
    assert.ok(!JSON.stringify(model).includes(jwt), 'the whole token never reaches the webview');
  });

  test('Decode Token with a malformed token opens nothing new', async () => {
    const reg = await inspector();
    const posted: unknown[] = [];
    const sub = reg.onDidPostMessage((m) => posted.push(m));
    await vscode.commands.executeCommand('nhsAuth.decodeToken', 'eyJhbGciOi.not-json.x');
    sub.dispose();
    assert.deepStrictEqual(posted, [], 'no model was posted for a malformed token');
  });

  test('Open Token Inspector on a profile with no token: the empty state, with a way to get one', async () => {
    const reg = await inspector();
    const profileId = await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
      environmentId: 'local',
      name: 'Inspector test',
    });
    assert.ok(profileId, 'addProfile returned an id');
    const { model, rendered } = await inspectProfile(reg, profileId);
    assert.strictEqual(model.mode, 'empty');
    assert.deepStrictEqual(model.actions, ['signIn']);
    assert.strictEqual(rendered.mode, 'empty');
    assert.match(rendered.text, /No token yet/);
    assert.match(rendered.text, /Get a token/);
    assert.match(reg.current?.panel.title ?? '', /^Token Inspector/);
    await vscode.commands.executeCommand('nhsAuth.removeProfile', { profileId, confirmed: true });
  });

  test('a live emulator session: refresh_count 0, no full token sent; nhsAuth.refreshSession repaints it as 1', async () => {
    const reg = await inspector();
    const profileId = (await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
      environmentId: 'local',
      name: 'Inspector live',
    }))!;
    await vscode.commands.executeCommand('nhsAuth.generateKey', profileId);
    const s0 = (await vscode.commands.executeCommand<SessionSnapshot>('nhsAuth.getToken', {
      profileId,
      grant: 'token_exchange',
      mockUser: { provider: 'nhs-login', username: '9912003071' },
      throwErrors: true,
    }))!;
    assert.strictEqual(s0.refreshCount, 0);
    assert.ok(s0.refreshToken, 'token exchange gives a refresh token');
    const posted: HostMessage[] = [];
    const sub = reg.onDidPostMessage((m) => posted.push(m));
    try {
      const { model, rendered } = await inspectProfile(reg, profileId);
      assert.strictEqual(model.mode, 'session');
      assert.strictEqual(model.refreshCount, 0);
      assert.deepStrictEqual(model.countdowns.map((c) => c.id).slice(0, 3), ['access', 'refresh', 'period']);
      assert.ok(model.actions.includes('refresh'), 'the panel offers "Refresh now"');
      assert.strictEqual(rendered.refreshCount, 0);
      assert.match(rendered.text, /refresh_count\s+0/);
      assert.ok(
        rendered.countdowns.every((c) => c.level === 'ok'),
        'fresh countdowns are all "valid"',
      );

      const postedOne = new Promise<InspectorModel>((resolve) => {
        const s = reg.onDidPostMessage((m) => {
          if (m.type === 'model' && m.model.refreshCount === 1) {
            s.dispose();
            resolve(m.model);
          }
        });
      });
      const renderedOne = nextRendered(reg, (m) => m.refreshCount === 1);
      const s1 = (await vscode.commands.executeCommand<SessionSnapshot>('nhsAuth.refreshSession', {
        profileId,
        throwErrors: true,
      }))!;
      assert.strictEqual(s1.refreshCount, 1);
      assert.notStrictEqual(s1.accessToken, s0.accessToken, 'a refresh issues a new access token');
      const m1 = await postedOne;
      assert.strictEqual(m1.profileId, profileId);
      const r1 = await renderedOne;
      assert.match(r1.text, /refresh_count\s+1/);
      assert.strictEqual(reg.current?.lastRendered?.refreshCount, 1);

      // Everything that crossed to the webview, and what it painted: previews only, never a whole secret.
      const wire = JSON.stringify(posted) + rendered.text + r1.text;
      const secrets = [
        s0.accessToken,
        s0.refreshToken,
        s1.accessToken,
        s1.refreshToken,
        s0.idToken,
        s0.lastClientAssertion,
        s1.lastClientAssertion,
      ];
      for (const secret of secrets.filter((x): x is string => typeof x === 'string' && x.length > 0)) {
        assert.ok(!wire.includes(secret), `a full token (${secret.length} chars) reached the webview`);
      }
    } finally {
      sub.dispose();
      reg.current?.dispose();
      await vscode.commands.executeCommand('nhsAuth.removeProfile', { profileId, confirmed: true });
    }
  });
});

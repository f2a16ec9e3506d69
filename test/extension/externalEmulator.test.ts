import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { startEmulator } from '../../src/core/emulator/server.ts';
import { activateExtension } from './extensionApi.ts';

// `npm start` runs the emulator as its own process and points the extension at it.
suite('an emulator of its own (as npm start runs it)', () => {
  test('a local profile is registered there over HTTP and gets a token from it', async () => {
    const api = await activateExtension();
    const external = await startEmulator({ port: 0, demoApp: false });
    const config = vscode.workspace.getConfiguration('nhsAuth');
    const before = process.env.NHS_AUTH_EMULATOR_CONTROL_TOKEN;
    process.env.NHS_AUTH_EMULATOR_CONTROL_TOKEN = external.controlToken;
    try {
      await config.update('emulatorUrl', external.url, vscode.ConfigurationTarget.Global);
      assert.strictEqual(await api.services.emulator.url(), external.url);
      const profileId = (await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
        environmentId: 'local',
        name: 'External emulator',
      }))!;
      await vscode.commands.executeCommand('nhsAuth.generateKey', profileId);
      const apps = (await (
        await fetch(`${external.url}/_emulator/apps`, {
          headers: { authorization: `Bearer ${external.controlToken}` },
        })
      ).json()) as { apps: { name: string; publicKeys: string }[] };
      assert.deepStrictEqual(
        apps.apps.filter((a) => a.name === 'External emulator').map((a) => a.publicKeys),
        ['inline'],
        'registered, then replaced with its JWKS',
      );
      const session = await vscode.commands.executeCommand<{ tokenUrl: string }>('nhsAuth.getToken', {
        profileId,
        grant: 'client_credentials',
        throwErrors: true,
      });
      assert.strictEqual(session?.tokenUrl, `${external.url}/oauth2/token`);
      await vscode.commands.executeCommand('nhsAuth.removeProfile', { profileId, confirmed: true });
    } finally {
      if (before === undefined) delete process.env.NHS_AUTH_EMULATOR_CONTROL_TOKEN;
      else process.env.NHS_AUTH_EMULATOR_CONTROL_TOKEN = before;
      await config.update('emulatorUrl', undefined, vscode.ConfigurationTarget.Global);
      await external.close();
    }
  });
});

import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { startEmulator } from '../../src/core/emulator/server.ts';
import { startConnectProxy } from '../net/connectProxy.ts';
import { activateExtension } from './extensionApi.ts';

// A proxy configured the VS Code way: http.proxy in the user settings. The emulator's host name
// (emulator.test) does not resolve; only the proxy maps it to the emulator's loopback port, so a token
// from it proves the extension's requests went through VS Code's proxy support.
suite('behind a proxy set in http.proxy', () => {
  test('a Local profile on an emulator only the proxy reaches: registered, then a token', async () => {
    const api = await activateExtension();
    const emulator = await startEmulator({ port: 0, demoApp: false, baseUrl: 'http://emulator.test' });
    const proxy = await startConnectProxy({ routes: { 'emulator.test': emulator.port } });
    const http = vscode.workspace.getConfiguration('http');
    const nhsAuth = vscode.workspace.getConfiguration('nhsAuth');
    const before = process.env.NHS_AUTH_EMULATOR_CONTROL_TOKEN;
    process.env.NHS_AUTH_EMULATOR_CONTROL_TOKEN = emulator.controlToken;
    let profileId: string | undefined;
    try {
      await http.update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
      await nhsAuth.update('emulatorUrl', 'http://emulator.test', vscode.ConfigurationTarget.Global);
      assert.strictEqual(await api.services.emulator.url(), 'http://emulator.test');
      profileId = (await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
        environmentId: 'local',
        name: 'Behind a proxy',
      }))!;
      await vscode.commands.executeCommand('nhsAuth.generateKey', profileId);
      const session = await vscode.commands.executeCommand<{ tokenUrl: string; accessToken?: string }>(
        'nhsAuth.getToken',
        { profileId, grant: 'client_credentials', throwErrors: true },
      );
      assert.strictEqual(session?.tokenUrl, 'http://emulator.test/oauth2/token');
      const carried = proxy.hits.map((h) => `${h.method} ${h.target}`);
      assert.ok(
        carried.some((h) => /emulator\.test/.test(h) && /_emulator\/apps|CONNECT/.test(h)),
        `the app registration went through the proxy: ${carried.join(', ')}`,
      );
      assert.ok(
        carried.some((h) => /oauth2\/token|CONNECT emulator\.test/.test(h)),
        `the token call went through the proxy: ${carried.join(', ')}`,
      );
    } finally {
      if (profileId)
        await vscode.commands.executeCommand('nhsAuth.removeProfile', { profileId, confirmed: true });
      if (before === undefined) delete process.env.NHS_AUTH_EMULATOR_CONTROL_TOKEN;
      else process.env.NHS_AUTH_EMULATOR_CONTROL_TOKEN = before;
      await nhsAuth.update('emulatorUrl', undefined, vscode.ConfigurationTarget.Global);
      await http.update('proxy', undefined, vscode.ConfigurationTarget.Global);
      await proxy.close();
      await emulator.close();
    }
  });
});

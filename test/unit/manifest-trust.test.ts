// Workspace trust is declared in the manifest: every setting that decides where secrets go is restricted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

interface Manifest {
  capabilities?: {
    untrustedWorkspaces?: { supported: unknown; restrictedConfigurations?: string[] };
    virtualWorkspaces?: { supported: unknown };
  };
  contributes: { configuration: { properties: Record<string, unknown> } };
}

test('untrusted workspaces are limited and every URL setting is restricted; virtual workspaces declared', async () => {
  const manifest = JSON.parse(
    await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as Manifest;
  const untrusted = manifest.capabilities?.untrustedWorkspaces;
  assert.equal(untrusted?.supported, 'limited');
  const urlSettings = Object.keys(manifest.contributes.configuration.properties).filter((k) =>
    /url|uri|host|endpoint/i.test(k),
  );
  assert.ok(urlSettings.includes('nhsAuth.emulatorUrl'));
  for (const k of urlSettings)
    assert.ok(
      untrusted?.restrictedConfigurations?.includes(k),
      `${k} decides where secrets go and must be restricted`,
    );
  assert.ok(manifest.capabilities?.virtualWorkspaces?.supported !== undefined);
});

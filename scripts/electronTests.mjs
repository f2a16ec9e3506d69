// The same extension-host suite under VS Code desktop via @vscode/test-electron: for machines that
// can download VS Code (a developer's laptop). Offline machines use scripts/extensionTests.mjs.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Returns a process exit code: 0 when every test passed. */
export async function runElectronTests({ root, version = process.env.VSCODE_TEST_VERSION || 'stable' }) {
  const extensionTestsPath = join(root, 'out', 'test', 'extension');
  if (!existsSync(join(extensionTestsPath, 'index.js'))) {
    console.error(`no suite at ${extensionTestsPath}/index.js (build with: node esbuild.mjs --tests)`);
    return 1;
  }
  const { runTests } = await import('@vscode/test-electron');
  const workspace = mkdtempSync(join(tmpdir(), 'nhs-auth-ws-'));
  try {
    return await runTests({
      version,
      extensionDevelopmentPath: root,
      // The module file, not the folder: the extension is "type": "module", so VS Code import()s it.
      extensionTestsPath: join(extensionTestsPath, 'index.js'),
      extensionTestsEnv: { NHS_AUTH_TEST: '1' },
      // A fresh profile: no user extensions, no workspace trust prompt.
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`\n@vscode/test-electron could not run VS Code desktop: ${message}`);
    console.error(
      'It downloads VS Code from update.code.visualstudio.com on first use (cached in .vscode-test/).',
    );
    console.error(
      'Where that download is blocked, run the same suite in the offline VS Code server instead: npm run test:extension',
    );
    return 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

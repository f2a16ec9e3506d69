// The extension-host suite (yo-code style): loaded by the offline VS Code server runner and by
// @vscode/test-electron alike. Each *.test.ts beside this file is bundled to *.test.js.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: 'spec' });
  // The runner may pick a subset (scripts/extensionTests.mjs, option grep).
  if (process.env.NHS_AUTH_TEST_GREP) mocha.grep(new RegExp(process.env.NHS_AUTH_TEST_GREP));
  const dir = __dirname;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  // The foundation suite activates the extension first; the rest rely on that.
  files.sort((a, b) => Number(b.startsWith('foundation')) - Number(a.startsWith('foundation')));
  for (const f of files) mocha.addFile(join(dir, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) =>
      failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve(),
    );
  });
}

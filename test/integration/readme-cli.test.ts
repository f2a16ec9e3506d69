// The README's command-line example, run literally: its bash block, in an empty folder, with `nhs-auth`
// being this checkout's CLI. A fresh clone's first try must get a token, not an unknown key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

function readmeCliExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The `nhs-auth` command line'));
  const block = /```bash\n((?:(?!```)[\s\S])*nhs-auth keys generate(?:(?!```)[\s\S])*)```/.exec(section);
  assert.ok(block?.[1], 'the README has no bash example with `nhs-auth keys generate`');
  return block[1];
}

test('the README command-line example works as written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nhs-auth-readme-'));
  try {
    // `nhs-auth` on PATH, as after `npm install -g`: a wrapper that execs this checkout's CLI, so the
    // example's `$!` is the emulator itself.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const cli = join(root, 'src', 'cli', 'run.ts');
    writeFileSync(join(bin, 'nhs-auth'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`, {
      mode: 0o755,
    });
    // The trap stops the emulator the example started in the background when a line fails.
    const script = ['set -eu', "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT", readmeCliExample()].join(
      '\n',
    );
    writeFileSync(join(dir, 'example.sh'), script);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
    const r = spawnSync('bash', ['example.sh'], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /OK: the platform should accept this assertion/);
    assert.match(r.stdout, /token_type:\s+Bearer/);
    assert.match(r.stdout, /refresh_token is invalid|Likely causes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

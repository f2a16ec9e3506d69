// `nhs-auth token refresh` always hands back the rotated refresh token: the chain continues from it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { mockSignIn } from '../../src/core/emulator/mockSignIn.ts';
import { capture } from '../cliIo.ts';
import { useDemoEmulator } from './demoEmulator.ts';

const demo = useDemoEmulator('nhs-auth-cli-refresh-');

async function firstRefreshToken(): Promise<string> {
  const d = demo.emu.demo!;
  const idToken = await mockSignIn(demo.emu.url, {
    provider: 'nhs-login',
    username: '9912003071',
    clientId: d.app.apiKey,
    clientSecret: d.app.clientSecret ?? '',
    redirectUri: d.app.redirectUri!,
  });
  const ex = capture();
  assert.equal(
    await main(
      [
        'token',
        'exchange',
        '--token-url',
        demo.emu.tokenUrl(),
        '--api-key',
        d.app.apiKey,
        '--key',
        demo.keyFile,
        '--kid',
        d.kid,
        '--subject-token',
        idToken,
        '--json',
      ],
      ex,
    ),
    0,
    ex.stderr.join('\n'),
  );
  return (JSON.parse(ex.stdout.join('\n')) as Record<string, string>)['refresh_token'] ?? '';
}

const refreshArgs = (rt: string): string[] => {
  const d = demo.emu.demo!;
  return [
    'token',
    'refresh',
    '--token-url',
    demo.emu.tokenUrl(),
    '--client-id',
    d.app.apiKey,
    '--client-secret',
    d.app.clientSecret ?? '',
    `--refresh-token=${rt}`,
  ];
};

describe('nhs-auth token refresh hands back the rotated refresh token', () => {
  test('without --json it prints the new refresh token and says the old one is used up; the next refresh works with it', async () => {
    const rt0 = await firstRefreshToken();
    const r1 = capture();
    assert.equal(await main(refreshArgs(rt0), r1), 0, r1.stderr.join('\n'));
    const line = r1.stdout.find((l) => l.startsWith('refresh_token: '));
    assert.ok(line, `stdout names the new refresh token:\n${r1.stdout.join('\n')}`);
    const rt1 = line.slice('refresh_token: '.length);
    assert.notEqual(rt1, rt0);
    assert.match(r1.stderr.join('\n'), /single-use, so the one you sent is used up/);
    const r2 = capture();
    assert.equal(await main(refreshArgs(rt1), r2), 0, r2.stderr.join('\n'));
    assert.match(r2.stdout.join('\n'), /refresh_count: 2/);
  });

  test('--refresh-token-out writes it to a 0600 file (and not to stdout); the chain continues from the file', async () => {
    const rt0 = await firstRefreshToken();
    const out = join(demo.dir, 'next-refresh-token');
    const r1 = capture();
    assert.equal(await main([...refreshArgs(rt0), '--refresh-token-out', out], r1), 0, r1.stderr.join('\n'));
    assert.equal((await stat(out)).mode & 0o777, 0o600);
    const rt1 = (await readFile(out, 'utf8')).trim();
    assert.ok(rt1.length > 10 && rt1 !== rt0);
    assert.ok(!r1.stdout.join('\n').includes(rt1), 'the token is in the file only');
    assert.match(
      r1.stderr.join('\n'),
      new RegExp(`in ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(mode 0600\\)`),
    );
    const r2 = capture();
    assert.equal(await main([...refreshArgs(rt1), '--refresh-token-out', out], r2), 0, r2.stderr.join('\n'));
    assert.notEqual((await readFile(out, 'utf8')).trim(), rt1, 'the file now holds the next one');
  });

  test('--json keeps the body on stdout and says where the new token is on stderr', async () => {
    const rt0 = await firstRefreshToken();
    const r = capture();
    assert.equal(await main([...refreshArgs(rt0), '--json'], r), 0, r.stderr.join('\n'));
    const body = JSON.parse(r.stdout.join('\n')) as Record<string, string>;
    assert.ok(body['refresh_token'] && body['refresh_token'] !== rt0);
    assert.match(r.stderr.join('\n'), /refresh_token in the JSON above/);
  });
});

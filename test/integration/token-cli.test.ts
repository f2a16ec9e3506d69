// `nhs-auth token …` end to end against the emulator: output shape, no token unless asked, explanations on failure.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { mockSignIn } from '../../src/core/emulator/mockSignIn.ts';
import { capture } from '../cliIo.ts';
import { useDemoEmulator } from './demoEmulator.ts';

const demo = useDemoEmulator('nhs-auth-token-cli-');

describe('nhs-auth token', () => {
  test('client-credentials prints a summary without the token; --json prints the body', async () => {
    const d = demo.emu.demo!;
    const args = [
      'token',
      'client-credentials',
      '--token-url',
      demo.emu.tokenUrl(),
      '--api-key',
      d.app.apiKey,
      '--key',
      demo.keyFile,
      '--kid',
      d.kid,
    ];
    const io = capture();
    assert.equal(await main(args, io), 0, io.stderr.join('\n'));
    const out = io.stdout.join('\n');
    assert.match(out, /token_type:\s+Bearer/);
    assert.match(out, /expires_in:\s+599 s/);
    assert.match(out, /<redacted …[0-9A-Za-z_-]{4}>/);
    assert.ok(!out.includes(d.app.apiKey));
    const json = capture();
    assert.equal(await main([...args, '--json'], json), 0);
    const body = JSON.parse(json.stdout.join('\n')) as Record<string, string>;
    assert.equal(body['expires_in'], '599');
    assert.ok(!out.includes(body['access_token'] ?? '?'));
    const printed = capture();
    assert.equal(await main([...args, '--print-token'], printed), 0);
    assert.ok((printed.stdout.at(-1) ?? '').length > 20);
  });

  test('--env names the environment as in the other commands; a wrong option is said once', async () => {
    const d = demo.emu.demo!;
    const rest = ['--api-key', d.app.apiKey, '--key', demo.keyFile, '--kid', d.kid];
    const local = capture();
    const args = [
      'token',
      'client-credentials',
      '--env',
      'local',
      '--token-url',
      demo.emu.tokenUrl(),
      ...rest,
    ];
    assert.equal(await main(args, local), 0, local.stderr.join('\n'));
    assert.match(local.stdout.join('\n'), /token_type:\s+Bearer/);

    const none = capture();
    assert.equal(await main(['token', 'client-credentials', ...rest], none), 1);
    assert.match(none.stderr[0] ?? '', /^nhs-auth token: Give --env \(local, .*\) or --token-url\.$/);
    assert.equal(none.stderr.join('\n').match(/--token-url/g)?.length, 1, none.stderr.join('\n'));

    const clash = capture();
    const url = 'https://elsewhere.example/oauth2/token';
    assert.equal(
      await main(['token', 'client-credentials', '--env', 'int', '--token-url', url, ...rest], clash),
      1,
    );
    assert.match(
      clash.stderr.join('\n'),
      /--env int means https:\/\/int\.api\.service\.nhs\.uk\/oauth2\/token/,
    );
  });

  test('exchange then refresh; reusing the old refresh token explains on stderr and exits non-zero', async () => {
    const d = demo.emu.demo!;
    const idToken = await mockSignIn(demo.emu.url, {
      provider: 'cis2',
      username: '656005750104',
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
    const rt = (JSON.parse(ex.stdout.join('\n')) as Record<string, string>)['refresh_token'] ?? '';
    const refreshArgs = [
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
    const r1 = capture();
    assert.equal(await main(refreshArgs, r1), 0, r1.stderr.join('\n'));
    assert.match(r1.stdout.join('\n'), /refresh_count: 1/);
    const r2 = capture();
    assert.equal(await main(refreshArgs, r2), 1);
    const err = r2.stderr.join('\n');
    assert.match(err, /ERR_OAUTH: The refresh token was rejected/);
    assert.match(err, /HTTP 401 invalid_grant: refresh_token is invalid \(message_id /);
    assert.match(err, /Likely causes:\n {2}1\. .*single-use/);
    assert.match(err, /Fix: Sign in again/);
    for (const secret of [rt, d.app.clientSecret ?? '?', d.app.apiKey]) assert.ok(!err.includes(secret));
  });

  test('secrets from files and standard input, a warning for one on the command line, clear text refused', async () => {
    const d = demo.emu.demo!;
    const idToken = await mockSignIn(demo.emu.url, {
      provider: 'cis2',
      username: '656005750104',
      clientId: d.app.apiKey,
      clientSecret: d.app.clientSecret ?? '',
      redirectUri: d.app.redirectUri!,
    });
    const subjectFile = join(demo.dir, 'id-token.txt');
    await writeFile(subjectFile, `${idToken}\n`, { mode: 0o600 });
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
          '--subject-token-file',
          subjectFile,
          '--json',
        ],
        ex,
      ),
      0,
      ex.stderr.join('\n'),
    );
    assert.ok(!ex.stderr.some((l) => l.startsWith('Warning')), 'no warning for a secret from a file');
    const rt = (JSON.parse(ex.stdout.join('\n')) as Record<string, string>)['refresh_token'] ?? '';
    const secretFile = join(demo.dir, 'client-secret.txt');
    await writeFile(secretFile, d.app.clientSecret ?? '', { mode: 0o600 });
    const fromStdin = { ...capture(), readStdin: async () => `${rt}\n` };
    const base = ['token', 'refresh', '--token-url', demo.emu.tokenUrl(), '--client-id', d.app.apiKey];
    assert.equal(
      await main([...base, '--client-secret-file', secretFile, '--refresh-token-file', '-'], fromStdin),
      0,
      fromStdin.stderr.join('\n'),
    );
    assert.match(fromStdin.stdout.join('\n'), /refresh_count: 1/);
    assert.ok(!fromStdin.stderr.some((l) => l.startsWith('Warning')), fromStdin.stderr.join('\n'));

    const twice = { ...capture(), readStdin: async () => 'x' };
    assert.equal(await main([...base, '--client-secret-file', '-', '--refresh-token-file', '-'], twice), 1);
    assert.match(twice.stderr.join('\n'), /Standard input already holds --client-secret-file/);

    const inline = capture();
    await main(
      [...base, '--client-secret', d.app.clientSecret ?? '', '--refresh-token', 'an-old-refresh-token-value'],
      inline,
    );
    assert.match(
      inline.stderr.join('\n'),
      /Warning: --client-secret on the command line is visible to other local users/,
    );
    assert.match(inline.stderr.join('\n'), /Warning: --refresh-token on the command line/);

    const clear = capture();
    assert.equal(
      await main(
        [
          'token',
          'refresh',
          '--token-url',
          'http://token.example.invalid/oauth2/token',
          '--client-id',
          'k',
          '--client-secret-file',
          secretFile,
          '--refresh-token-file',
          secretFile,
        ],
        clear,
      ),
      1,
    );
    assert.match(clear.stderr.join('\n'), /ERR_URL_INVALID/);
    assert.match(clear.stderr.join('\n'), /must use https; plain http is only for 127\.0\.0\.1 or localhost/);
  });

  test('bad arguments and unreachable servers fail clearly', async () => {
    const missing = capture();
    assert.equal(await main(['token', 'refresh', '--token-url', demo.emu.tokenUrl()], missing), 1);
    assert.match(missing.stderr.join('\n'), /--client-id is required/);
    const unknown = capture();
    assert.equal(await main(['token', 'nope'], unknown), 2);
    const badTimeout = capture();
    assert.equal(
      await main(
        ['token', 'client-credentials', '--token-url', 'http://127.0.0.1:1/oauth2/token', '--timeout', 'abc'],
        badTimeout,
      ),
      1,
    );
    assert.match(badTimeout.stderr.join('\n'), /--timeout/);
    const refused = capture();
    assert.equal(
      await main(
        [
          'token',
          'refresh',
          '--token-url',
          'http://127.0.0.1:1/oauth2/token',
          '--client-id',
          'k',
          '--client-secret',
          's',
          '--refresh-token',
          'r',
          '--no-retry',
        ],
        refused,
      ),
      1,
    );
    assert.match(refused.stderr.join('\n'), /ERR_HTTP_CONNECT/);
  });
});

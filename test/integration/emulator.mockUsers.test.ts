// The extension asks the emulator it talks to for its mock users instead of keeping a copy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { startEmulator } from '../../src/core/emulator/server.ts';
import type { RunningEmulator } from '../../src/core/emulator/server.ts';
import { listMockUsers } from '../../src/core/emulator/listMockUsers.ts';
import { AuthExplorerError } from '../../src/core/errors.ts';

let emu: RunningEmulator;
let notEmulator: Server;
let notEmulatorUrl = '';
before(async () => {
  emu = await startEmulator();
  notEmulator = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'),
  );
  await new Promise<void>((r) => notEmulator.listen(0, '127.0.0.1', r));
  notEmulatorUrl = `http://127.0.0.1:${(notEmulator.address() as { port: number }).port}`;
});
after(async () => {
  await emu.close();
  await new Promise<void>((r) => notEmulator.close(() => r()));
});

test('the emulator lists its mock users: the NHS login and CIS2 test users', async () => {
  const users = await listMockUsers(emu.url);
  assert.deepEqual(
    users.filter((u) => u.provider === 'nhs-login').map((u) => u.username),
    ['9912003071', '9912003072', '9912003073'],
  );
  assert.deepEqual(
    users.filter((u) => u.provider === 'cis2').map((u) => u.username),
    [
      '656005750104',
      '656005750107',
      '656005750108',
      '656005750109',
      '656005750111',
      '656005750112',
      '656005750110',
    ],
  );
  assert.match(users.find((u) => u.username === '656005750107')?.description ?? '', /555254242105/);
});

test('a URL that is not an emulator gives a clear error', async () => {
  await assert.rejects(
    listMockUsers(notEmulatorUrl),
    (e: unknown) =>
      e instanceof AuthExplorerError &&
      e.code === 'ERR_HTTP_NOT_JSON' &&
      /not an NHS Auth Explorer emulator|is this URL/.test(e.message),
  );
});

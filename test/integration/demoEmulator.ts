// An emulator with its demo app for a test file, and the demo app's private key in a 0600 file, as
// a user of the CLI would have it. Registers the file's before/after hooks.
import { before, after } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/core/emulator/server.ts';
import type { RunningEmulator } from '../../src/core/emulator/server.ts';

export interface DemoEmulator {
  emu: RunningEmulator;
  dir: string;
  keyFile: string;
}

export function useDemoEmulator(tmpPrefix: string): DemoEmulator {
  const ctx = {} as DemoEmulator;
  before(async () => {
    ctx.emu = await startEmulator({ demoApp: true });
    ctx.dir = await mkdtemp(join(tmpdir(), tmpPrefix));
    ctx.keyFile = join(ctx.dir, 'key.pem');
    await writeFile(ctx.keyFile, ctx.emu.demo?.privateKeyPem ?? '', { mode: 0o600 });
  });
  after(async () => {
    await ctx.emu.close();
    await rm(ctx.dir, { recursive: true, force: true });
  });
  return ctx;
}

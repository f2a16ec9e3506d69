// `nhs-auth emulator`: runs the local emulator until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliCommand, CliIo } from '../command.ts';
import { AuthExplorerError } from '../../core/errors.ts';
import { isLoopbackHost, parseAppsFile, startEmulator } from '../../core/emulator/server.ts';
import type { EmulatorAppConfig, RunningEmulator } from '../../core/emulator/server.ts';
import { validateApp } from '../../core/emulator/appsFile.ts';
import { ALL_HELLO_WORLD_PRODUCTS } from '../../core/emulator/demoApp.ts';
import { readTextFile } from '../options.ts';

function errorKind(e: unknown): string {
  if (!(e instanceof Error)) return typeof e;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? `${e.name} ${code}` : e.name;
}

const usage = `Usage: nhs-auth emulator [--port P] [--host 127.0.0.1] [--apps FILE | --jwks FILE [--api-key KEY]]
                        [--base-url URL] [--control-token T]

Runs a local emulator of the NHS England API Platform's OAuth service (/oauth2 and /oauth2-mock),
mock NHS login and CIS2 sign-in, and Hello World. --jwks registers one app that trusts the keys of a
JWKS file (the one \`nhs-auth keys generate\` writes), with every Hello World product, under --api-key
(or a random one). Without --apps or --jwks a demo app is registered and its private key is written
to a 0600 file in a new temp directory, removed when the emulator stops.
It answers only requests whose Host is 127.0.0.1, localhost or [::1] with its port (or the host of
--base-url), and refuses requests from web pages of another origin. The control API (/_emulator/*)
needs "Authorization: Bearer <control token>": random per run and printed on the "control token:"
line, or set with --control-token (or NHS_AUTH_EMULATOR_CONTROL_TOKEN) for scripts.
Stops on Ctrl+C (SIGINT) or SIGTERM.`;

function parsePort(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535)
    throw new AuthExplorerError('ERR_ARGUMENT', `--port must be 0-65535, got '${raw}'`);
  return Number(raw);
}

/** Starts the emulator and prints where it is; exported so tests can stop it without signals. */
export async function startFromArgs(args: string[], io: CliIo): Promise<RunningEmulator> {
  let values: {
    port?: string;
    host?: string;
    apps?: string;
    jwks?: string;
    'api-key'?: string;
    'base-url'?: string;
    'control-token'?: string;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        apps: { type: 'string' },
        jwks: { type: 'string' },
        'api-key': { type: 'string' },
        'base-url': { type: 'string' },
        'control-token': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new AuthExplorerError('ERR_ARGUMENT', (e as Error).message);
  }
  const host = values.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    io.err(
      `Warning: --host ${host} is not a loopback address. Other machines that can reach it can use the emulator's apps and tokens; prefer 127.0.0.1.`,
    );
  }
  let apps: EmulatorAppConfig[] | undefined;
  if (values.apps) {
    let text: string;
    try {
      text = await readFile(values.apps, 'utf8');
    } catch (e) {
      throw new AuthExplorerError(
        'ERR_APPS_FILE',
        `cannot read apps file ${values.apps}: ${(e as Error).message}`,
      );
    }
    apps = parseAppsFile(text);
  }
  if (values.jwks !== undefined || values['api-key'] !== undefined) {
    if (values.apps) throw new AuthExplorerError('ERR_ARGUMENT', 'Give --apps or --jwks, not both.');
    if (values.jwks === undefined)
      throw new AuthExplorerError('ERR_ARGUMENT', '--api-key names the app of --jwks FILE; give --jwks too.');
    apps = [await appFromJwksFile(values.jwks, values['api-key'])];
  }
  const controlToken =
    values['control-token'] ?? (process.env.NHS_AUTH_EMULATOR_CONTROL_TOKEN?.trim() || undefined);
  const emulator = await startEmulator({
    port: parsePort(values.port),
    host,
    ...(apps ? { apps } : {}),
    ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}),
    ...(controlToken ? { controlToken } : {}),
    // The error's class and code only: its message could quote what the request carried.
    onHandlerError: ({ method, path, error }) =>
      io.err(`emulator: ${method} ${path} failed (${errorKind(error)}); answered 500 unknown_error`),
  });
  io.out(`Emulator listening on ${emulator.url}`);
  io.out(`Token URL: ${emulator.tokenUrl()} (also ${emulator.tokenUrl('oauth2-mock')})`);
  io.out(`control token: ${emulator.controlToken}`);
  if (apps) io.out(`Apps: ${apps.map((a) => a.name).join(', ')}`);
  if (values.jwks && apps?.[0]) {
    const app = apps[0];
    io.out(`Your app (it trusts the keys of ${values.jwks}):`);
    io.out(`  API key:       ${app.apiKey}`);
    io.out(`  Client secret: ${app.clientSecret ?? ''}`);
    io.out(`  kids:          ${(app.jwks?.keys ?? []).map((k) => k.kid ?? '(none)').join(', ')}`);
    io.out(`  Redirect URI:  ${app.redirectUri ?? ''}`);
  }
  let dir: string | undefined;
  if (emulator.demo) {
    dir = await mkdtemp(join(tmpdir(), 'nhs-auth-emulator-'));
    const keyPath = join(dir, `${emulator.demo.kid}.pem`);
    await writeFile(keyPath, emulator.demo.privateKeyPem, { mode: 0o600 });
    io.out('Demo app (the only app; you asked for it by giving no --apps file):');
    io.out(`  API key:       ${emulator.demo.app.apiKey}`);
    io.out(`  Client secret: ${emulator.demo.app.clientSecret ?? ''}`);
    io.out(`  kid:           ${emulator.demo.kid}`);
    io.out(`  Private key:   ${keyPath} (mode 0600)`);
    io.out(`  Redirect URI:  ${emulator.demo.app.redirectUri ?? ''}`);
  }
  io.out('Press Ctrl+C to stop.');
  if (!dir) return emulator;
  const keyDir = dir;
  // The demo private key lives only as long as the emulator that trusts it.
  return {
    ...emulator,
    close: async () => {
      await emulator.close();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}

export const emulatorCommand: CliCommand = {
  name: 'emulator',
  summary: 'run a local emulator of the platform OAuth service',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const emulator = await startFromArgs(args, io);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await emulator.close();
    io.out('Emulator stopped.');
    return 0;
  },
};

/** One app trusting the public keys of a JWKS file, subscribed to every Hello World product. */
async function appFromJwksFile(path: string, apiKey: string | undefined): Promise<EmulatorAppConfig> {
  const text = await readTextFile(path, 'JWKS file');
  let jwks: unknown;
  try {
    jwks = JSON.parse(text);
  } catch (e) {
    throw new AuthExplorerError(
      'ERR_APPS_FILE',
      `The JWKS file ${path} is not valid JSON: ${(e as Error).message}`,
    );
  }
  return validateApp(
    {
      name: 'Your app',
      apiKey: apiKey ?? randomBytes(16).toString('hex'),
      clientSecret: randomBytes(16).toString('hex'),
      jwks,
      redirectUri: 'http://127.0.0.1:8765/callback',
      products: [...ALL_HELLO_WORLD_PRODUCTS],
      status: 'approved',
    },
    `--jwks ${path}`,
  );
}

// Host-side driver for the browser-level inspector test and benchmark (scripts/workbenchInspectorTest.mjs,
// scripts/benchInspector.mjs). Loaded as the extensionTestsPath module: VS Code calls run() and exits
// the extension host with 0 when it resolves, 1 when it rejects. It stages a real session against the
// embedded emulator and opens the inspector; the person-like part (reading, clicking) is Playwright's.
// The runner talks back over a loopback HTTP port the driver announces in its READY line.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type {
  NhsAuthExplorerExports,
  NhsAuthExplorerTestHooks as NhsAuthExplorerApi,
} from '../../src/extension.ts';
import type { KeyRecord } from '../../src/core/profiles/profile.ts';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';
import type { WebviewMessage } from '../../src/core/inspector/protocol.ts';

/** The line prefix the runner watches for (through codeAutomationLog). */
export const MARKER = 'NHS_AUTH_DRIVER';

const EXTENSION_ID = 'nhs-auth-tools.nhs-auth-explorer';

function say(event: string, data: Record<string, unknown> = {}): void {
  console.log(`${MARKER} ${event} ${JSON.stringify(data)}`);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Signals from the runner: GET /<name> resolves waitFor(name). */
function controlChannel(): {
  port: Promise<number>;
  waitFor(name: string, ms: number): Promise<void>;
  close(): void;
} {
  const seen = new Set<string>();
  const waiters = new Map<string, () => void>();
  const server = createServer((req, res) => {
    const name = (req.url ?? '/').slice(1);
    seen.add(name);
    waiters.get(name)?.();
    res.writeHead(204).end();
  });
  const port = new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
  return {
    port,
    waitFor: (name, ms) =>
      withTimeout(
        new Promise<void>((resolve) => {
          if (seen.has(name)) resolve();
          else waiters.set(name, resolve);
        }),
        ms,
        `the runner's "${name}" signal`,
      ),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

type Rendered = Extract<WebviewMessage, { type: 'rendered' }>;

function nextRendered(
  api: NhsAuthExplorerApi,
  match: (m: Rendered) => boolean,
  ms: number,
  what: string,
): Promise<Rendered> {
  let sub: vscode.Disposable | undefined;
  return withTimeout(
    new Promise<Rendered>((resolve) => {
      sub = api.inspector.onDidReceiveMessage((m) => {
        if (m.type === 'rendered' && match(m)) resolve(m);
      });
    }),
    ms,
    what,
  ).finally(() => sub?.dispose());
}

/** A profile on the Local emulator with a key and an NHS login token-exchange session (refresh_count 0). */
async function stageSession(): Promise<string> {
  const profileId = await vscode.commands.executeCommand<string>('nhsAuth.addProfile', {
    environmentId: 'local',
    name: 'Workbench demo',
  });
  if (!profileId) throw new Error('nhsAuth.addProfile returned no profile id');
  const key = await vscode.commands.executeCommand<KeyRecord>('nhsAuth.generateKey', profileId);
  if (!key?.kid) throw new Error('nhsAuth.generateKey returned no key');
  const s = await vscode.commands.executeCommand<SessionSnapshot>('nhsAuth.getToken', {
    profileId,
    grant: 'token_exchange',
    mockUser: { provider: 'nhs-login', username: '9912003071' },
    throwErrors: true,
  });
  if (s?.refreshCount !== 0 || !s.refreshToken)
    throw new Error(`expected a refreshable session with refresh_count 0, got ${String(s?.refreshCount)}`);
  say('SESSION', { profileId, kid: key.kid, grant: s.grant, refreshCount: s.refreshCount });
  return profileId;
}

/** Opens the inspector and resolves when the webview first reports a render of that profile's session. */
async function openInspector(
  api: NhsAuthExplorerApi,
  profileId: string,
): Promise<{ openToRenderMs: number; rendered: Rendered }> {
  const rendered = nextRendered(
    api,
    (m) => m.mode === 'session' && api.inspector.current?.profileId() === profileId,
    30_000,
    "the inspector's first render",
  );
  const t0 = performance.now();
  await vscode.commands.executeCommand('nhsAuth.openInspector', profileId);
  const r = await rendered;
  return { openToRenderMs: performance.now() - t0, rendered: r };
}

/** The browser test: stage, open, then wait for the person's click to refresh the session. */
async function inspectorScenario(
  api: NhsAuthExplorerApi,
  control: ReturnType<typeof controlChannel>,
): Promise<void> {
  const profileId = await stageSession();
  const { openToRenderMs, rendered } = await openInspector(api, profileId);
  if (rendered.refreshCount !== 0)
    throw new Error(`the webview rendered refresh_count ${String(rendered.refreshCount)}, expected 0`);
  let refreshClicked = false;
  const actions = api.inspector.onDidReceiveMessage((m) => {
    if (m.type === 'action' && m.action === 'refresh') refreshClicked = true;
  });
  // Subscribe before announcing readiness so the render after the click cannot be missed.
  const renderedOne = nextRendered(
    api,
    (m) => m.refreshCount === 1,
    120_000,
    'the webview to render refresh_count 1',
  );
  const store = api.services.tokens.store;
  const refreshed = withTimeout(
    new Promise<void>((resolve) => {
      const check = async (): Promise<void> => {
        if ((await store.load(profileId))?.refreshCount === 1) {
          sub.dispose();
          resolve();
        }
      };
      const sub = store.onDidChange((id) => {
        if (id === profileId) void check();
      });
      void check();
    }),
    120_000,
    "the session's refresh_count to become 1",
  );
  say('READY', { port: await control.port, profileId, openToRenderMs: Math.round(openToRenderMs) });
  try {
    await refreshed;
    await renderedOne;
  } finally {
    actions.dispose();
  }
  if (!refreshClicked)
    throw new Error('the session was refreshed, but not by the webview\'s "Refresh now" action');
  say('REFRESHED', { refreshCount: 1, viaWebviewAction: true });
  // Let the runner finish reading and take its screenshot before the host goes away.
  await control
    .waitFor('done', 60_000)
    .catch(() => say('NOTE', { message: 'no "done" from the runner; exiting anyway' }));
}

const EMPTY_HTML =
  '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src \'none\'"><title>Empty</title></head><body><p id="empty">Empty webview</p></body></html>';

/** The benchmark: an empty webview for a baseline, then the inspector, each held while the runner measures. */
async function benchScenario(
  api: NhsAuthExplorerApi,
  control: ReturnType<typeof controlChannel>,
  opens: number,
): Promise<void> {
  const profileId = await stageSession();
  const port = await control.port;
  // Time to first paint, on fresh panels: open, wait for the first render, close.
  const samples: number[] = [];
  for (let i = 0; i < opens; i++) {
    samples.push((await openInspector(api, profileId)).openToRenderMs);
    api.inspector.current?.dispose();
  }
  say('OPEN_TIMES', { samples: samples.map((s) => Math.round(s * 10) / 10) });
  const empty = vscode.window.createWebviewPanel(
    'nhsAuth.benchEmpty',
    'Empty webview',
    vscode.ViewColumn.Active,
    { enableScripts: false },
  );
  empty.webview.html = EMPTY_HTML;
  say('EMPTY_READY', { port });
  await control.waitFor('empty-measured', 120_000);
  empty.dispose();
  await openInspector(api, profileId);
  say('INSPECTOR_READY', { port });
  await control.waitFor('done', 120_000);
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<NhsAuthExplorerExports>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded in this host`);
  // The internals come through the test-only switch (the runner sets NHS_AUTH_TEST=1).
  const api = (await ext.activate()).testing;
  if (!api) throw new Error('the workbench driver needs NHS_AUTH_TEST=1');
  const control = controlChannel();
  try {
    if (process.env.NHS_AUTH_DRIVER_MODE === 'bench')
      await benchScenario(api, control, Number(process.env.NHS_AUTH_BENCH_OPENS ?? 5));
    else await inspectorScenario(api, control);
    say('PASS');
  } catch (e) {
    say('FAIL', { message: e instanceof Error ? e.message : String(e) });
    throw e;
  } finally {
    control.close();
  }
}

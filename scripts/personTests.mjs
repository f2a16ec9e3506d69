// Layer 4 of `npm test`: the workbench a person gets from `npm start`, used as that person uses it.
// It runs `npm start` itself (scripts/tasks.mjs start, the command npm start runs after bootstrap,
// with only the person-facing --port and --state-dir options), so the server, its flags, settings and
// routes are exactly the person's: nothing stubbed, no test flag. Then, in Debian's Chromium driven
// by Playwright, it clicks and types: the fence refuses strangers, a key's notification toast shows,
// secrets survive a reload and a restart, the browser sign-in completes, the request log fills and
// holds no secret, and an error toast explains itself. Screenshots go to out/person-*.png.
//   node scripts/personTests.mjs        (under Node 24; `npm test` runs it)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, freePort, launchBrowser, newWorkbenchPage, onExitCleanup } from './vscodeServer.mjs';

const STEP_TIMEOUT = 60_000;

/**
 * Runs `npm start` as a person would (after bootstrap; or the whole `node scripts/bootstrap.mjs
 * start` with command: 'bootstrap' and a node of the caller's choosing) and resolves with its URL.
 */
export async function startLikeAPerson(root, { port, stateDir, log, command = 'tasks', node = process.execPath, env = process.env }) {
  const script = command === 'bootstrap' ? join(root, 'scripts', 'bootstrap.mjs') : join(root, 'scripts', 'tasks.mjs');
  const child = spawn(node, [script, 'start', '--port', String(port), '--state-dir', stateDir], {
    cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env,
  });
  let output = '';
  const stop = async () => {
    unregister();
    if (child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  };
  const unregister = onExitCleanup(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } });
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`npm start printed no URL within 600 s:\n${output.slice(-2000)}`)), 600_000);
    const onData = (d) => {
      output += d;
      const m = output.match(/(http:\/\/127\.0\.0\.1:\d+\/\?tkn=\S+)/);
      if (m) { clearTimeout(timer); res(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); rej(new Error(`npm start exited (${code}):\n${output.slice(-2000)}`)); });
  });
  log(`  npm start: ${url.replace(/tkn=[^&]+/, 'tkn=…')}`);
  return { url, stop, output: () => output };
}

/** Sends a raw HTTP request (so Host, Origin and Upgrade are exactly what a hostile client sends). */
function rawRequest(port, lines) {
  return new Promise((res, rej) => {
    const s = connect(port, '127.0.0.1');
    let data = '';
    s.setTimeout(10_000, () => { s.destroy(); rej(new Error('raw request timed out')); });
    s.on('connect', () => s.write(`${lines.join('\r\n')}\r\n\r\n`));
    s.on('data', (d) => { data += d; if (data.includes('\r\n\r\n')) s.end(); });
    s.on('close', () => res({ status: Number(data.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0), text: data }));
    s.on('error', rej);
  });
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input[type="text"], .quick-input-widget input:not([type])').first();
  // Right after a reload the workbench is still restoring its views, and a view taking focus closes
  // the palette; a person presses F1 again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 3_000 });
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      // The palette may have closed while its list filled; Enter then lands elsewhere.
      if (!(await input.isVisible())) throw new Error('the command palette closed before Enter');
      break;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.waitForTimeout(500);
    }
  }
  await page.keyboard.press('Enter');
}

/** Chooses an item of the quick pick on screen by typing its label, as a person filters a list. */
async function pick(page, label) {
  const input = page.locator('.quick-input-widget input').first();
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
  const t0 = Date.now();
  // The palette's own list stays on screen until the command's pick replaces it.
  while (Date.now() - t0 < 15_000) {
    if (await row.isVisible().catch(() => false) && !(await input.inputValue().catch(() => '>')).startsWith('>')) break;
    await page.waitForTimeout(100);
  }
  await input.fill(label);
  await page.waitForTimeout(200);
  const focused = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: label }).first();
  await focused.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
}

async function toast(page, text, timeout = STEP_TIMEOUT) {
  const t = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await t.waitFor({ state: 'visible', timeout });
  return t;
}

export async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 90_000 });
  // npm start opens the workbench on the extension's view.
  await page.locator('.part.sidebar .title-label', { hasText: /NHS Auth/i }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
}

async function treeText(page) {
  return (await page.locator('.part.sidebar .monaco-list').first().innerText().catch(() => '')).replace(/\s+/g, ' ');
}

async function waitForTree(page, re, what) {
  const t0 = Date.now();
  while (Date.now() - t0 < STEP_TIMEOUT) {
    if (re.test(await treeText(page))) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`the Environments tree never showed ${what}; it shows: ${await treeText(page)}`);
}

async function expandAll(page) {
  for (let i = 0; i < 6; i++) {
    const collapsed = page.locator('.part.sidebar .monaco-tl-twistie.collapsible.collapsed');
    if (await collapsed.count() === 0) return;
    await collapsed.first().click();
    await page.waitForTimeout(150);
  }
}

/** Shows no error toast: a "credential is missing" after a reload is the loss this layer guards against. */
async function noErrorToast(page, ms = 1500) {
  await page.waitForTimeout(ms);
  const errs = page.locator('.notifications-toasts .notification-toast:has(.codicon-error)');
  if (await errs.count()) throw new Error(`an error toast: ${(await errs.first().innerText()).replace(/\s+/g, ' ')}`);
}

async function getClientCredentialsToken(page) {
  await runCommand(page, 'NHS Auth: Get Token');
  await pick(page, 'Client credentials');
  await waitForTree(page, /client credentials|client_credentials/i, 'a client-credentials session');
  await noErrorToast(page);
}

/**
 * Runs every step in order; a failed step stops the run (later steps stand on it).
 * Returns { ok, passed, failed, note } like the other layers.
 */
export async function runPersonTests({ root, log = console.log }) {
  const outDir = join(root, 'out');
  mkdirSync(outDir, { recursive: true });
  // Outside the clone, as npm start's own default: the workspace is not inside a Git repository.
  const stateDir = join(cacheRoot(), 'test-runs', `person-${process.pid}`);
  rmSync(stateDir, { recursive: true, force: true });
  const unregisterRm = onExitCleanup(() => rmSync(stateDir, { recursive: true, force: true }));
  const port = await freePort();
  let passed = 0;
  let failed = 0;
  let started;
  let browser;
  let page;
  const shot = (name) => page?.screenshot({ path: join(outDir, `person-${name}.png`) }).catch(() => {});
  const step = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      passed++;
      log(`  ✔ ${name} (${Date.now() - t0} ms)`);
      return true;
    } catch (err) {
      failed++;
      log(`  ✖ ${name}: ${err instanceof Error ? err.message : String(err)}`);
      await shot('failure');
      return false;
    }
  };
  const t0 = Date.now();
  try {
    log('person: the workbench of `npm start`, clicked and typed in');
    started = await startLikeAPerson(root, { port, stateDir, log });
    const tStarted = Date.now();
    const base = `http://127.0.0.1:${port}`;
    const token = new URL(started.url).searchParams.get('tkn');
    const secretFile = join(stateDir, 'secrets', 'mint-key');

    const all = [
      ['a request without the token is refused, also for a root-only file', async () => {
        const r = await fetch(`${base}/`, { redirect: 'manual' });
        assert(r.status === 403, `GET / without the token answered ${r.status}`);
        const file = await fetch(`${base}/vscode-remote-resource?path=${encodeURIComponent(secretFile)}`);
        assert(file.status === 403, `a 0600 file without the token answered ${file.status}`);
        const key = await fetch(`${base}/mint-key`, { method: 'POST' });
        assert(key.status === 403, `POST /mint-key without the token answered ${key.status}`);
        // Another local user: the same request from `nobody`, when this run may switch users.
        if (process.getuid?.() === 0 && existsSync('/usr/sbin/runuser') && existsSync('/usr/bin/node')) {
          const r2 = spawnSync('/usr/sbin/runuser', ['-u', 'nobody', '--', '/usr/bin/node', '-e',
            `fetch(${JSON.stringify(`${base}/vscode-remote-resource?path=${encodeURIComponent(secretFile)}`)}).then(r=>console.log(r.status))`], { encoding: 'utf8', cwd: '/' });
          assert(r2.stdout.trim() === '403', `another local user got ${r2.stdout.trim() || r2.stderr.trim()}`);
        }
      }],
      ['a foreign Origin or Host is refused, also on a WebSocket upgrade that carries the token', async () => {
        const ws = (host, origin) => rawRequest(port, [
          `GET /?reconnectionToken=x&reconnection=false&skipWebSocketFrames=false HTTP/1.1`, `Host: ${host}`, `Origin: ${origin}`,
          'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          `Cookie: vscode-tkn=${token}`,
        ]);
        const foreignOrigin = await ws(`127.0.0.1:${port}`, 'http://evil.example');
        assert(foreignOrigin.status === 403, `a WebSocket with a foreign Origin answered ${foreignOrigin.status || foreignOrigin.text.slice(0, 80)}`);
        const rebinding = await ws(`evil.example:${port}`, `http://evil.example:${port}`);
        assert(rebinding.status === 421, `a WebSocket with a foreign Host answered ${rebinding.status}`);
        const get = await rawRequest(port, [`GET /?tkn=${token} HTTP/1.1`, `Host: evil.example:${port}`, 'Connection: close']);
        assert(get.status === 421, `GET with a foreign Host answered ${get.status}`);
      }],
      ['the workbench opens on the NHS Auth view, with no chat and no telemetry notice', async () => {
        browser = await launchBrowser();
        page = await newWorkbenchPage(browser);
        await page.goto(started.url);
        await waitForWorkbench(page);
        log(`    usable workbench ${((Date.now() - tStarted) / 1000).toFixed(1)} s after the URL was printed`);
        assert(!(await page.locator('.part.auxiliarybar').isVisible().catch(() => false)), 'the secondary side bar (chat) is open');
        const footer = await page.locator('.part.statusbar').innerText();
        assert(!/collects usage data/i.test(footer), `the status bar says: ${footer}`);
        await shot('welcome');
      }],
      ['adding a Local profile and generating a key shows the notification toast', async () => {
        await page.locator('.part.sidebar a, .part.sidebar .monaco-button', { hasText: 'Add Local Emulator Profile' }).first().click();
        const input = page.locator('.quick-input-widget input').first();
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await page.keyboard.press('Enter'); // the suggested name
        await waitForTree(page, /Local/, 'the new profile');
        await runCommand(page, 'NHS Auth: Generate Key Pair');
        await toast(page, /Key test-1 is ready/);
        await shot('toast');
      }],
      ['after a page reload, signing an assertion and getting a token still work', async () => {
        await page.reload();
        await waitForWorkbench(page);
        // A person waits for the restored view to show the profile and its key before typing a command:
        // a view still restoring takes focus and swallows the palette's Enter.
        await waitForTree(page, /Local emulator/, 'the profile after the reload');
        await runCommand(page, 'NHS Auth: Sign Client Assertion');
        await page.locator('.editor-instance .view-lines', { hasText: /RS512/ }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
        await noErrorToast(page);
        await getClientCredentialsToken(page);
        await shot('reload');
      }],
      ['after restarting npm start, getting a token still works', async () => {
        await started.stop();
        started = await startLikeAPerson(root, { port, stateDir, log });
        await page.goto(`${base}/`); // the cookie from the first visit is the person's login
        await waitForWorkbench(page);
        await getClientCredentialsToken(page);
      }],
      ['the authorization-code sign-in completes in the browser', async () => {
        const popup = page.context().waitForEvent('page', { timeout: STEP_TIMEOUT });
        await runCommand(page, 'NHS Auth: Sign In (Authorization Code)');
        await pick(page, 'NHS login');
        const signIn = await popup;
        await signIn.waitForLoadState();
        await signIn.locator('#username').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
        await signIn.screenshot({ path: join(outDir, 'person-signin.png') }).catch(() => {});
        assert(new URL(signIn.url()).port !== String(port), `the sign-in page stayed on the VS Code server: ${signIn.url()}`);
        await signIn.fill('#username', '9912003071');
        await signIn.click('button[type="submit"]');
        await signIn.waitForLoadState();
        log(`    sign-in ended at ${new URL(signIn.url()).pathname}: ${(await signIn.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 120)}`);
        await page.bringToFront();
        await waitForTree(page, /authorization code|authorization_code/i, 'the signed-in session');
        await expandAll(page);
        await noErrorToast(page, 500);
        await shot('signin-session');
      }],
      ['the request log shows the token requests, with no secret in it', async () => {
        await runCommand(page, 'NHS Auth: Show Request Log');
        const output = page.locator('.part.panel .view-lines').first();
        await output.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
        // The output view shows only the lines on screen: read from the top, as a person scrolls up.
        await output.click();
        await page.keyboard.press('Control+Home');
        const tokenRequest = /POST http:\/\/127\.0\.0\.1:\d+\/oauth2\/token \[client_credentials\] → HTTP 200/;
        const t1 = Date.now();
        let text = '';
        while (Date.now() - t1 < 20_000 && !tokenRequest.test(text)) {
          await page.waitForTimeout(300);
          text = (await output.innerText()).replace(/\n/g, '').replace(/\u00a0/g, ' ');
        }
        assert(tokenRequest.test(text), `the log shows no token request: ${text.slice(0, 300)}`);
        const jwt = text.match(/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/);
        assert(!jwt, `the log holds a JWT: ${jwt?.[0].slice(0, 20)}…`);
        assert(!/client_secret=(?!\[|%5B|\*|<)[^&\s]+/.test(text), 'the log holds a client secret');
        await shot('log');
      }],
      ['an error shows as a toast with its cause, and Details opens', async () => {
        await runCommand(page, 'NHS Auth: Add Profile');
        await pick(page, 'Integration (oauth2-mock)');
        // Each step of the input box is told apart by its placeholder, as a person reads the prompt.
        for (const [placeholder, value] of [['Integration (oauth2-mock)', ''], ['API key', 'not-a-real-api-key'], ['leave empty to skip', ''], ['http', '']]) {
          const input = page.locator(`.quick-input-widget input[placeholder^="${placeholder}"]`).first();
          await input.waitFor({ state: 'visible', timeout: 10_000 });
          if (value) await input.fill(value);
          await page.keyboard.press('Enter');
        }
        await waitForTree(page, /Integration/, 'the Integration profile');
        await runCommand(page, 'NHS Auth: Generate Key Pair');
        await pick(page, 'Integration');
        await toast(page, /is ready/);
        await runCommand(page, 'NHS Auth: Get Token');
        await pick(page, 'Integration');
        await pick(page, 'Client credentials');
        const t = await toast(page, /host|network|reach|resolve/i);
        await shot('error');
        await t.locator('.monaco-button, a.monaco-button', { hasText: 'Details' }).first().click();
        await page.locator('.editor-instance .view-lines', { hasText: /cause|Cause/ }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      }],
    ];
    for (const [name, fn] of all) {
      if (!(await step(name, fn))) {
        const rest = all.length - all.findIndex(([n]) => n === name) - 1;
        failed += rest;
        if (rest) log(`  (${rest} later steps not run)`);
        break;
      }
    }
  } catch (err) {
    failed = Math.max(failed, 1);
    log(`  ✖ ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await browser?.close().catch(() => {});
    await started?.stop();
    unregisterRm();
    rmSync(stateDir, { recursive: true, force: true, maxRetries: 3 });
  }
  const note = `${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots out/person-*.png`;
  return { ok: failed === 0 && passed > 0, passed, failed, note };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const r = await runPersonTests({ root });
  console.log(`person: ${r.passed} passed, ${r.failed} failed (${r.note})`);
  process.exit(r.ok ? 0 : 1);
}

// Screenshots of the extension running in a real VS Code (the offline 1.139 server + headless
// Chromium). `node scripts/screenshot.mjs [out.png]` writes media/screenshot.png: the NHS Auth
// view container open on the Environments tree. takeScreenshot() lets other scripts stage other views.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startServer,
  launchBrowser,
  newWorkbenchPage,
  workbenchUrl,
  onExitCleanup,
} from './vscodeServer.mjs';
import { buildBundles, startEmulator } from './start.mjs';

/** Opens the NHS Auth container in the activity bar and waits for its Environments view. */
export async function openNhsAuthView(page) {
  const item = page
    .locator(
      '.activitybar .action-item a[aria-label^="NHS Auth"], .activitybar .action-item[aria-label^="NHS Auth"]',
    )
    .first();
  await item.waitFor({ state: 'visible', timeout: 60_000 });
  await item.click();
  // With a single view, VS Code hides its pane header: wait for the container's title and the view's body.
  await page
    .locator('.part.sidebar .title-label', { hasText: /NHS Auth/i })
    .first()
    .waitFor({ state: 'visible', timeout: 30_000 });
  await page
    .locator('.part.sidebar .pane-header[aria-label^="Environments"]')
    .first()
    .waitFor({ state: 'attached', timeout: 30_000 });
  await page.locator('.part.sidebar .pane-body').first().waitFor({ state: 'visible', timeout: 30_000 });
}

/** Hides the chat side bar that VS Code 1.139 opens by default, for an uncluttered picture. */
export async function hideSecondarySideBar(page) {
  const aux = page.locator('.part.auxiliarybar');
  if (await aux.isVisible().catch(() => false)) {
    await page.keyboard.press('Control+Alt+KeyB');
    await aux.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  }
}

/**
 * Starts the server with the extension from root (built bundles in dist/), runs setup(page) (default:
 * open the NHS Auth view), and saves a PNG at out. Options: emulator (default true), viewport, settleMs.
 */
export async function takeScreenshot({
  root,
  out = join(root, 'media', 'screenshot.png'),
  setup = openNhsAuthView,
  emulator = true,
  viewport = { width: 1400, height: 900 },
  settleMs = 1500,
  build = true,
}) {
  if (build && !buildBundles(root)) throw new Error('build failed');
  const dataDir = join(root, '.cache', `screenshot-${process.pid}`);
  const folder = join(dataDir, 'workspace');
  mkdirSync(folder, { recursive: true });
  let emu;
  let server;
  let browser;
  const unregisterRm = onExitCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const env = {};
    if (emulator) {
      emu = await startEmulator(root, { log: () => {} });
      if (emu.url)
        Object.assign(env, {
          NHS_AUTH_EMULATOR_URL: emu.url,
          NHS_AUTH_EMULATOR_CONTROL_TOKEN: emu.controlToken,
        });
    }
    // The extension installed, as npm start has it: the picture is what a person sees.
    server = await startServer({ dataDir, env, extensionPath: root });
    browser = await launchBrowser();
    const page = await newWorkbenchPage(browser, { viewport });
    await page.goto(
      workbenchUrl({
        port: server.port,
        token: server.token,
        folder,
      }),
    );
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
    await hideSecondarySideBar(page);
    await setup(page);
    await page.mouse.move(viewport.width / 2, viewport.height - 5); // no hover tooltip in the picture
    await page.waitForTimeout(settleMs);
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    return out;
  } finally {
    await browser?.close().catch(() => {});
    server?.stop();
    emu?.stop?.();
    unregisterRm();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const out = process.argv[2] ? resolve(process.argv[2]) : undefined;
  const t0 = Date.now();
  try {
    const file = await takeScreenshot({ root, ...(out ? { out } : {}) });
    console.log(`screenshot saved: ${file} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    process.exit(0);
  } catch (err) {
    console.error(`screenshot failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

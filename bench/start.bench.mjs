// How long `npm start` takes to a usable workbench: from the command to the printed link, and from
// opening the link in Chromium to the NHS Auth view on screen (the extension activated), then a
// reload. Warm: the cache in ~/.cache/nhs-auth-explorer as it is. Cold (--cold): an empty cache in a
// scratch XDG_CACHE_HOME, so Node 24, the VS Code server and its native modules are installed first
// (npm's own download cache and node_modules stay as they are).
//   npm run bench -- start            warm, 3 runs
//   npm run bench -- start --cold     one cold run, then warm runs on that cache
import { spawnSync } from 'node:child_process';
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launchBrowser, newWorkbenchPage } from '../scripts/vscodeServer.mjs';
import { startLikeAPerson, waitForWorkbench } from '../scripts/personTests.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cold = process.argv.includes('--cold');
const runs = 3;

function systemNode() {
  const r = spawnSync('bash', ['-lc', 'command -v node'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: '/usr/local/bin:/usr/bin:/bin' },
  });
  return r.stdout.trim() || process.execPath;
}

async function once({ label, command, node, env, browser }) {
  const stateDir = mkdtempSync(join(tmpdir(), 'nhs-auth-start-bench-'));
  const port = await freePort();
  const t0 = performance.now();
  const started = await startLikeAPerson(root, { port, stateDir, log: () => {}, command, node, env });
  const tUrl = performance.now();
  const page = await newWorkbenchPage(browser);
  try {
    await page.goto(started.url);
    await waitForWorkbench(page);
    const tUsable = performance.now();
    await page.reload();
    await waitForWorkbench(page);
    const tReload = performance.now();
    const r = {
      label,
      toUrl: (tUrl - t0) / 1000,
      toUsable: (tUsable - tUrl) / 1000,
      total: (tUsable - t0) / 1000,
      reload: (tReload - tUsable) / 1000,
    };
    console.log(
      `${label.padEnd(6)} command→link ${r.toUrl.toFixed(1)} s, link→usable ${r.toUsable.toFixed(1)} s, total ${r.total.toFixed(1)} s, reload→usable ${r.reload.toFixed(1)} s`,
    );
    return r;
  } finally {
    await page
      .context()
      .close()
      .catch(() => {});
    await started.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

console.log(
  `npm start to a usable workbench; ${cpus()[0]?.model} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
);
const browser = await launchBrowser();
let scratch;
try {
  const env = { ...process.env };
  let command = 'tasks';
  let node = process.execPath;
  if (cold) {
    scratch = mkdtempSync(join(tmpdir(), 'nhs-auth-cold-cache-'));
    env.XDG_CACHE_HOME = scratch;
    delete env.NHS_AUTH_CACHE;
    command = 'bootstrap';
    node = systemNode();
    await once({ label: 'cold', command, node, env, browser });
  }
  const warm = [];
  for (let i = 0; i < runs; i++) warm.push(await once({ label: 'warm', command, node, env, browser }));
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `warm median: command→link ${median(warm.map((r) => r.toUrl)).toFixed(1)} s, total ${median(warm.map((r) => r.total)).toFixed(1)} s, reload ${median(warm.map((r) => r.reload)).toFixed(1)} s`,
  );
} finally {
  await browser.close().catch(() => {});
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}

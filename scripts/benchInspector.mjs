// Benchmark of the token inspector in the real workbench (not part of the tests):
//  1. time from `nhsAuth.openInspector` executed to the webview's first `rendered` message (fresh panels),
//  2. idle CPU over 10 s with the inspector open and its countdowns ticking, against an empty webview.
// CPU is read from /proc/<pid>/stat (utime + stime) of Chromium's processes (split by --type) and of the
// VS Code extension host, before and after each window; plus, per webview frame in its own renderer
// (an out-of-process iframe), CDP Performance.getMetrics TaskDuration: main-thread work of that frame's
// renderer. Run with Node 24: node scripts/benchInspector.mjs
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { startWorkbenchDriver } from './workbenchInspectorTest.mjs';

const WINDOW_MS = 10_000;
const SETTLE_MS = 5000;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** pid → { ppid, cpuTicks, cmd } for every process we can read. */
function processTable() {
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      table.set(Number(name), { ppid: Number(rest[1]), cpuTicks: Number(rest[11]) + Number(rest[12]), cmd });
    } catch {
      /* exited meanwhile */
    }
  }
  return table;
}

function descendants(table, root) {
  const out = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of table)
      if (!out.has(pid) && out.has(p.ppid)) {
        out.add(pid);
        grew = true;
      }
  }
  return out;
}

/** CPU ticks per group: Chromium renderers, other Chromium processes, the extension host, the rest of the server. */
function sample(browserPid, serverPid) {
  const table = processTable();
  const groups = { renderers: 0, chromiumOther: 0, extensionHost: 0, serverOther: 0 };
  const pids = { renderers: [], extensionHost: [] };
  for (const pid of descendants(table, browserPid)) {
    const p = table.get(pid);
    if (!p) continue;
    if (p.cmd.includes('--type=renderer')) {
      groups.renderers += p.cpuTicks;
      pids.renderers.push(pid);
    } else groups.chromiumOther += p.cpuTicks;
  }
  for (const pid of descendants(table, serverPid)) {
    const p = table.get(pid);
    if (!p) continue;
    if (p.cmd.includes('--type=extensionHost')) {
      groups.extensionHost += p.cpuTicks;
      pids.extensionHost.push(pid);
    } else groups.serverOther += p.cpuTicks;
  }
  return { groups, pids };
}

/** The webview frames that run in their own renderer, each with a CDP session. */
async function webviewSessions(page) {
  const out = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || !frame.url().includes('/webview/')) continue;
    try {
      const cdp = await page.context().newCDPSession(frame);
      await cdp.send('Performance.enable');
      out.push({ frame, cdp });
    } catch {
      /* same process as its parent: no own session */
    }
  }
  if (out.length === 0) {
    // Webviews share the workbench's renderer here (same site): measure that renderer's main thread.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    out.push({ frame: page.mainFrame(), cdp, shared: true });
  }
  return out;
}

async function taskSeconds(sessions) {
  let total = 0;
  for (const { cdp } of sessions) {
    const { metrics } = await cdp.send('Performance.getMetrics').catch(() => ({ metrics: [] }));
    total += metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  }
  return total;
}

/** Idle CPU over one window, in ms of CPU per second of wall time (= tenths of a percent of one core). */
async function measure(page, browserPid, serverPid) {
  await page.waitForTimeout(SETTLE_MS);
  const sessions = await webviewSessions(page);
  const a = sample(browserPid, serverPid);
  const ta = await taskSeconds(sessions);
  const t0 = performance.now();
  await page.waitForTimeout(WINDOW_MS);
  const secs = (performance.now() - t0) / 1000;
  const b = sample(browserPid, serverPid);
  const tb = await taskSeconds(sessions);
  const perSec = (ticks) => (ticks * 1000) / CLK_TCK / secs;
  const row = {};
  for (const k of Object.keys(a.groups)) row[k] = perSec(b.groups[k] - a.groups[k]);
  row.webviewTask = sessions.length ? ((tb - ta) * 1000) / secs : NaN;
  row.oopifs = sessions.filter((x) => !x.shared).length;
  row.rendererCount = b.pids.renderers.length;
  for (const s of sessions) await s.cdp.detach().catch(() => {});
  return row;
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length
    ? s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
    : NaN;
};

export async function benchInspector({ root, opens = 5 }) {
  const session = await startWorkbenchDriver({
    root,
    mode: 'bench',
    env: { NHS_AUTH_BENCH_OPENS: String(opens) },
  });
  try {
    // playwright-core's launched Browser does not expose its pid: find our child Chromium's browser process.
    const table = processTable();
    const browserPid = [...descendants(table, process.pid)].find(
      (pid) => /chrom/i.test(table.get(pid)?.cmd ?? '') && !table.get(pid).cmd.includes('--type='),
    );
    if (!browserPid) throw new Error("no Chromium browser process among this process's children");
    const { samples } = await session.waitForEvent('OPEN_TIMES', 180_000);
    await session.waitForEvent('EMPTY_READY', 60_000);
    const empty = await measure(session.page, browserPid, session.server.pid);
    await session.signal('empty-measured');
    await session.waitForEvent('INSPECTOR_READY', 60_000);
    const inspector = await measure(session.page, browserPid, session.server.pid);
    await session.signal('done');
    await session.waitForExit(30_000);
    return { samples, empty, inspector };
  } finally {
    session.saveTranscript();
    await session.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  if (
    spawnSync(process.execPath, [join(root, 'esbuild.mjs'), '--tests'], { cwd: root, stdio: 'inherit' })
      .status !== 0
  )
    process.exit(1);
  const { samples, empty, inspector } = await benchInspector({ root });
  const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  console.log(
    `\nmachine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, CLK_TCK ${CLK_TCK}`,
  );
  console.log(
    `\nopen → first paint (nhsAuth.openInspector executed → webview's first 'rendered' message, host clock), ${samples.length} fresh panels`,
  );
  console.log(`  samples ${samples.map(f).join(', ')} ms`);
  console.log(
    `  first (cold) ${f(samples[0])} ms · median ${f(median(samples))} ms · min ${f(Math.min(...samples))} ms · max ${f(Math.max(...samples))} ms`,
  );
  console.log(
    `\nidle CPU over ${WINDOW_MS / 1000} s after ${SETTLE_MS / 1000} s settle, ms of CPU per s (10 = 1% of one core)`,
  );
  const rows = [
    ['Chromium renderer processes (workbench + webviews)', 'renderers'],
    ['  renderer main thread hosting the webview (CDP TaskDuration)', 'webviewTask'],
    ['Chromium other processes (browser, GPU, utility)', 'chromiumOther'],
    ['VS Code extension host', 'extensionHost'],
    ['VS Code server (rest)', 'serverOther'],
  ];
  console.log(
    `  ${'process'.padEnd(60)} ${'empty webview'.padStart(14)} ${'inspector'.padStart(10)} ${'delta'.padStart(8)}`,
  );
  for (const [label, k] of rows)
    console.log(
      `  ${label.padEnd(60)} ${f(empty[k]).padStart(14)} ${f(inspector[k]).padStart(10)} ${f(inspector[k] - empty[k]).padStart(8)}`,
    );
  console.log(
    `  (renderer processes: ${empty.rendererCount} / ${inspector.rendererCount}; webview frames in their own renderer: ${empty.oopifs} / ${inspector.oopifs})`,
  );
  process.exit(0);
}

#!/usr/bin/env node
// Launcher: the bundled CLI needs Node >= 22.19 (undici 8). On an older Node, use the Node 24
// that `npm test`/`npm start` cache, or say what to install.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { homedir } = require('node:os');
const { spawnSync } = require('node:child_process');

const cli = join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(cli)) {
  console.error("nhs-auth: dist/cli.cjs is missing; run 'npm run build' first.");
  process.exit(1);
}
const [major, minor] = process.versions.node.split('.').map(Number);
if (major > 22 || (major === 22 && minor >= 19)) {
  require(cli);
} else {
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nhs-auth-explorer', 'node-24.9.0', 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(cache)) {
    console.error(`nhs-auth: needs Node >= 22.19 (this is ${process.version}); run 'npm run build' once to fetch Node 24, or install it.`);
    process.exit(1);
  }
  const r = spawnSync(cache, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

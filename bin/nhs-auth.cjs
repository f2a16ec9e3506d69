#!/usr/bin/env node
// Launcher: runs the bundled CLI in this process. It targets Node >= 20.18.1 (undici 7's floor).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(cli)) {
  console.error("nhs-auth: dist/cli.cjs is missing; run 'npm run build' first.");
  process.exit(1);
}
const [major, minor, patch] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && (minor < 18 || (minor === 18 && patch < 1)))) {
  console.error(`nhs-auth: needs Node >= 20.18.1 (this is ${process.version}).`);
  process.exit(1);
}
require(cli);

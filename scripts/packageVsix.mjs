// `npm run package`: a production build packed by vsce into out/nhs-auth-explorer.vsix, then a check
// of what the .vsix really holds (the bundles, media and docs only: no sources, tests, maps or
// node_modules). The build happens in a staging folder, so dist/ of the work tree is left as it is.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// What may be inside. vsce adds the two package files at the top; everything else is under extension/.
const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/(readme\.md|changelog\.md|license(\.txt|\.md)?)$/i, // vsce lower-cases the first two
  /^extension\/dist\/(extension|cli)\.cjs$/,
  /^extension\/dist\/webview\/.+$/,
  /^extension\/media\/.+$/,
];
const REQUIRED = [
  'extension/package.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  'extension/dist/extension.cjs',
  'extension/dist/cli.cjs',
  'extension/media/icon.png',
  'extension.vsixmanifest',
];
const FORBIDDEN = /(^|\/)(src|test|node_modules|scripts|bench|out)\/|\.map$|\.ts$/;

/** Names of the entries of a zip file, read from its central directory. */
export function listZipEntries(file) {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: corrupt central directory entry ${n}`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** Problems with a .vsix's entry list; empty when it holds exactly what it should. */
export function checkVsixEntries(names) {
  const problems = [];
  for (const n of names) {
    if (FORBIDDEN.test(n)) problems.push(`must not be packaged: ${n}`);
    else if (!ALLOWED.some((re) => re.test(n))) problems.push(`unexpected file: ${n}`);
  }
  const lower = new Set(names.map((n) => n.toLowerCase()));
  for (const r of REQUIRED) if (!lower.has(r.toLowerCase())) problems.push(`missing: ${r}`);
  return problems;
}

// vsce rewrites README's relative links/images to absolute ones; it guesses the base only for
// GitHub/GitLab repositories, so other hosts get it from package.json's repository URL.
function baseUrlArgs(root) {
  const repo = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).repository;
  const url = (typeof repo === 'string' ? repo : (repo?.url ?? ''))
    .replace(/^git\+/, '')
    .replace(/\.git$/, '');
  if (!/^https?:\/\//.test(url) || /github\.com|gitlab\.com/.test(url)) return [];
  return ['--baseContentUrl', `${url}/blob/HEAD`, '--baseImagesUrl', `${url}/raw/HEAD`];
}

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) throw r.error;
  return r.status === 0;
}

/**
 * Builds, packs and checks. Options: out (default <root>/out/nhs-auth-explorer.vsix), stageDir
 * (default <root>/out/vsix-stage). Returns true when the .vsix exists and passes the check.
 */
export async function packageVsix({
  root,
  out = join(root, 'out', 'nhs-auth-explorer.vsix'),
  stageDir = join(root, 'out', 'vsix-stage'),
  log = console.log,
}) {
  const t0 = Date.now();
  // The stage: copies of what vsce packs, links to the sources esbuild reads.
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  for (const f of [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    '.vscodeignore',
    'tsconfig.json',
    'esbuild.mjs',
  ]) {
    if (existsSync(join(root, f))) cpSync(join(root, f), join(stageDir, f));
  }
  if (existsSync(join(root, 'media')))
    cpSync(join(root, 'media'), join(stageDir, 'media'), { recursive: true });
  symlinkSync(join(root, 'src'), join(stageDir, 'src'), 'dir');
  symlinkSync(join(root, 'node_modules'), join(stageDir, 'node_modules'), 'dir');

  log('[package] production build (esbuild --production)…');
  if (!sh(process.execPath, ['esbuild.mjs', '--production'], stageDir)) {
    log('[package] build failed');
    return false;
  }
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  log('[package] vsce package…');
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (
    !sh(
      process.execPath,
      [vsce, 'package', '--no-dependencies', '--no-update-package-json', ...baseUrlArgs(root), '--out', out],
      stageDir,
    ) ||
    !existsSync(out)
  ) {
    log('[package] vsce package failed');
    return false;
  }
  const names = listZipEntries(out);
  const problems = checkVsixEntries(names);
  log(
    `[package] ${out}: ${(statSync(out).size / 1024).toFixed(1)} KiB, ${names.length} files (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  for (const n of names) log(`  ${n}`);
  for (const p of problems) log(`[package] ✖ ${p}`);
  rmSync(stageDir, { recursive: true, force: true });
  return problems.length === 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // node scripts/packageVsix.mjs [--out file.vsix] [--stage dir]
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? resolve(process.argv[i + 1]) : undefined;
  };
  const ok = await packageVsix({
    root,
    ...(arg('--out') ? { out: arg('--out') } : {}),
    ...(arg('--stage') ? { stageDir: arg('--stage') } : {}),
  });
  process.exit(ok ? 0 : 1);
}

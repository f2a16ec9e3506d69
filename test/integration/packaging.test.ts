// Packaging: a real production build packed by vsce (scripts/packageVsix.mjs), then the .vsix read
// back here with an independent zip reader: it must hold the bundles, media and docs, nothing else.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** Reads a zip's central directory (the format a .vsix uses). */
function zipEntries(buf: Buffer): ZipEntry[] {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip: no end of central directory');
  const entries: ZipEntry[] = [];
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'corrupt central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    entries.push({
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

function entryText(buf: Buffer, e: ZipEntry): string {
  const start =
    e.localOffset + 30 + buf.readUInt16LE(e.localOffset + 26) + buf.readUInt16LE(e.localOffset + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  return (e.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}

describe('packaging (vsce)', () => {
  let dir: string;
  let vsix: Buffer;
  let entries: ZipEntry[] = [];
  let output: string;
  let status: number | null;

  before(() => {
    // Its own stage and output: dist/ of the work tree is never rewritten under concurrent tests.
    dir = mkdtempSync(join(tmpdir(), 'nhs-auth-vsix-'));
    const out = join(dir, 'nhs-auth-explorer.vsix');
    const r = spawnSync(
      process.execPath,
      [join(root, 'scripts', 'packageVsix.mjs'), '--out', out, '--stage', join(dir, 'stage')],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    output = `${r.stdout}\n${r.stderr}`;
    status = r.status;
    if (status === 0) {
      vsix = readFileSync(out);
      entries = zipEntries(vsix);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('npm run package succeeds: build, vsce and its own content check', () => {
    assert.equal(status, 0, output);
  });

  test('holds the bundles, the docs and the manifest', () => {
    const names = new Set(entries.map((e) => e.name.toLowerCase()));
    for (const required of [
      'extension.vsixmanifest',
      '[content_types].xml',
      'extension/package.json',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/license.txt',
      'extension/dist/extension.cjs',
      'extension/dist/cli.cjs',
      'extension/media/icon.png',
    ]) {
      assert.ok(names.has(required), `missing ${required}; got:\n${[...names].join('\n')}`);
    }
  });

  test('holds nothing else: no sources, tests, maps, scripts or node_modules', () => {
    const allowed = [
      /^\[Content_Types\]\.xml$/,
      /^extension\.vsixmanifest$/,
      /^extension\/package\.json$/,
      /^extension\/(readme\.md|changelog\.md|license\.txt)$/i,
      /^extension\/dist\/(extension|cli)\.cjs$/,
      /^extension\/dist\/webview\/[^/]+\.(js|css)$/,
      /^extension\/media\/.+\.(png|svg|css|md|gif)$/,
    ];
    const stray = entries.map((e) => e.name).filter((n) => !allowed.some((re) => re.test(n)));
    assert.deepEqual(stray, []);
    assert.ok(!entries.some((e) => /\.(map|ts)$|(^|\/)(src|test|node_modules)\//.test(e.name)));
  });

  test('the packaged bundle is the production build and the manifest is the package.json', () => {
    const bundle = entries.find((e) => e.name === 'extension/dist/extension.cjs');
    assert.ok(bundle);
    const code = entryText(vsix, bundle);
    assert.doesNotMatch(code, /sourceMappingURL/, 'production bundles carry no source map');
    assert.match(code, /activate/);
    const manifest = entries.find((e) => e.name === 'extension/package.json');
    assert.ok(manifest);
    const pkg = JSON.parse(entryText(vsix, manifest)) as { name: string; main: string; version: string };
    const source = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    assert.equal(pkg.name, source.name);
    assert.equal(pkg.version, source.version);
    assert.equal(pkg.main, './dist/extension.cjs');
    assert.match(output, /KiB, \d+ files/);
  });
});

// `nhs-auth keys`: key pairs and JWKS files the platform's docs way (KID.pem, KID.pem.pub, KID.json).
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CliCommand, CliIo } from '../command.ts';
import { AuthExplorerError } from '../../core/errors.ts';
import { generateKeyPair } from '../../core/keys/generateKeyPair.ts';
import type { KeyPairPem } from '../../core/keys/generateKeyPair.ts';
import { importPkcs12, importPrivateKeyPem } from '../../core/keys/importKey.ts';
import { buildJwks, jwkThumbprint, parseJwks, publicJwk } from '../../core/keys/jwks.ts';
import { assertValidKid } from '../../core/keys/kid.ts';
import { parseCommandArgs, readTextFile } from '../options.ts';

const usage = `Usage:
  nhs-auth keys generate --kid KID --out DIR
      Writes DIR/KID.pem (private, mode 0600), DIR/KID.pem.pub and DIR/KID.json (JWKS). Never overwrites.
  nhs-auth keys jwks --key PEM --kid KID [--key PEM --kid KID ...] [--merge JWKS]
      Prints a JWKS for the key(s); --merge appends them to an existing JWKS file (rotation).
  nhs-auth keys thumbprint --key PEM
      Prints the RFC 7638 SHA-256 thumbprint of the key's public JWK.
  nhs-auth keys import (--pem FILE | --pfx FILE) --kid KID --out DIR
      Normalises an existing 4096-bit RSA key into the three files above.
      The PFX passphrase is read from the environment variable NHS_AUTH_PFX_PASSPHRASE.`;

/** True when anything is at the path, a dangling or planted symlink included (lstat does not follow it). */
async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

function refuseExisting(path: string): never {
  throw new AuthExplorerError(
    'ERR_KID_EXISTS',
    `${path} already exists (a file or a symlink); refusing to overwrite it. Choose a new KID (never reuse one).`,
    { path },
  );
}

/**
 * Writes every file or none: each goes to a fresh temporary file first, then is linked to its name,
 * which fails rather than replace anything there (a symlink too), and nothing half-made is left.
 */
async function writeAllOrNothing(files: { path: string; content: string; mode: number }[]): Promise<void> {
  const temps: string[] = [];
  const placed: string[] = [];
  try {
    for (const f of files) {
      const temp = `${f.path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temp, f.content, { mode: f.mode, flag: 'wx' });
      temps.push(temp);
    }
    for (const [i, f] of files.entries()) {
      try {
        await link(temps[i]!, f.path);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') refuseExisting(f.path);
        // A file system without hard links: rename, having checked that nothing is there.
        if ((code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') && !(await exists(f.path)))
          await rename(temps[i]!, f.path);
        else throw e;
      }
      placed.push(f.path);
    }
  } catch (e) {
    await Promise.all(placed.map((p) => unlink(p).catch(() => undefined)));
    throw e;
  } finally {
    await Promise.all(temps.map((t) => unlink(t).catch(() => undefined)));
  }
}

async function writeKeyFiles(io: CliIo, dir: string, kid: string, pair: KeyPairPem): Promise<void> {
  const paths = {
    privateKey: join(dir, `${kid}.pem`),
    publicKey: join(dir, `${kid}.pem.pub`),
    jwks: join(dir, `${kid}.json`),
  };
  for (const p of Object.values(paths)) if (await exists(p)) refuseExisting(p);
  const jwks = await buildJwks([{ kid, publicKeyPem: pair.publicKeyPem }]);
  await mkdir(dir, { recursive: true });
  await writeAllOrNothing([
    { path: paths.privateKey, content: pair.privateKeyPem, mode: 0o600 },
    { path: paths.publicKey, content: pair.publicKeyPem, mode: 0o644 },
    { path: paths.jwks, content: `${JSON.stringify(jwks, null, 2)}\n`, mode: 0o644 },
  ]);
  const jwk = jwks.keys[0];
  io.out(`private key: ${resolve(paths.privateKey)} (keep it secret)`);
  io.out(`public key:  ${resolve(paths.publicKey)}`);
  io.out(`JWKS:        ${resolve(paths.jwks)}`);
  if (jwk) io.out(`thumbprint:  ${await jwkThumbprint(jwk)}`);
}

async function generate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { kid: { type: 'string' }, out: { type: 'string' } });
  if (!values.kid || !values.out)
    throw new AuthExplorerError('ERR_ARGUMENT', 'keys generate needs --kid KID and --out DIR.');
  assertValidKid(values.kid);
  const dir = values.out;
  for (const name of [`${values.kid}.pem`, `${values.kid}.pem.pub`, `${values.kid}.json`])
    if (await exists(join(dir, name))) refuseExisting(join(dir, name));
  io.err('Generating a 4096-bit RSA key pair…');
  await writeKeyFiles(io, dir, values.kid, await generateKeyPair());
  return 0;
}

async function jwks(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    key: { type: 'string', multiple: true },
    kid: { type: 'string', multiple: true },
    merge: { type: 'string' },
  });
  const keys = values.key ?? [];
  const kids = values.kid ?? [];
  if (keys.length === 0 || keys.length !== kids.length) {
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      'keys jwks needs --key PEM --kid KID, once per key (as many --kid as --key).',
    );
  }
  kids.forEach(assertValidKid);
  const built = await buildJwks(
    await Promise.all(
      keys.map(async (k, i) => ({ kid: kids[i]!, publicKeyPem: await readTextFile(k, 'key file') })),
    ),
  );
  let out: { keys: Record<string, unknown>[] } = built;
  if (values.merge) {
    const existing = parseJwks(await readTextFile(values.merge, 'JWKS file'));
    const clash = built.keys.find((k) => existing.keys.some((e) => e.kid === k.kid));
    if (clash)
      throw new AuthExplorerError(
        'ERR_KID_EXISTS',
        `The JWKS already has kid '${clash.kid}'; use a new KID for a new key.`,
        { kid: clash.kid },
      );
    // New keys go after the old ones: the platform's own rotation appends.
    out = { keys: [...existing.keys, ...built.keys] };
  }
  io.out(JSON.stringify(out, null, 2));
  return 0;
}

async function thumbprint(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { key: { type: 'string' } });
  if (!values.key) throw new AuthExplorerError('ERR_ARGUMENT', 'keys thumbprint needs --key PEM.');
  io.out(await jwkThumbprint(await publicJwk(await readTextFile(values.key, 'key file'), 'x')));
  return 0;
}

async function importKey(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    pem: { type: 'string' },
    pfx: { type: 'string' },
    kid: { type: 'string' },
    out: { type: 'string' },
  });
  if (!values.kid || !values.out || (values.pem === undefined) === (values.pfx === undefined)) {
    throw new AuthExplorerError(
      'ERR_ARGUMENT',
      'keys import needs (--pem FILE | --pfx FILE) --kid KID --out DIR.',
    );
  }
  assertValidKid(values.kid);
  let pair: KeyPairPem;
  if (values.pem) {
    pair = importPrivateKeyPem(await readTextFile(values.pem, 'PEM file'));
  } else {
    let data: Buffer;
    try {
      data = await readFile(values.pfx!);
    } catch (e) {
      throw new AuthExplorerError(
        'ERR_ARGUMENT',
        `Cannot read the PFX file '${values.pfx}'.`,
        {},
        { cause: e },
      );
    }
    pair = importPkcs12(data, process.env.NHS_AUTH_PFX_PASSPHRASE ?? '');
  }
  await writeKeyFiles(io, values.out, values.kid, pair);
  return 0;
}

const subcommands: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  generate,
  jwks,
  thumbprint,
  import: importKey,
};

export const keysCommand: CliCommand = {
  name: 'keys',
  summary: 'generate 4096-bit RSA key pairs, build JWKS files, thumbprints',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    const handler = sub === undefined ? undefined : subcommands[sub];
    if (!handler) {
      io.err(
        sub === undefined
          ? 'nhs-auth keys: which subcommand?'
          : `nhs-auth keys: unknown subcommand '${sub}'.`,
      );
      io.err(usage);
      return 2;
    }
    return handler(rest, io);
  },
};

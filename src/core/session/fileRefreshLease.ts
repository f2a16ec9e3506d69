// A refresh lease that holds across processes on one machine: a lock file created with O_EXCL (atomic
// on local file systems), mode 0600, in a directory only this user can write. It names no secret.
// A holder touches the file while it works; a file untouched for ttlMs belongs to a crashed process
// and is broken (by renaming it aside first, so two breakers cannot both win). Beside it, a 0600 note
// keeps the issuedAt of the last session a holder stored, so the next holder can tell whether its
// view of the shared store has caught up.
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AuthExplorerError } from '../errors.ts';
import type { HeldLease, RefreshLease } from './refreshLease.ts';

export interface FileRefreshLeaseOptions {
  dir: string;
  /** A lock file untouched this long is stale. Default 30 s; holders touch it every ttlMs / 3. */
  ttlMs?: number;
  /** How long to wait for another holder before ERR_SESSION_BUSY. Default 3 min (a refresh may take 30 s+). */
  waitMs?: number;
  pollMs?: number;
  now?: () => number;
}

function code(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null
    ? ((e as { code?: unknown }).code as string | undefined)
    : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(
        new AuthExplorerError(
          'ERR_CANCELLED',
          'Cancelled while waiting for another window to finish refreshing.',
          { mayHaveReachedServer: false },
        ),
      );
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class FileRefreshLease implements RefreshLease {
  private readonly dir: string;
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;

  constructor(options: FileRefreshLeaseOptions) {
    this.dir = options.dir;
    this.ttlMs = options.ttlMs ?? 30_000;
    this.waitMs = options.waitMs ?? 180_000;
    this.pollMs = options.pollMs ?? 50;
    this.now = options.now ?? Date.now;
  }

  /** The lock file of one session; profile ids are UUIDs, but anything else is made file-safe. */
  pathFor(profileId: string): string {
    return join(this.dir, `${profileId.replace(/[^A-Za-z0-9._-]/g, '_')}.refresh.lock`);
  }

  async acquire(profileId: string, signal?: AbortSignal): Promise<HeldLease> {
    const path = this.pathFor(profileId);
    const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
    const giveUpAt = this.now() + this.waitMs;
    let waited = false;
    for (;;) {
      if (signal?.aborted)
        throw new AuthExplorerError(
          'ERR_CANCELLED',
          'Cancelled while waiting for another window to finish refreshing.',
          { mayHaveReachedServer: false },
        );
      if (await this.tryCreate(path, owner)) return this.held(path, owner, waited, await this.readNote(path));
      const seen = await this.inspect(path);
      if (seen && this.now() - seen.mtimeMs > this.ttlMs) {
        await this.breakStale(path, seen.content);
        continue;
      }
      waited = true;
      if (this.now() >= giveUpAt) {
        throw new AuthExplorerError(
          'ERR_SESSION_BUSY',
          'Another window has been refreshing this session for too long; try again in a moment.',
          { profileId, waitedMs: this.waitMs },
        );
      }
      await sleep(this.pollMs, signal);
    }
  }

  private async tryCreate(path: string, owner: string): Promise<boolean> {
    for (let i = 0; i < 2; i++) {
      try {
        const fh = await open(path, 'wx', 0o600);
        try {
          await fh.writeFile(JSON.stringify({ owner, createdAt: this.now() }));
        } finally {
          await fh.close();
        }
        return true;
      } catch (e) {
        if (code(e) === 'EEXIST') return false;
        if (code(e) !== 'ENOENT' || i > 0)
          throw new AuthExplorerError(
            'ERR_SESSION_STORE',
            `Cannot create the refresh lock in ${this.dir}: ${code(e) ?? String(e)}. Nothing was sent.`,
            { dir: this.dir, lease: true },
            { cause: e },
          );
        await mkdir(this.dir, { recursive: true, mode: 0o700 });
      }
    }
    return false;
  }

  private async inspect(path: string): Promise<{ mtimeMs: number; content: string } | undefined> {
    try {
      const st = await stat(path);
      const content = await readFile(path, 'utf8').catch(() => '');
      return { mtimeMs: st.mtimeMs, content };
    } catch (e) {
      if (code(e) === 'ENOENT') return undefined; // released between our create and our look
      throw e;
    }
  }

  /** Moves a stale lock aside; if what was moved is not the stale one we saw, puts it back. */
  private async breakStale(path: string, staleContent: string): Promise<void> {
    const aside = `${path}.${randomUUID()}.stale`;
    try {
      await rename(path, aside);
    } catch (e) {
      if (code(e) === 'ENOENT') return; // someone else broke or released it
      throw e;
    }
    const moved = await readFile(aside, 'utf8').catch(() => '');
    if (moved !== staleContent) {
      // A live holder's lock: restore it unless yet another one exists (link fails with EEXIST then).
      await link(aside, path).catch(() => undefined);
    }
    await unlink(aside).catch(() => undefined);
  }

  private async readNote(path: string): Promise<number | undefined> {
    try {
      const v = (JSON.parse(await readFile(`${path}.last`, 'utf8')) as { storedIssuedAt?: unknown })
        .storedIssuedAt;
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    } catch {
      return undefined;
    }
  }

  private async writeNote(path: string, storedIssuedAt: number): Promise<void> {
    const tmp = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify({ storedIssuedAt }), { mode: 0o600, flag: 'wx' });
      await rename(tmp, `${path}.last`);
    } catch {
      await unlink(tmp).catch(() => undefined); // the note is a safeguard; the store stays the truth
    }
  }

  private held(
    path: string,
    owner: string,
    waited: boolean,
    lastStoredIssuedAt: number | undefined,
  ): HeldLease {
    const mine = async (): Promise<boolean> =>
      (await readFile(path, 'utf8').catch(() => '')).includes(`"${owner}"`);
    const beat = setInterval(
      () => {
        void mine()
          .then((ok) => (ok ? utimes(path, new Date(), new Date()) : undefined))
          .catch(() => undefined);
      },
      Math.max(10, Math.floor(this.ttlMs / 3)),
    );
    beat.unref?.();
    let released = false;
    return {
      waited,
      lastStoredIssuedAt,
      release: async (storedIssuedAt?: number) => {
        if (released) return;
        released = true;
        clearInterval(beat);
        if (!(await mine())) return;
        if (storedIssuedAt !== undefined) await this.writeNote(path, storedIssuedAt);
        await unlink(path).catch(() => undefined);
      },
    };
  }
}

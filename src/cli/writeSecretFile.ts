// Writes a secret (a rotated refresh token) so that no other user can read it, even for a moment:
// a new 0600 file beside the target, then an atomic rename over it.
import { randomUUID } from 'node:crypto';
import { chmod, open, rename, unlink } from 'node:fs/promises';
import { AuthExplorerError } from '../core/errors.ts';

export async function writeSecretFile(path: string, content: string): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await chmod(tmp, 0o600); // whatever the umask
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new AuthExplorerError(
      'ERR_FILE_WRITE',
      `Cannot write ${path}: ${(e as Error).message}`,
      { path },
      { cause: e },
    );
  }
}

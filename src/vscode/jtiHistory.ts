import { secretKeys, type Secrets } from './secrets.ts';

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

/**
 * The jti values this user SENT to a token endpoint per profile in the last 30 days (the platform's
 * reuse window), with when. Signing an assertion records nothing: only sending uses up its jti.
 */
export class JtiHistory {
  private readonly secrets: Secrets;
  /** Writes one at a time, so two quick sends cannot overwrite each other's entry. */
  private queue: Promise<void> = Promise.resolve();

  constructor(secrets: Secrets) {
    this.secrets = secrets;
  }

  async list(profileId: string, now = Date.now()): Promise<string[]> {
    return (await this.entries(profileId, now)).map((e) => e.jti);
  }

  /** jti → when it was sent (epoch ms), for the linter's "already sent on …". */
  async sentAt(profileId: string, now = Date.now()): Promise<Record<string, number>> {
    return Object.fromEntries((await this.entries(profileId, now)).map((e) => [e.jti, e.at]));
  }

  record(profileId: string, jti: string, at = Date.now()): Promise<void> {
    const write = async (): Promise<void> => {
      const entries = await this.entries(profileId, at);
      entries.push({ jti, at });
      await this.secrets.store(secretKeys.usedJtis(profileId), JSON.stringify(entries.slice(-5000)));
    };
    this.queue = this.queue.then(write, write);
    return this.queue;
  }

  private async entries(profileId: string, now: number): Promise<{ jti: string; at: number }[]> {
    const raw = await this.secrets.get(secretKeys.usedJtis(profileId));
    if (!raw) return [];
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(
        (e): e is { jti: string; at: number } =>
          typeof e?.jti === 'string' && typeof e?.at === 'number' && now - e.at < THIRTY_DAYS_MS,
      );
    } catch {
      return [];
    }
  }
}

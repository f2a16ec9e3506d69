import { secretKeys, type Secrets } from './secrets.ts';

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

/** The jti values this user sent per profile in the last 30 days (the platform's reuse window). */
export class JtiHistory {
  private readonly secrets: Secrets;

  constructor(secrets: Secrets) {
    this.secrets = secrets;
  }

  async list(profileId: string, now = Date.now()): Promise<string[]> {
    return (await this.entries(profileId, now)).map((e) => e.jti);
  }

  async record(profileId: string, jti: string, now = Date.now()): Promise<void> {
    const entries = await this.entries(profileId, now);
    entries.push({ jti, at: now });
    await this.secrets.store(secretKeys.usedJtis(profileId), JSON.stringify(entries.slice(-5000)));
  }

  private async entries(profileId: string, now: number): Promise<{ jti: string; at: number }[]> {
    const raw = await this.secrets.get(secretKeys.usedJtis(profileId));
    if (!raw) return [];
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (!Array.isArray(parsed)) return [];
      return parsed.filter((e): e is { jti: string; at: number } => typeof e?.jti === 'string' && typeof e?.at === 'number' && now - e.at < THIRTY_DAYS_MS);
    } catch {
      return [];
    }
  }
}

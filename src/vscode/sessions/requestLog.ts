import type { RequestLogEntry } from '../../core/log/requestLogEntry.ts';
import type { Log } from '../output.ts';

const KEEP_PER_PROFILE = 50;

/**
 * Every token and API call, per profile, as the core's already-redacted entries: written to the
 * log channel and kept in memory for "copy as curl" and the support bundle.
 */
export class RequestLog {
  private readonly log: Log;
  private readonly entries = new Map<string, RequestLogEntry[]>();

  constructor(log: Log) {
    this.log = log;
  }

  add(profileId: string, entry: RequestLogEntry): void {
    const list = this.entries.get(profileId) ?? [];
    list.push(entry);
    this.entries.set(profileId, list.slice(-KEEP_PER_PROFILE));
    const outcome = entry.error ? `${entry.error.code}: ${entry.error.message}` : `HTTP ${entry.status}`;
    const line = `${entry.method} ${entry.url}${entry.grant ? ` [${entry.grant}]` : ''} → ${outcome}${entry.durationMs !== undefined ? ` in ${Math.round(entry.durationMs)} ms` : ''}${entry.messageId ? ` message_id=${entry.messageId}` : ''}${entry.attempt > 1 ? ` (attempt ${entry.attempt})` : ''}`;
    if (entry.error || (entry.status ?? 0) >= 400) this.log.warn(line);
    else this.log.info(line);
    if (entry.requestFields.length)
      this.log.info(`  request: ${entry.requestFields.map(([k, v]) => `${k}=${v}`).join('&')}`);
    if (entry.clientAssertion?.header)
      this.log.info(
        `  client_assertion: ${JSON.stringify({ header: entry.clientAssertion.header, payload: entry.clientAssertion.payload })}`,
      );
    if (entry.responseBody) this.log.info(`  response: ${entry.responseBody}`);
  }

  list(profileId: string): readonly RequestLogEntry[] {
    return this.entries.get(profileId) ?? [];
  }

  last(profileId: string): RequestLogEntry | undefined {
    return this.list(profileId).at(-1);
  }
}

// What the explainer returns for any failure: causes ordered most likely first, and one fix.
import type { ErrorCode } from '../errors.ts';
import type { SessionSnapshot } from '../session/sessionSnapshot.ts';

export interface PlatformErrorFields {
  status?: number;
  error?: string;
  error_description?: string;
  message_id?: string;
}

export interface Explanation {
  /** The error code (ERR_OAUTH, ERR_HTTP_TIMEOUT, …). */
  code: ErrorCode;
  /** Stable id of the catalogue entry that matched, e.g. "refresh-token-invalid". */
  id: string;
  title: string;
  causes: string[];
  fix: string;
  platform?: PlatformErrorFields;
}

export interface ExplainContext {
  /** e.g. "int", "sandbox", "prod", "local emulator". */
  environment?: string;
  tokenUrl?: string;
  apiKey?: string;
  session?: SessionSnapshot;
  /** The grant of the failing request when the error does not say. */
  grant?: string;
  /** The timeout that was in force, in ms. */
  timeoutMs?: number;
  /** The refresh token that was sent, to tell an old token from the session's current one. */
  sentRefreshToken?: string;
  now?: number;
}

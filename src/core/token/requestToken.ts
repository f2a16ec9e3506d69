// The one place a token request is made: body encoding, client authentication, retries where they are
// safe, logging with secrets removed, and the NHS platform's single-use refresh rule.
import { AuthExplorerError, isAuthExplorerError } from '../errors.ts';
import { httpRequest } from '../http/httpRequest.ts';
import type { HttpTransport } from '../http/transport.ts';
import type { HttpResponse } from '../http/httpRequest.ts';
import { parseJsonBody } from '../http/parseJsonBody.ts';
import { DEFAULT_RETRY_POLICY, withRetry } from '../http/retry.ts';
import type { RetryDecision, RetryPolicy } from '../http/retry.ts';
import { createRequestLogEntry } from '../log/requestLogEntry.ts';
import { isSecretFieldName, redact, redactDeep } from '../log/redact.ts';
import type { RequestLogEntry } from '../log/requestLogEntry.ts';
import {
  isSingleUseGrant,
  refreshOutcomeUnknown,
  refreshTokensAreSingleUse,
  unknownOutcomeReason,
} from './refreshOutcome.ts';
import type { GrantKind } from './grantKind.ts';
import { normaliseTokenResponse } from './normaliseTokenResponse.ts';
import type { NormalisedToken } from './normaliseTokenResponse.ts';
import { tokenErrorFromResponse } from './tokenErrorFromResponse.ts';
import type { TokenProvider } from './tokenProvider.ts';

export { CLIENT_ASSERTION_TYPE } from '../platform/clientAssertionRules.ts';
import { CLIENT_ASSERTION_TYPE } from '../platform/clientAssertionRules.ts';

export type ClientAuth =
  | { method: 'client_secret_post' | 'client_secret_basic'; clientId: string; clientSecret: string }
  /** `assertion` is called once per attempt: a retried assertion needs a fresh jti. */
  | { method: 'private_key_jwt'; clientId?: string; assertion: () => Promise<string> }
  | { method: 'none'; clientId?: string };

/** Options every grant function accepts. */
export interface TokenCallOptions {
  /** Extra body fields, e.g. the platform's test-only `_refresh_tokens_validity_ms`. */
  extraParams?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  retry?: RetryPolicy;
  /** How requests are sent (httpRequest's default: undici). The extension passes the host's fetch. */
  transport?: HttpTransport;
  maxResponseBytes?: number;
  onLog?: (entry: RequestLogEntry) => void;
  /** Called with each client assertion that may have reached the server: only then is its jti used. */
  onAssertionSent?: (assertion: string, sentAt: number) => void;
  /** The API key, masked (first/last 4) wherever it would appear in logs. */
  apiKey?: string;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface TokenRequest extends TokenCallOptions {
  provider: TokenProvider;
  grant: GrantKind;
  /** Grant fields (grant_type first). */
  params: Record<string, string>;
  clientAuth: ClientAuth;
}

export interface TokenResult {
  token: NormalisedToken;
  /** The server's JSON body exactly as parsed. */
  body: unknown;
  status: number;
  headers: Record<string, string>;
  startedAt: number;
  receivedAt: number;
  durationMs: number;
  clockSkewMs: number;
  messageId?: string;
  attempts: number;
  /** The assertion sent on the successful attempt (private_key_jwt only). */
  clientAssertion?: string;
  logEntries: RequestLogEntry[];
}

export function decideTokenRetry(error: unknown, grant: GrantKind, provider: TokenProvider): RetryDecision {
  if (!isAuthExplorerError(error)) return { retry: false };
  const status = error.details.status;
  const singleUse = isSingleUseGrant(grant, provider);
  switch (error.code) {
    case 'ERR_HTTP_CONNECT':
      return { retry: true }; // nothing was sent
    case 'ERR_RATE_LIMITED': {
      // Rate limiting happens before the token policy runs, so even a refresh token is untouched.
      const after = error.details.retryAfterMs;
      return after === undefined ? { retry: true } : { retry: true, minDelayMs: after };
    }
    case 'ERR_HTTP_TIMEOUT':
    case 'ERR_HTTP_RESET':
      return { retry: !singleUse };
    case 'ERR_APIGEE_FAULT':
      // An Apigee policy fault (e.g. the sandbox's 500 "Invalid client identifier {0}") is a
      // deliberate answer about the request, not a passing outage: the same request gets it again.
      if (status === 429) return { retry: true, minDelayMs: error.details.retryAfterMs };
      return { retry: false };
    case 'ERR_OAUTH':
    case 'ERR_HTTP_STATUS':
    case 'ERR_HTTP_NOT_JSON':
      if (status === 429) return { retry: true, minDelayMs: error.details.retryAfterMs };
      return { retry: status !== undefined && status >= 500 && !singleUse };
    default:
      return { retry: false };
  }
}

function encodeBody(
  provider: TokenProvider,
  fields: Record<string, string>,
): { body: string; contentType: string } {
  if (provider.bodyFormat === 'json')
    return { body: JSON.stringify(fields), contentType: 'application/json' };
  return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
}

function basicAuth(clientId: string, clientSecret: string): string {
  // RFC 6749 §2.3.1: form-encode each part before base64.
  const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

/**
 * The error as it may leave the token client: message and every detail redacted with this call's own
 * secrets (and the secret-looking fields and tokens any server echoed back). The original is not kept
 * as its cause, since printing a cause chain would print the secrets again.
 */
export function redactTokenError(e: unknown, secrets: readonly string[], apiKey?: string): unknown {
  if (!isAuthExplorerError(e)) return e;
  const all = apiKey ? [...secrets, apiKey] : secrets;
  return new AuthExplorerError(e.code, redact(e.message, all), redactDeep({ ...e.details }, all));
}

/** Sends a token request; retries only where it is safe; returns the normalised token or throws a coded error. */
export async function requestToken(req: TokenRequest): Promise<TokenResult> {
  const callSecrets: string[] = [];
  try {
    return await requestTokenUnredacted(req, callSecrets);
  } catch (e) {
    throw redactTokenError(e, callSecrets, req.apiKey);
  }
}

async function requestTokenUnredacted(req: TokenRequest, callSecrets: string[]): Promise<TokenResult> {
  const { provider, grant, clientAuth } = req;
  const now = req.now ?? Date.now;
  const logEntries: RequestLogEntry[] = [];
  const secretParams = ['refresh_token', 'code', 'subject_token', 'client_secret'];
  const secrets: string[] = secretParams.map((k) => req.params[k]).filter((v): v is string => !!v);
  if (clientAuth.method === 'client_secret_post' || clientAuth.method === 'client_secret_basic')
    secrets.push(clientAuth.clientSecret);
  for (const [k, v] of Object.entries({ ...req.params, ...req.extraParams }))
    if (isSecretFieldName(k) && v) secrets.push(v);
  callSecrets.push(...secrets);
  let lastAssertion: string | undefined;

  const attemptOnce = async (attempt: number): Promise<TokenResult> => {
    const fields: Record<string, string> = { ...req.params };
    const headers: Record<string, string> = { accept: 'application/json' };
    if (clientAuth.method === 'client_secret_post') {
      fields['client_id'] = clientAuth.clientId;
      fields['client_secret'] = clientAuth.clientSecret;
    } else if (clientAuth.method === 'client_secret_basic') {
      headers['authorization'] = basicAuth(clientAuth.clientId, clientAuth.clientSecret);
    } else if (clientAuth.method === 'private_key_jwt') {
      lastAssertion = await clientAuth.assertion();
      callSecrets.push(lastAssertion);
      if (clientAuth.clientId) fields['client_id'] = clientAuth.clientId;
      fields['client_assertion_type'] = CLIENT_ASSERTION_TYPE;
      fields['client_assertion'] = lastAssertion;
    } else if (clientAuth.clientId) {
      fields['client_id'] = clientAuth.clientId;
    }
    Object.assign(fields, req.extraParams ?? {});
    const { body, contentType } = encodeBody(provider, fields);
    headers['content-type'] = contentType;
    const attemptSecrets = lastAssertion ? [...secrets, lastAssertion] : secrets;
    const startedAt = now();
    const log = (res: HttpResponse | undefined, error?: AuthExplorerError): void => {
      const entry = createRequestLogEntry({
        method: 'POST',
        url: provider.tokenUrl,
        grant,
        attempt,
        startedAt,
        durationMs: res ? res.durationMs : now() - startedAt,
        headers,
        bodyFormat: provider.bodyFormat,
        fields,
        status: res?.status,
        responseHeaders: res?.headers,
        responseBody: res?.bodyText,
        error: error ? { code: error.code, message: error.message } : undefined,
        secrets: attemptSecrets,
        apiKey: req.apiKey,
      });
      logEntries.push(entry);
      req.onLog?.(entry);
    };
    let res: HttpResponse;
    try {
      res = await httpRequest({
        url: provider.tokenUrl,
        method: 'POST',
        headers,
        body,
        timeoutMs: req.timeoutMs,
        signal: req.signal,
        transport: req.transport,
        maxResponseBytes: req.maxResponseBytes,
        now,
      });
    } catch (e) {
      const err = isAuthExplorerError(e)
        ? new AuthExplorerError(e.code, e.message, { ...e.details, grant, attempt }, { cause: e })
        : e;
      const unsent =
        isAuthExplorerError(err) &&
        (err.details.mayHaveReachedServer === false ||
          err.code === 'ERR_URL_INVALID' ||
          err.code === 'ERR_ARGUMENT');
      if (lastAssertion && !unsent) req.onAssertionSent?.(lastAssertion, startedAt);
      log(undefined, isAuthExplorerError(err) ? err : undefined);
      throw err;
    }
    if (lastAssertion) req.onAssertionSent?.(lastAssertion, startedAt);
    if (res.status < 200 || res.status >= 300) {
      const err = tokenErrorFromResponse(res, attemptSecrets, { grant, attempt });
      log(res, err);
      throw err;
    }
    let parsed: unknown;
    let token: NormalisedToken;
    try {
      parsed = parseJsonBody(res, attemptSecrets);
      const o = parsed as Record<string, unknown> | null;
      if (o && typeof o === 'object' && typeof o['error'] === 'string' && o['access_token'] === undefined) {
        throw tokenErrorFromResponse(res, attemptSecrets, { grant, attempt });
      }
      token = normaliseTokenResponse(parsed, provider);
    } catch (e) {
      const err = isAuthExplorerError(e)
        ? new AuthExplorerError(e.code, e.message, { status: res.status, ...e.details, grant, attempt })
        : e;
      log(res, isAuthExplorerError(err) ? err : undefined);
      throw err;
    }
    log(res);
    const messageId = (parsed as Record<string, unknown>)['message_id'];
    return {
      token,
      body: parsed,
      status: res.status,
      headers: res.headers,
      startedAt: res.startedAt,
      receivedAt: res.receivedAt,
      durationMs: res.durationMs,
      clockSkewMs: res.clockSkewMs,
      messageId: typeof messageId === 'string' ? messageId : undefined,
      attempts: attempt,
      clientAssertion: lastAssertion,
      logEntries,
    };
  };

  let attempts = 0;
  try {
    return await withRetry(
      (attempt) => {
        attempts = attempt;
        return attemptOnce(attempt);
      },
      {
        policy: req.retry ?? DEFAULT_RETRY_POLICY,
        decide: (e) => decideTokenRetry(e, grant, provider),
        signal: req.signal,
        now,
        sleep: req.sleep,
        random: req.random,
      },
    );
  } catch (e) {
    const reason =
      grant === 'refresh_token' && refreshTokensAreSingleUse(provider) ? unknownOutcomeReason(e) : undefined;
    if (reason && isAuthExplorerError(e)) throw refreshOutcomeUnknown(e, reason, provider.name, attempts);
    throw e;
  }
}

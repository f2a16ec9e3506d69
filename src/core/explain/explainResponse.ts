// Explains an answer from the platform (or another OAuth server): an OAuth error body matched on its
// verbatim error_description, an Apigee fault on its errorcode, a rate limit, or a bare HTTP status.
import type { ErrorDetails } from '../errors.ts';
import { PLATFORM_ERRORS, platformErrorIdOf } from '../platform/platformErrors.ts';
import { invalidClientIdentifierCauses, refreshInvalidCauses } from './contextualCauses.ts';
import type { ExplainContext, Explanation, PlatformErrorFields } from './explanation.ts';
import { DESCRIPTION_CATALOGUE, FAULT_CATALOGUE } from './platformCatalogue.ts';
import type { CatalogueEntry } from './platformCatalogue.ts';

type ResponseCode = 'ERR_OAUTH' | 'ERR_HTTP_STATUS' | 'ERR_APIGEE_FAULT' | 'ERR_RATE_LIMITED';

function lookupDescription(description: string | undefined): CatalogueEntry | undefined {
  if (!description) return undefined;
  const exact = DESCRIPTION_CATALOGUE[description] ?? DESCRIPTION_CATALOGUE[description.trim()];
  if (exact) return exact;
  const lower = description.trim().toLowerCase();
  const key = Object.keys(DESCRIPTION_CATALOGUE).find((k) => k.toLowerCase() === lower);
  if (key) return DESCRIPTION_CATALOGUE[key];
  // Another wording of a platform error (the NHS docs word some differently from the proxy).
  const id = platformErrorIdOf(description);
  return id ? DESCRIPTION_CATALOGUE[PLATFORM_ERRORS[id].error_description] : undefined;
}

function fromEntry(
  code: ResponseCode,
  entry: CatalogueEntry,
  platform: PlatformErrorFields | undefined,
  causes?: string[],
): Explanation {
  return {
    code,
    id: entry.id,
    title: entry.title,
    causes: causes ?? [...entry.causes],
    fix: entry.fix,
    platform,
  };
}

function isRefresh(grant: string | undefined): boolean {
  return grant === 'refresh_token';
}

/** The platform's own fields of an OAuth-style answer, when it has a status or a description. */
export function platformFields(details: {
  status?: number;
  error?: string;
  error_description?: string;
  message_id?: string;
}): PlatformErrorFields | undefined {
  const { status, error_description: description } = details;
  return status !== undefined || description !== undefined
    ? { status, error: details.error, error_description: description, message_id: details.message_id }
    : undefined;
}

function explainStatusOnly(
  code: ResponseCode,
  details: Readonly<ErrorDetails['ERR_HTTP_STATUS']>,
  ctx: ExplainContext,
  platform?: PlatformErrorFields,
): Explanation {
  const { status } = details;
  if (status === 405) {
    return {
      code,
      id: 'method-not-allowed',
      title: 'Wrong HTTP method for this endpoint',
      causes: [
        `The endpoint only allows ${details.allow ?? 'another method'}: /token takes POST, /authorize takes GET.`,
      ],
      fix: 'Use POST for /token and GET (a browser redirect) for /authorize.',
      platform,
    };
  }
  if (status === 404) {
    return {
      code,
      id: 'not-found',
      title: 'Not Found',
      causes: [
        'The URL path is wrong (e.g. /oauth2/token vs /oauth2-mock/token, or a typo in the base path).',
        'The API or environment does not exist at this host.',
      ],
      fix: `Check the URL against the environment table${ctx.environment ? ` for ${ctx.environment}` : ''}.`,
      platform,
    };
  }
  if (status === 429) return explainRateLimit(code, details, platform);
  if (status !== undefined && status >= 500) {
    const causes = [
      'A transient fault at the platform or a proxy in between.',
      'The platform is overloaded or in maintenance.',
    ];
    if (isRefresh(details.grant ?? ctx.grant))
      causes.push(
        'For a refresh: the server may have processed it before failing, in which case the old refresh token is burnt. Try once more; if you then get "refresh_token is invalid", sign in again.',
      );
    return {
      code,
      id: 'server-error',
      title: `The server failed with HTTP ${status}`,
      causes,
      fix: 'Retry later with exponential backoff; if it persists, raise a ticket with the support bundle (message ids and timestamps).',
      platform,
    };
  }
  return {
    code,
    id: 'http-status',
    title: `Unexpected HTTP ${status ?? 'status'}`,
    causes: ['The server rejected the request without a recognised error.'],
    fix: 'Look at the response in the request log and compare the request with the API\u2019s documentation.',
    platform,
  };
}

function explainRateLimit(
  code: ResponseCode,
  details: { retryAfterMs?: number; message?: string },
  platform?: PlatformErrorFields,
): Explanation {
  const { retryAfterMs, message } = details;
  const causes = [
    'The app exceeded its rate limit: by default 5 requests per second (300 per rolling minute) per app per API, including the OAuth service.',
    'A new token is requested for every API call instead of reusing it until it expires.',
    'Several processes (CI jobs, tests in parallel) share one app and its quota.',
  ];
  if (message) causes.unshift(`The platform said: ${message}`);
  return {
    code,
    id: 'rate-limited',
    title: 'Rate limited (HTTP 429)',
    causes,
    fix: `Wait${retryAfterMs !== undefined ? ` ${Math.ceil(retryAfterMs / 1000)} s (Retry-After)` : ''} and retry with exponential backoff; cache tokens until they expire.`,
    platform,
  };
}

/** An Apigee fault, matched on its errorcode, then on its faultstring. */
export function explainFault(
  code: 'ERR_APIGEE_FAULT' | 'ERR_RATE_LIMITED',
  details: Readonly<ErrorDetails['ERR_APIGEE_FAULT']>,
  ctx: ExplainContext,
): Explanation {
  const errorcode = details.errorcode ?? '';
  const faultstring = details.faultstring;
  const p: PlatformErrorFields = {
    status: details.status,
    error: errorcode,
    error_description: faultstring,
    message_id: details.message_id,
  };
  const entry = FAULT_CATALOGUE[errorcode];
  if (entry?.id === 'fault-invalid-client-identifier')
    return fromEntry(code, entry, p, invalidClientIdentifierCauses(ctx));
  if (entry) return fromEntry(code, entry, p);
  if (/ratelimit/i.test(errorcode)) return explainRateLimit(code, details, p);
  const byText = lookupDescription(faultstring);
  if (byText) return fromEntry(code, byText, p);
  return {
    code,
    id: 'fault-unknown',
    title: `Apigee fault: ${faultstring ?? errorcode}`,
    causes: ['The API gateway rejected the request before it reached the API.'],
    fix: 'Check the access token, API key and URL; raise a ticket quoting the fault if it persists.',
    platform: p,
  };
}

/** A 429: an Apigee spike-arrest fault, or the platform's own rate-limit body. */
export function explainRateLimited(
  details: Readonly<ErrorDetails['ERR_RATE_LIMITED']>,
  ctx: ExplainContext,
): Explanation {
  if (details.errorcode) return explainFault('ERR_RATE_LIMITED', details, ctx);
  return explainRateLimit('ERR_RATE_LIMITED', details, platformFields(details));
}

/** An OAuth error body, or an HTTP status with at most a message, matched on the platform's wording. */
export function explainOAuthOrStatus(
  code: 'ERR_OAUTH' | 'ERR_HTTP_STATUS',
  details: Readonly<ErrorDetails['ERR_OAUTH']>,
  ctx: ExplainContext,
): Explanation {
  const { status, error_description: description } = details;
  const text = description ?? details.message;
  const entry = lookupDescription(text);
  const p = platformFields(details) ?? (text ? { status, error_description: text } : undefined);
  if (entry?.id === 'refresh-token-invalid')
    return fromEntry(code, entry, p, refreshInvalidCauses({ ...ctx, grant: ctx.grant ?? details.grant }));
  if (entry?.id === 'assertion-aud' && ctx.tokenUrl) {
    const causes = [...entry.causes];
    causes[0] = `${causes[0]} This request went to ${ctx.tokenUrl}${ctx.environment ? ` (${ctx.environment})` : ''}.`;
    return fromEntry(code, entry, p, causes);
  }
  if (entry) {
    if (entry.id === 'grant-type-invalid' && details.error === 'unsupported_grant_type')
      return fromEntry(code, entry, p, [entry.causes[0] ?? '']);
    return fromEntry(code, entry, p);
  }
  if (code === 'ERR_OAUTH') {
    const err = details.error ?? 'error';
    return {
      code,
      id: 'oauth-unknown',
      title: `The server refused the request: ${err}`,
      causes: [text ? `The server said: ${text}` : 'The server gave no description.'],
      fix: 'Compare the request in the log with the provider\u2019s documentation; for the NHS platform, raise a ticket quoting the message_id.',
      platform: p,
    };
  }
  return explainStatusOnly(code, details, ctx, p);
}

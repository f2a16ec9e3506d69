// Maps any failure to a title, likely causes (most likely first) and a fix. Platform errors are matched
// on their verbatim strings; network and session errors on their codes.
import { isAuthExplorerError } from '../errors.ts';
import { invalidClientIdentifierCauses, refreshInvalidCauses } from './contextualCauses.ts';
import type { ExplainContext, Explanation, PlatformErrorFields } from './explanation.ts';
import { DESCRIPTION_CATALOGUE, FAULT_CATALOGUE } from './platformCatalogue.ts';
import type { CatalogueEntry } from './platformCatalogue.ts';
import { explainLocal } from './localErrors.ts';
import { PLATFORM_ERRORS, platformErrorIdOf } from '../platform/platformErrors.ts';

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

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

function fromEntry(code: string, entry: CatalogueEntry, platform: PlatformErrorFields | undefined, causes?: string[]): Explanation {
  return { code, id: entry.id, title: entry.title, causes: causes ?? [...entry.causes], fix: entry.fix, platform };
}

const TIMEOUT_FIX = 'Set the token call timeout to at least 30 s (the API Platform team recommends 15–30 s, 30 s in production) and retry with exponential backoff, but never blindly retry a refresh.';

function isRefresh(grant: string | undefined): boolean {
  return grant === 'refresh_token';
}

function explainStatusOnly(code: string, status: number | undefined, details: Record<string, unknown>, ctx: ExplainContext, platform?: PlatformErrorFields): Explanation {
  if (status === 405) {
    return { code, id: 'method-not-allowed', title: 'Wrong HTTP method for this endpoint', causes: [`The endpoint only allows ${str(details['allow']) ?? 'another method'}: /token takes POST, /authorize takes GET.`], fix: 'Use POST for /token and GET (a browser redirect) for /authorize.', platform };
  }
  if (status === 404) {
    return { code, id: 'not-found', title: 'Not Found', causes: ['The URL path is wrong (e.g. /oauth2/token vs /oauth2-mock/token, or a typo in the base path).', 'The API or environment does not exist at this host.'], fix: `Check the URL against the environment table${ctx.environment ? ` for ${ctx.environment}` : ''}.`, platform };
  }
  if (status === 429) return explainRateLimit(code, details, platform);
  if (status !== undefined && status >= 500) {
    const causes = ['A transient fault at the platform or a proxy in between.', 'The platform is overloaded or in maintenance.'];
    if (isRefresh(str(details['grant']) ?? ctx.grant)) causes.push('For a refresh: the server may have processed it before failing, in which case the old refresh token is burnt. Try once more; if you then get "refresh_token is invalid", sign in again.');
    return { code, id: 'server-error', title: `The server failed with HTTP ${status}`, causes, fix: 'Retry later with exponential backoff; if it persists, raise a ticket with the support bundle (message ids and timestamps).', platform };
  }
  return { code, id: 'http-status', title: `Unexpected HTTP ${status ?? 'status'}`, causes: ['The server rejected the request without a recognised error.'], fix: 'Look at the response in the request log and compare the request with the API\u2019s documentation.', platform };
}

function explainRateLimit(code: string, details: Record<string, unknown>, platform?: PlatformErrorFields): Explanation {
  const retryAfterMs = num(details['retryAfterMs']);
  const message = str(details['message']);
  const causes = [
    'The app exceeded its rate limit: by default 5 requests per second (300 per rolling minute) per app per API, including the OAuth service.',
    'A new token is requested for every API call instead of reusing it until it expires.',
    'Several processes (CI jobs, tests in parallel) share one app and its quota.',
  ];
  if (message) causes.unshift(`The platform said: ${message}`);
  return {
    code, id: 'rate-limited', title: 'Rate limited (HTTP 429)', causes,
    fix: `Wait${retryAfterMs !== undefined ? ` ${Math.ceil(retryAfterMs / 1000)} s (Retry-After)` : ''} and retry with exponential backoff; cache tokens until they expire.`,
    platform,
  };
}

// Where each surface takes its proxy and its certificates: VS Code's settings for the extension (it sends
// through VS Code's own network stack), the environment for the nhs-auth CLI.
const PROXY_HOWTO = 'in VS Code set http.proxy (and http.noProxy) in your user settings, or leave them empty to use the system proxy; for the nhs-auth CLI set HTTPS_PROXY (and NO_PROXY for hosts reached directly).';
const VSCODE_CA_FIX = 'In VS Code: install your organisation\u2019s CA certificate in the operating system\u2019s certificate store and keep http.systemCertificates on (the default); the extension then trusts what VS Code trusts.';
const CLI_CA_FIX = 'For the nhs-auth CLI: set NODE_EXTRA_CA_CERTS to your organisation\u2019s CA file (PEM), or NHS_AUTH_USE_SYSTEM_CA=1 to trust the operating system\u2019s store.';

function explainUntrustedIssuer(code: string, url: string, transport: string | undefined): Explanation {
  const fixes = transport === 'fetch' ? [VSCODE_CA_FIX, CLI_CA_FIX] : [CLI_CA_FIX, VSCODE_CA_FIX];
  return {
    code, id: 'tls-untrusted-issuer', title: 'The server\u2019s certificate comes from a CA this machine does not trust',
    causes: [
      'A proxy on this network inspects HTTPS (common on HSCN and corporate networks): it re-signs every certificate with your organisation\u2019s own CA, which is not in the trust store used here.',
      `The server at ${url} uses a private or self-signed certificate.`,
    ],
    fix: `${fixes.join(' ')} Your IT team can give you the CA file. Never disable certificate checks. Nothing was sent.`,
  };
}

function explainProxyRefusal(code: string, status: number): Explanation {
  const auth = status === 407;
  return {
    code, id: auth ? 'proxy-auth' : 'proxy-refused', title: auth ? 'The proxy asks for authentication (HTTP 407)' : `The proxy refused the connection (HTTP ${status})`,
    causes: auth
      ? ['The proxy needs credentials that were not sent.', 'The credentials in the proxy URL are wrong or expired.']
      : ['The proxy does not allow this host or port (an allow-list on the proxy).', 'The proxy URL points at the wrong server.'],
    fix: auth
      ? 'In VS Code the proxy\u2019s sign-in prompt or http.proxyAuthorization handles it; for the nhs-auth CLI put the credentials in HTTPS_PROXY (http://user:password@proxy:port). Nothing was sent.'
      : `Ask your network team to allow the host, or reach it directly: ${PROXY_HOWTO} Nothing was sent.`,
  };
}

function explainNetwork(code: string, details: Record<string, unknown>, ctx: ExplainContext): Explanation | undefined {
  const url = str(details['url']) ?? ctx.tokenUrl ?? 'the server';
  const grant = str(details['grant']) ?? ctx.grant;
  switch (code) {
    case 'ERR_HTTP_TIMEOUT': {
      const timeoutMs = num(details['timeoutMs']) ?? ctx.timeoutMs;
      const causes = [
        'The token endpoint is slow right now (latency spikes, HSCN or enterprise network paths).',
        'The client timeout is too short for token calls.',
        'A proxy or firewall is holding the connection open without answering.',
      ];
      if (timeoutMs !== undefined && timeoutMs < 30_000) causes.unshift(`The timeout was ${Math.round(timeoutMs / 1000)} s, below the 30 s the platform team recommends for token calls.`);
      if (isRefresh(grant)) causes.push('For a refresh: the server may have processed it and rotated the refresh token; the old one is then burnt.');
      return { code, id: 'timeout', title: 'The token call timed out', causes, fix: TIMEOUT_FIX };
    }
    case 'ERR_HTTP_DNS':
      return { code, id: 'dns', title: 'The host name could not be resolved', causes: [`A typo in the host of ${url} (e.g. "api.service.nhs.uk" vs "int.api.service.nhs.uk").`, 'No network, or a DNS server that cannot resolve public names (VPN split DNS).', 'A proxy is required to reach the internet from this machine.'], fix: `Check the URL and that this machine can resolve the host (nslookup). If this network reaches the internet only through a proxy: ${PROXY_HOWTO} Nothing was sent.` };
    case 'ERR_HTTP_CONNECT':
      if (num(details['proxyStatus']) !== undefined) return explainProxyRefusal(code, num(details['proxyStatus'])!);
      if (str(details['proxy'])) {
        return {
          code, id: 'proxy-unreachable', title: 'The proxy could not be reached',
          causes: [`Nothing answers at the proxy address ${str(details['proxy'])}: the proxy is down, or the address is wrong.`, 'A proxy set for another network (office vs home, VPN off) is still configured.'],
          fix: `Check the proxy address: ${PROXY_HOWTO} Nothing was sent, so retrying is safe.`,
        };
      }
      return { code, id: 'connect', title: 'The connection was refused or could not be made', causes: [`Nothing is listening at ${url} (for the local emulator: it is not running or on another port).`, 'A firewall blocks the port.', 'The host is unreachable from this network.'], fix: 'Check the URL and port; start the emulator if you use it. Nothing was sent, so retrying is safe.' };
    case 'ERR_HTTP_TLS':
      if (details['untrustedIssuer'] === true) return explainUntrustedIssuer(code, url, str(details['transport']));
      return { code, id: 'tls', title: 'The TLS (HTTPS) handshake failed', causes: ['A corporate proxy intercepts HTTPS with its own certificate, which Node does not trust (set NODE_EXTRA_CA_CERTS to your proxy\u2019s CA file).', 'The server certificate is expired, self-signed or for another host name.', 'http was expected but https was used, or the reverse.'], fix: 'Trust your organisation\u2019s CA via NODE_EXTRA_CA_CERTS, or fix the URL. Never disable certificate checks. Nothing was sent.' };
    case 'ERR_HTTP_RESET': {
      const causes = ['The connection was closed before the full response arrived (network drop, proxy or load-balancer reset).', 'The server crashed or restarted mid-request.'];
      if (isRefresh(grant)) causes.push('For a refresh: the server may have processed it; the old refresh token is then burnt.');
      return { code, id: 'reset', title: 'The connection was reset mid-request', causes, fix: 'Retry with backoff for client credentials and token exchange; for a refresh, sign in again if the retry says "refresh_token is invalid".' };
    }
    case 'ERR_HTTP_RESPONSE_TOO_LARGE':
      return { code, id: 'too-large', title: 'The response was too large', causes: ['The URL serves a page or file, not a token endpoint.', 'A proxy returned a large error page.'], fix: 'Check the token URL; a token response is a few kilobytes at most.' };
    case 'ERR_HTTP_NOT_JSON': {
      const status = num(details['status']);
      const html = details['html'] === true;
      const excerpt = str(details['excerpt']);
      const causes = html
        ? ['A proxy, firewall or captive portal answered with an HTML page instead of the platform (common on corporate networks).', 'The URL points to a web page (the developer portal or docs) instead of the token endpoint.', 'A load balancer error page (502/503/504) from the platform\u2019s edge.']
        : ['The server answered with text that is not JSON (a proxy message or a plain-text error).', 'The URL is not a token endpoint.'];
      if (excerpt) causes.push(`The body began: ${excerpt.slice(0, 160)}`);
      return { code, id: 'not-json', title: `HTTP ${status ?? '?'} with ${html ? 'an HTML page' : 'a non-JSON body'} \u2014 this is an error, not a success`, causes, fix: status !== undefined && status >= 500 ? `Retry later with backoff; if it persists, check your proxy settings: ${PROXY_HOWTO}` : `Check the URL and your proxy settings (the token endpoint always answers JSON): ${PROXY_HOWTO}` };
    }
    default:
      return undefined;
  }
}

function explainSession(code: string, details: Record<string, unknown>, ctx: ExplainContext): Explanation | undefined {
  switch (code) {
    case 'ERR_REFRESH_OUTCOME_UNKNOWN':
      return {
        code, id: 'refresh-outcome-unknown', title: 'The refresh may have happened, but the answer was lost',
        causes: [
          typeof details['reason'] === 'string'
            ? `The refresh request reached the server but its answer could not be used (${details['reason']}), so any new tokens in it are lost.`
            : 'The refresh request reached the server but the response never arrived (timeout or connection reset), so the new tokens are lost.',
          'Platform refresh tokens are single-use: if the server processed the request, the old refresh token is burnt and a retry would fail with "refresh_token is invalid".',
          `The client timeout was too short (${num(details['timeoutMs']) !== undefined ? `${Math.round((num(details['timeoutMs']) ?? 0) / 1000)} s` : 'check it'}; at least 30 s is recommended).`,
        ],
        fix: details['causeCode'] === 'ERR_HTTP_TIMEOUT' || details['causeCode'] === undefined
          ? 'Sign in again to start a new session. To avoid this, use a timeout of at least 30 s for token calls.'
          : `Sign in again to start a new session. If a proxy answered instead of the platform, check your proxy settings (${PROXY_HOWTO}) If the platform failed, retrying the same refresh token would only be refused.`,
      };
    case 'ERR_REFRESH_NOT_ROTATED':
      return {
        code, id: 'refresh-not-rotated', title: 'The refresh answer had no new refresh token',
        causes: ['The server answered 200 but left out refresh_token; platform refresh tokens are single-use, so the old one is burnt and cannot be kept.', 'A proxy or a non-platform server rewrote the answer.'],
        fix: 'Use the new access token until it expires, then sign in again. Check the token URL points at the platform.',
      };
    case 'ERR_SESSION_BUSY':
      return {
        code, id: 'session-busy', title: 'Another window is refreshing this session',
        causes: ['Another VS Code window (or a stuck one) holds the refresh lease for this session; only one may send its single-use refresh token.'],
        fix: 'Wait a moment and try again; a lease left by a crashed window expires by itself within a minute.',
      };
    case 'ERR_REFRESH_PERIOD_OVER': {
      const end = num(details['refreshPeriodEndsAt']) ?? ctx.session?.refreshPeriodEndsAt;
      return {
        code, id: 'refresh-period-over', title: 'The refresh period is over: sign in again',
        causes: [`The session can no longer be refreshed${end ? ` (its refresh period ended at ${new Date(end).toISOString()})` : ''}; CIS2 sessions last 12 h and NHS login sessions 1 h from first sign-in, however often they are refreshed.`, 'No request was sent, so nothing was burnt.'],
        fix: 'Sign in again (authorization code or token exchange) to start a new session.',
      };
    }
    case 'ERR_NO_REFRESH_TOKEN':
      return { code, id: 'no-refresh-token', title: 'This session has no refresh token', causes: ['Client credentials sessions never get a refresh token: the platform issues a new access token for a new assertion instead.', 'The stored session lost its refresh token.'], fix: 'Request a new token (client credentials) or sign in again (user-restricted).' };
    case 'ERR_SESSION_MISSING':
      return { code, id: 'session-missing', title: 'No session for this profile', causes: ['No token has been requested for this profile yet, or the session was cleared.'], fix: 'Request a token first.' };
    case 'ERR_SESSION_STORE':
      if (details['lease'] === true) {
        return { code, id: 'session-lease', title: 'The refresh lock could not be created', causes: ['The folder for cross-window refresh locks is not writable (disk full, permissions).', 'No request was sent, so the refresh token is untouched.'], fix: `Make ${str(details['dir']) ?? 'the folder named in the message'} writable, then refresh again.` };
      }
      return { code, id: 'session-store', title: 'The new refresh token could not be saved', causes: ['The secret store (SecretStorage / keychain) refused the write.', 'The old refresh token was already used by the refresh, so the chain is broken.'], fix: 'Sign in again; if the store keeps failing, check the OS keychain.' };
    case 'ERR_OAUTH_STATE':
      return { code, id: 'state-mismatch', title: 'The sign-in redirect had the wrong state', causes: ['A stale browser tab or an old redirect reached the listener.', 'A forged redirect (login CSRF) attempt.'], fix: 'Start the sign-in again and finish it in the tab that opens.' };
    case 'ERR_REDIRECT_FORWARDED': {
      const external = str(details['external']) ?? 'another address';
      const codespaces = /\.app\.github\.dev$/i.test((() => { try { return new URL(external).hostname; } catch { return ''; } })());
      return {
        code, id: 'redirect-forwarded', title: 'The sign-in callback cannot reach this remote window',
        causes: [
          `VS Code runs this extension on a remote machine, and your browser can reach its callback listener only at ${external}, not at the registered redirect URI ${str(details['redirectUri']) ?? ''}.`,
          'The platform (and the emulator) send the browser back to the redirect URI exactly as registered, so the code would never arrive.',
          codespaces ? 'Codespaces forwards ports to https://*.app.github.dev addresses, which never equal an http://127.0.0.1 callback.' : 'The port was forwarded to another local port, because the registered one is in use on your machine.',
        ],
        fix: codespaces
          ? 'Sign in from VS Code desktop (locally or over Remote-SSH / WSL / Dev Containers), or use the client-credentials and token-exchange flows, which need no callback.'
          : 'Free the registered port on your machine and try again (VS Code then forwards it unchanged), or register a callback URL on a free port in the profile and with the app.',
      };
    }
    case 'ERR_TOKEN_RESPONSE_INVALID':
      return { code, id: 'token-response-invalid', title: 'The token response is not a usable token', causes: ['The response lacks access_token or has unreadable lifetimes.', 'A custom provider wraps its response (e.g. {"oauth": {...}}) and the profile does not say so.'], fix: 'Check the response in the request log; for a custom provider set its response wrapper key.' };
    case 'ERR_CANCELLED':
      return { code, id: 'cancelled', title: 'Cancelled', causes: [details['reason'] === 'timeout' ? 'The sign-in was not completed in time.' : 'The operation was cancelled.'], fix: 'Start it again when ready.' };
    case 'ERR_URL_INVALID':
      return { code, id: 'url-invalid', title: 'The URL is not valid', causes: ['A typo, a missing https://, or a placeholder left in.'], fix: 'Enter a full https URL, e.g. https://int.api.service.nhs.uk/oauth2/token.' };
    default:
      return undefined;
  }
}

/** Explains a platform response body directly (e.g. a protected API's 401). */
export function explainPlatformResponse(status: number, body: unknown, ctx: ExplainContext = {}): Explanation {
  const o = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fault = o['fault'] as Record<string, unknown> | undefined;
  if (fault && typeof fault === 'object') {
    const detail = fault['detail'] as Record<string, unknown> | undefined;
    return explainDetails(status === 429 ? 'ERR_RATE_LIMITED' : 'ERR_APIGEE_FAULT', { status, faultstring: fault['faultstring'], errorcode: detail?.['errorcode'] }, ctx);
  }
  if (typeof o['error'] === 'string') return explainDetails(status === 429 ? 'ERR_RATE_LIMITED' : 'ERR_OAUTH', { status, ...o }, ctx);
  return explainDetails(status === 429 ? 'ERR_RATE_LIMITED' : 'ERR_HTTP_STATUS', { status, message: o['message'], message_id: o['message_id'] }, ctx);
}

function explainDetails(code: string, details: Record<string, unknown>, ctx: ExplainContext, message?: string): Explanation {
  const status = num(details['status']);
  const description = str(details['error_description']);
  const platform: PlatformErrorFields | undefined =
    status !== undefined || description !== undefined
      ? { status, error: str(details['error']), error_description: description, message_id: str(details['message_id']) }
      : undefined;

  const net = explainNetwork(code, details, ctx);
  if (net) return { ...net, platform: status !== undefined ? platform : undefined };
  const session = explainSession(code, details, ctx);
  if (session) return session;

  if (code === 'ERR_APIGEE_FAULT' || (code === 'ERR_RATE_LIMITED' && details['errorcode'])) {
    const errorcode = str(details['errorcode']) ?? '';
    const faultstring = str(details['faultstring']);
    const p: PlatformErrorFields = { status, error: errorcode, error_description: faultstring, message_id: str(details['message_id']) };
    const entry = FAULT_CATALOGUE[errorcode];
    if (entry?.id === 'fault-invalid-client-identifier') return fromEntry(code, entry, p, invalidClientIdentifierCauses(ctx));
    if (entry) return fromEntry(code, entry, p);
    if (/ratelimit/i.test(errorcode)) return explainRateLimit(code, details, p);
    const byText = lookupDescription(faultstring);
    if (byText) return fromEntry(code, byText, p);
    return { code, id: 'fault-unknown', title: `Apigee fault: ${faultstring ?? errorcode}`, causes: ['The API gateway rejected the request before it reached the API.'], fix: 'Check the access token, API key and URL; raise a ticket quoting the fault if it persists.', platform: p };
  }
  if (code === 'ERR_RATE_LIMITED') return explainRateLimit(code, details, platform);

  if (code === 'ERR_OAUTH' || code === 'ERR_HTTP_STATUS') {
    const text = description ?? str(details['message']);
    const entry = lookupDescription(text);
    const p = platform ?? (text ? { status, error_description: text } : undefined);
    if (entry?.id === 'refresh-token-invalid') return fromEntry(code, entry, p, refreshInvalidCauses({ ...ctx, grant: ctx.grant ?? str(details['grant']) }));
    if (entry?.id === 'assertion-aud' && ctx.tokenUrl) {
      const causes = [...entry.causes];
      causes[0] = `${causes[0]} This request went to ${ctx.tokenUrl}${ctx.environment ? ` (${ctx.environment})` : ''}.`;
      return fromEntry(code, entry, p, causes);
    }
    if (entry?.id === 'unknown-error' && details['message_id']) {
      return fromEntry(code, entry, p, [...entry.causes]);
    }
    if (entry) {
      if (entry.id === 'grant-type-invalid' && str(details['error']) === 'unsupported_grant_type') return fromEntry(code, entry, p, [entry.causes[0] ?? '']);
      return fromEntry(code, entry, p);
    }
    if (code === 'ERR_OAUTH') {
      const err = str(details['error']) ?? 'error';
      return { code, id: 'oauth-unknown', title: `The server refused the request: ${err}`, causes: [text ? `The server said: ${text}` : 'The server gave no description.'], fix: 'Compare the request in the log with the provider\u2019s documentation; for the NHS platform, raise a ticket quoting the message_id.', platform: p };
    }
    return explainStatusOnly(code, status, details, ctx, p);
  }
  const local = explainLocal(code, message);
  if (local) return local;
  return {
    code, id: 'unexpected', title: 'Unexpected error',
    causes: [message ?? 'An error this tool does not recognise.'],
    fix: 'Check the request log; if it looks like a bug in this tool, report it with the log (secrets are already removed).',
  };
}

export function explainError(err: unknown, context: ExplainContext = {}): Explanation {
  if (isAuthExplorerError(err)) return explainDetails(err.code, { ...err.details }, context, err.message);
  if (err instanceof Error) return explainDetails('ERR_INTERNAL', {}, context, err.message);
  return explainDetails('ERR_INTERNAL', {}, context, String(err));
}

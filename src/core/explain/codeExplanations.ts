// One explanation per error code: a title, causes most likely first, and one fix. The record is keyed by
// every ErrorCode, so a new code without an explanation fails the type check. Answers from a server are
// matched further on their verbatim strings (explainResponse.ts, platformCatalogue.ts).
import type { ErrorCode, ErrorDetails } from '../errors.ts';
import type { ExplainContext, Explanation } from './explanation.ts';
import { explainFault, explainOAuthOrStatus, explainRateLimited, platformFields } from './explainResponse.ts';

/** An error made on this machine: its own message is the cause; this adds a title and the fix. */
interface LocalExplanation {
  id: string;
  title: string;
  fix: string;
}

/** The same causes whatever the details. */
interface FixedExplanation extends LocalExplanation {
  causes: readonly string[];
}

type ExplanationBody = Omit<Explanation, 'code'>;
type DetailedExplanation<C extends ErrorCode> = (
  details: Readonly<ErrorDetails[C]>,
  ctx: ExplainContext,
  message: string | undefined,
) => ExplanationBody;

export type CodeExplanation<C extends ErrorCode> =
  LocalExplanation | FixedExplanation | DetailedExplanation<C>;

const TIMEOUT_FIX =
  'Set the token call timeout to at least 30 s (the API Platform team recommends 15–30 s, 30 s in production) and retry with exponential backoff, but never blindly retry a refresh.';

// Where each surface takes its proxy and its certificates: VS Code's settings for the extension (it sends
// through VS Code's own network stack), the environment for the nhs-auth CLI.
const PROXY_HOWTO =
  'in VS Code set http.proxy (and http.noProxy) in your user settings, or leave them empty to use the system proxy; for the nhs-auth CLI set HTTPS_PROXY (and NO_PROXY for hosts reached directly).';
const VSCODE_CA_FIX =
  'In VS Code: install your organisation\u2019s CA certificate in the operating system\u2019s certificate store and keep http.systemCertificates on (the default); the extension then trusts what VS Code trusts.';
const CLI_CA_FIX =
  'For the nhs-auth CLI: set NODE_EXTRA_CA_CERTS to your organisation\u2019s CA file (PEM), or NHS_AUTH_USE_SYSTEM_CA=1 to trust the operating system\u2019s store.';

function isRefresh(grant: string | undefined): boolean {
  return grant === 'refresh_token';
}

/** Network explanations carry the platform's fields only when an answer (a status) arrived. */
function network<C extends ErrorCode>(
  explain: (details: Readonly<ErrorDetails[C]>, ctx: ExplainContext) => ExplanationBody,
): DetailedExplanation<C> {
  return (details, ctx) => ({
    ...explain(details, ctx),
    platform: details.status !== undefined ? platformFields(details) : undefined,
  });
}

function target(details: { url?: string }, ctx: ExplainContext): string {
  return details.url ?? ctx.tokenUrl ?? 'the server';
}

function untrustedIssuer(url: string, transport: string | undefined): ExplanationBody {
  const fixes = transport === 'fetch' ? [VSCODE_CA_FIX, CLI_CA_FIX] : [CLI_CA_FIX, VSCODE_CA_FIX];
  return {
    id: 'tls-untrusted-issuer',
    title: 'The server\u2019s certificate comes from a CA this machine does not trust',
    causes: [
      'A proxy on this network inspects HTTPS (common on HSCN and corporate networks): it re-signs every certificate with your organisation\u2019s own CA, which is not in the trust store used here.',
      `The server at ${url} uses a private or self-signed certificate.`,
    ],
    fix: `${fixes.join(' ')} Your IT team can give you the CA file. Never disable certificate checks. Nothing was sent.`,
  };
}

function proxyRefusal(status: number): ExplanationBody {
  const auth = status === 407;
  return {
    id: auth ? 'proxy-auth' : 'proxy-refused',
    title: auth
      ? 'The proxy asks for authentication (HTTP 407)'
      : `The proxy refused the connection (HTTP ${status})`,
    causes: auth
      ? [
          'The proxy needs credentials that were not sent.',
          'The credentials in the proxy URL are wrong or expired.',
        ]
      : [
          'The proxy does not allow this host or port (an allow-list on the proxy).',
          'The proxy URL points at the wrong server.',
        ],
    fix: auth
      ? 'In VS Code the proxy\u2019s sign-in prompt or http.proxyAuthorization handles it; for the nhs-auth CLI put the credentials in HTTPS_PROXY (http://user:password@proxy:port). Nothing was sent.'
      : `Ask your network team to allow the host, or reach it directly: ${PROXY_HOWTO} Nothing was sent.`,
  };
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

export const CODE_EXPLANATIONS: { readonly [C in ErrorCode]: CodeExplanation<C> } = {
  // input parsing
  ERR_JWT_MALFORMED: {
    id: 'jwt-malformed',
    title: 'Not a well-formed JWT',
    fix: 'Paste the whole token: three base64url parts separated by dots, without quotes or line breaks.',
  },
  ERR_PEM_INVALID: {
    id: 'pem-invalid',
    title: 'Not a readable PEM private key',
    fix: 'Choose the private key file (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----), not the public key or certificate.',
  },
  ERR_KEY_TYPE: {
    id: 'key-type',
    title: 'Not an RSA private key',
    fix: 'The platform needs an RSA key pair for RS512: import the RSA private key, or generate one here.',
  },
  ERR_KEY_SIZE: {
    id: 'key-size',
    title: 'The key is smaller than 4096 bits',
    fix: 'The platform requires 4096-bit RSA keys: generate a new key pair here (NHS Auth: Generate Key Pair).',
  },
  ERR_PKCS12_PASSPHRASE: {
    id: 'pkcs12-passphrase',
    title: 'Wrong PKCS#12 passphrase',
    fix: 'Import again with the passphrase the .pfx/.p12 file was exported with.',
  },
  ERR_PKCS12_INVALID: {
    id: 'pkcs12-invalid',
    title: 'Not a usable PKCS#12 file',
    fix: 'Choose a .pfx/.p12 file that contains an RSA private key, or export the key as PEM and import that.',
  },
  ERR_JWKS_INVALID: {
    id: 'jwks-invalid',
    title: 'Not a valid JWKS',
    fix: 'A JWKS is JSON shaped {"keys": [{"kty": "RSA", "n": …, "e": …, "kid": …}]}; export it again from the profile.',
  },
  ERR_URL_INVALID: {
    id: 'url-invalid',
    title: 'The URL is not valid',
    causes: ['A typo, a missing https://, or a placeholder left in.'],
    fix: 'Enter a full https URL, e.g. https://int.api.service.nhs.uk/oauth2/token.',
  },
  ERR_APPS_FILE: {
    id: 'apps-file',
    title: 'The emulator apps file is not valid',
    fix: 'Fix the field named in the message; see docs/emulator.md for the file\u2019s shape.',
  },
  ERR_ARGUMENT: {
    id: 'argument',
    title: 'That value cannot be used',
    fix: 'Correct the value named in the message and try again.',
  },
  ERR_FILE_WRITE: {
    id: 'file-write',
    title: 'The file could not be written',
    fix: 'Choose a folder you can write to, with space left on its disk; an existing file of that name is never overwritten by a half-written one.',
  },
  ERR_NEEDS_EMULATOR: {
    id: 'needs-emulator',
    title: 'Only the Local emulator offers this',
    fix: 'Use a Local emulator profile for mock users and mock sign-in; on the platform, sign in with NHS login or CIS2 and paste the ID token.',
  },
  ERR_NO_AUTHORIZE_ENDPOINT: {
    id: 'no-authorize-endpoint',
    title: 'This environment has no sign-in (authorize) endpoint',
    fix: 'Use token exchange or client credentials here, or give a Custom profile its authorize URL.',
  },
  ERR_SYSTEM_CA: {
    id: 'system-ca',
    title: 'The operating system\u2019s certificates cannot be read',
    fix: 'Use Node >= 22.15, or set NODE_EXTRA_CA_CERTS to your organisation\u2019s CA file (PEM) instead of NHS_AUTH_USE_SYSTEM_CA.',
  },
  ERR_CANCELLED: (d) => ({
    id: 'cancelled',
    title: 'Cancelled',
    causes: [
      d.reason === 'timeout' ? 'The sign-in was not completed in time.' : 'The operation was cancelled.',
    ],
    fix: 'Start it again when ready.',
  }),
  ERR_PREFLIGHT: {
    id: 'preflight',
    title: 'The platform would refuse this',
    fix: 'Fix the first finding in the pre-flight report (it names the platform\u2019s error and the fix), or send anyway to see the platform\u2019s own answer.',
  },

  // keys and profiles
  ERR_KID_EXISTS: {
    id: 'kid-exists',
    title: 'That KID was used before',
    fix: 'The platform requires a new KID for every key; use the next one offered (test-N or prod-N).',
  },
  ERR_KID_UNKNOWN: {
    id: 'kid-unknown',
    title: 'No key with that KID',
    fix: 'Pick a KID listed under the profile in the Environments tree.',
  },
  ERR_PROFILE_UNKNOWN: {
    id: 'profile-unknown',
    title: 'No such profile',
    fix: 'Pick a profile from the Environments tree; it may have been removed.',
  },
  ERR_NO_ACTIVE_KEY: {
    id: 'no-active-key',
    title: 'No active signing key',
    fix: 'Generate or import a key for this profile (NHS Auth: Generate Key Pair), or reactivate a retired one.',
  },
  ERR_SECRET_MISSING: {
    id: 'secret-missing',
    title: 'A credential is missing',
    fix: 'Edit the profile to add it; credentials are kept only in this machine\u2019s SecretStorage, so a profile made elsewhere needs them again.',
  },

  // network and responses
  ERR_HTTP_TIMEOUT: network((d, ctx) => {
    const timeoutMs = d.timeoutMs ?? ctx.timeoutMs;
    const causes = [
      'The token endpoint is slow right now (latency spikes, HSCN or enterprise network paths).',
      'The client timeout is too short for token calls.',
      'A proxy or firewall is holding the connection open without answering.',
    ];
    if (timeoutMs !== undefined && timeoutMs < 30_000)
      causes.unshift(
        `The timeout was ${Math.round(timeoutMs / 1000)} s, below the 30 s the platform team recommends for token calls.`,
      );
    if (isRefresh(d.grant ?? ctx.grant))
      causes.push(
        'For a refresh: the server may have processed it and rotated the refresh token; the old one is then burnt.',
      );
    return { id: 'timeout', title: 'The token call timed out', causes, fix: TIMEOUT_FIX };
  }),
  ERR_HTTP_DNS: network((d, ctx) => ({
    id: 'dns',
    title: 'The host name could not be resolved',
    causes: [
      `A typo in the host of ${target(d, ctx)} (e.g. "api.service.nhs.uk" vs "int.api.service.nhs.uk").`,
      'No network, or a DNS server that cannot resolve public names (VPN split DNS).',
      'A proxy is required to reach the internet from this machine.',
    ],
    fix: `Check the URL and that this machine can resolve the host (nslookup). If this network reaches the internet only through a proxy: ${PROXY_HOWTO} Nothing was sent.`,
  })),
  ERR_HTTP_CONNECT: network((d, ctx) => {
    if (d.proxyStatus !== undefined) return proxyRefusal(d.proxyStatus);
    if (d.proxy) {
      return {
        id: 'proxy-unreachable',
        title: 'The proxy could not be reached',
        causes: [
          `Nothing answers at the proxy address ${d.proxy}: the proxy is down, or the address is wrong.`,
          'A proxy set for another network (office vs home, VPN off) is still configured.',
        ],
        fix: `Check the proxy address: ${PROXY_HOWTO} Nothing was sent, so retrying is safe.`,
      };
    }
    return {
      id: 'connect',
      title: 'The connection was refused or could not be made',
      causes: [
        `Nothing is listening at ${target(d, ctx)} (for the local emulator: it is not running or on another port).`,
        'A firewall blocks the port.',
        'The host is unreachable from this network.',
      ],
      fix: 'Check the URL and port; start the emulator if you use it. Nothing was sent, so retrying is safe.',
    };
  }),
  ERR_HTTP_TLS: network((d, ctx) => {
    if (d.untrustedIssuer === true) return untrustedIssuer(target(d, ctx), d.transport);
    return {
      id: 'tls',
      title: 'The TLS (HTTPS) handshake failed',
      causes: [
        'A corporate proxy intercepts HTTPS with its own certificate, which Node does not trust (set NODE_EXTRA_CA_CERTS to your proxy\u2019s CA file).',
        'The server certificate is expired, self-signed or for another host name.',
        'http was expected but https was used, or the reverse.',
      ],
      fix: 'Trust your organisation\u2019s CA via NODE_EXTRA_CA_CERTS, or fix the URL. Never disable certificate checks. Nothing was sent.',
    };
  }),
  ERR_HTTP_RESET: network((d, ctx) => {
    const causes = [
      'The connection was closed before the full response arrived (network drop, proxy or load-balancer reset).',
      'The server crashed or restarted mid-request.',
    ];
    if (isRefresh(d.grant ?? ctx.grant))
      causes.push('For a refresh: the server may have processed it; the old refresh token is then burnt.');
    return {
      id: 'reset',
      title: 'The connection was reset mid-request',
      causes,
      fix: 'Retry with backoff for client credentials and token exchange; for a refresh, sign in again if the retry says "refresh_token is invalid".',
    };
  }),
  ERR_HTTP_RESPONSE_TOO_LARGE: network(() => ({
    id: 'too-large',
    title: 'The response was too large',
    causes: ['The URL serves a page or file, not a token endpoint.', 'A proxy returned a large error page.'],
    fix: 'Check the token URL; a token response is a few kilobytes at most.',
  })),
  ERR_HTTP_NOT_JSON: network((d) => {
    const { status, excerpt } = d;
    const html = d.html === true;
    const causes = html
      ? [
          'A proxy, firewall or captive portal answered with an HTML page instead of the platform (common on corporate networks).',
          'The URL points to a web page (the developer portal or docs) instead of the token endpoint.',
          'A load balancer error page (502/503/504) from the platform\u2019s edge.',
        ]
      : [
          'The server answered with text that is not JSON (a proxy message or a plain-text error).',
          'The URL is not a token endpoint.',
        ];
    if (excerpt) causes.push(`The body began: ${excerpt.slice(0, 160)}`);
    return {
      id: 'not-json',
      title: `HTTP ${status ?? '?'} with ${html ? 'an HTML page' : 'a non-JSON body'} \u2014 this is an error, not a success`,
      causes,
      fix:
        status !== undefined && status >= 500
          ? `Retry later with backoff; if it persists, check your proxy settings: ${PROXY_HOWTO}`
          : `Check the URL and your proxy settings (the token endpoint always answers JSON): ${PROXY_HOWTO}`,
    };
  }),
  ERR_HTTP_STATUS: (d, ctx) => explainOAuthOrStatus('ERR_HTTP_STATUS', d, ctx),
  ERR_OAUTH: (d, ctx) => explainOAuthOrStatus('ERR_OAUTH', d, ctx),
  ERR_APIGEE_FAULT: (d, ctx) => explainFault('ERR_APIGEE_FAULT', d, ctx),
  ERR_RATE_LIMITED: (d, ctx) => explainRateLimited(d, ctx),

  // sessions and sign-in
  ERR_REFRESH_OUTCOME_UNKNOWN: (d) => ({
    id: 'refresh-outcome-unknown',
    title: 'The refresh may have happened, but the answer was lost',
    causes: [
      typeof d.reason === 'string'
        ? `The refresh request reached the server but its answer could not be used (${d.reason}), so any new tokens in it are lost.`
        : 'The refresh request reached the server but the response never arrived (timeout or connection reset), so the new tokens are lost.',
      'Platform refresh tokens are single-use: if the server processed the request, the old refresh token is burnt and a retry would fail with "refresh_token is invalid".',
      `The client timeout was too short (${d.timeoutMs !== undefined ? `${Math.round(d.timeoutMs / 1000)} s` : 'check it'}; at least 30 s is recommended).`,
    ],
    fix:
      d.causeCode === 'ERR_HTTP_TIMEOUT' || d.causeCode === undefined
        ? 'Sign in again to start a new session. To avoid this, use a timeout of at least 30 s for token calls.'
        : `Sign in again to start a new session. If a proxy answered instead of the platform, check your proxy settings (${PROXY_HOWTO}) If the platform failed, retrying the same refresh token would only be refused.`,
  }),
  ERR_REFRESH_NOT_ROTATED: {
    id: 'refresh-not-rotated',
    title: 'The refresh answer had no new refresh token',
    causes: [
      'The server answered 200 but left out refresh_token; platform refresh tokens are single-use, so the old one is burnt and cannot be kept.',
      'A proxy or a non-platform server rewrote the answer.',
    ],
    fix: 'Use the new access token until it expires, then sign in again. Check the token URL points at the platform.',
  },
  ERR_SESSION_BUSY: {
    id: 'session-busy',
    title: 'Another window is refreshing this session',
    causes: [
      'Another VS Code window (or a stuck one) holds the refresh lease for this session; only one may send its single-use refresh token.',
    ],
    fix: 'Wait a moment and try again; a lease left by a crashed window expires by itself within a minute.',
  },
  ERR_REFRESH_PERIOD_OVER: (d, ctx) => {
    const end = d.refreshPeriodEndsAt ?? ctx.session?.refreshPeriodEndsAt;
    return {
      id: 'refresh-period-over',
      title: 'The refresh period is over: sign in again',
      causes: [
        `The session can no longer be refreshed${end ? ` (its refresh period ended at ${new Date(end).toISOString()})` : ''}; CIS2 sessions last 12 h and NHS login sessions 1 h from first sign-in, however often they are refreshed.`,
        'No request was sent, so nothing was burnt.',
      ],
      fix: 'Sign in again (authorization code or token exchange) to start a new session.',
    };
  },
  ERR_NO_REFRESH_TOKEN: {
    id: 'no-refresh-token',
    title: 'This session has no refresh token',
    causes: [
      'Client credentials sessions never get a refresh token: the platform issues a new access token for a new assertion instead.',
      'The stored session lost its refresh token.',
    ],
    fix: 'Request a new token (client credentials) or sign in again (user-restricted).',
  },
  ERR_SESSION_MISSING: {
    id: 'session-missing',
    title: 'No session for this profile',
    causes: ['No token has been requested for this profile yet, or the session was cleared.'],
    fix: 'Request a token first.',
  },
  ERR_TOKEN_RESPONSE_INVALID: {
    id: 'token-response-invalid',
    title: 'The token response is not a usable token',
    causes: [
      'The response lacks access_token or has unreadable lifetimes.',
      'A custom provider wraps its response (e.g. {"oauth": {...}}) and the profile does not say so.',
    ],
    fix: 'Check the response in the request log; for a custom provider set its response wrapper key.',
  },
  ERR_OAUTH_STATE: {
    id: 'state-mismatch',
    title: 'The sign-in redirect had the wrong state',
    causes: [
      'A stale browser tab or an old redirect reached the listener.',
      'A forged redirect (login CSRF) attempt.',
    ],
    fix: 'Start the sign-in again and finish it in the tab that opens.',
  },
  ERR_REDIRECT_FORWARDED: (d) => {
    const external = d.external ?? 'another address';
    const codespaces = /\.app\.github\.dev$/i.test(hostnameOf(external));
    return {
      id: 'redirect-forwarded',
      title: 'The sign-in callback cannot reach this remote window',
      causes: [
        `VS Code runs this extension on a remote machine, and your browser can reach its callback listener only at ${external}, not at the registered redirect URI ${d.redirectUri ?? ''}.`,
        'The platform (and the emulator) send the browser back to the redirect URI exactly as registered, so the code would never arrive.',
        codespaces
          ? 'Codespaces forwards ports to https://*.app.github.dev addresses, which never equal an http://127.0.0.1 callback.'
          : 'The port was forwarded to another local port, because the registered one is in use on your machine.',
      ],
      fix: codespaces
        ? 'Sign in from VS Code desktop (locally or over Remote-SSH / WSL / Dev Containers), or use the client-credentials and token-exchange flows, which need no callback.'
        : 'Free the registered port on your machine and try again (VS Code then forwards it unchanged), or register a callback URL on a free port in the profile and with the app.',
    };
  },
  ERR_SESSION_STORE: (d) =>
    d.lease === true
      ? {
          id: 'session-lease',
          title: 'The refresh lock could not be created',
          causes: [
            'The folder for cross-window refresh locks is not writable (disk full, permissions).',
            'No request was sent, so the refresh token is untouched.',
          ],
          fix: `Make ${d.dir ?? 'the folder named in the message'} writable, then refresh again.`,
        }
      : {
          id: 'session-store',
          title: 'The new refresh token could not be saved',
          causes: [
            'The secret store (SecretStorage / keychain) refused the write.',
            'The old refresh token was already used by the refresh, so the chain is broken.',
          ],
          fix: 'Sign in again; if the store keeps failing, check the OS keychain.',
        },
  ERR_INTERNAL: (_d, _ctx, message) => ({
    id: 'unexpected',
    title: 'Unexpected error',
    causes: [message ?? 'An error this tool does not recognise.'],
    fix: 'Check the request log; if it looks like a bug in this tool, report it with the log (secrets are already removed).',
  }),
};

/** The explanation of one code with its details. */
export function explainCode<C extends ErrorCode>(
  code: C,
  details: Readonly<ErrorDetails[C]>,
  ctx: ExplainContext,
  message: string | undefined,
): Explanation {
  const entry: CodeExplanation<C> = CODE_EXPLANATIONS[code];
  if (typeof entry === 'function') return { code, ...entry(details, ctx, message) };
  const causes = 'causes' in entry ? [...entry.causes] : [message ?? entry.title];
  return { code, id: entry.id, title: entry.title, causes, fix: entry.fix };
}

// Fetches a JWKS URL the way the platform does and reports every reason it would refuse the key,
// each with the exact error it would return and the fix. The platform's callout
// (ServiceCallout.ClientCredentialsGrantGetJWKS.xml) is a GET with a 55 s timeout that follows no
// redirects, and its result is cached per URL for 3600 s (PopulateCache.CCJWKS.xml), both in
// https://github.com/NHSDigital/identity-service-api/tree/master/proxies/live/apiproxy/policies
import { CLIENT_ASSERTION_ERRORS } from '../assertion/platformErrors.ts';
import { isAuthExplorerError } from '../errors.ts';
import type { NetworkDetails } from '../errors.ts';
import { httpRequest } from '../http/httpRequest.ts';
import type { HttpTransport } from '../http/transport.ts';
import type { HttpResponse } from '../http/httpRequest.ts';
import { parseJwks } from '../keys/jwks.ts';
import { PLATFORM_ERRORS } from '../platform/platformErrors.ts';
import type { PreflightFinding } from './findings.ts';
import { jwksUrlRules } from './jwksUrlRules.ts';
import { jwksKeyRules } from './jwksKeyRules.ts';
import type { LocalPublicKey } from './jwksKeyRules.ts';

export type { LocalPublicKey } from './jwksKeyRules.ts';

/** The platform's service callout timeout. */
export const PLATFORM_JWKS_TIMEOUT_MS = 55_000;
/** How long the platform keeps a fetched JWKS per URL. */
export const PLATFORM_JWKS_CACHE_SECONDS = 3600;
/** The User-Agent the platform's fetch is known by (the emulator's JWKS fetch sends it too): a firewall rule on it shows up here. */
export const PLATFORM_USER_AGENT = 'APIM';
const MAX_JWKS_BYTES = 256 * 1024;

export interface JwksCheckOptions {
  /** The KID your client assertions name. */
  kid?: string;
  /** Your public keys (from a PEM or a profile): the published modulus must be the same. */
  localKeys?: readonly LocalPublicKey[];
  /** Default: the platform's 55 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** How requests are sent (httpRequest's default: undici). The extension passes the host's fetch. */
  transport?: HttpTransport;
}

export interface JwksCheckReport {
  url: string;
  findings: PreflightFinding[];
  /** What came back, when a response did. */
  response?: {
    status: number;
    durationMs: number;
    contentType?: string;
    location?: string;
    keyCount?: number;
  };
}

const UNKNOWN_ERROR = PLATFORM_ERRORS.unknownError;

const NETWORK_RULE: Record<string, string> = {
  ERR_HTTP_DNS: 'jwks-unreachable-dns',
  ERR_HTTP_CONNECT: 'jwks-unreachable-connect',
  ERR_HTTP_TLS: 'jwks-unreachable-tls',
  ERR_HTTP_TIMEOUT: 'jwks-unreachable-timeout',
  ERR_HTTP_RESET: 'jwks-unreachable-reset',
  ERR_HTTP_RESPONSE_TOO_LARGE: 'jwks-too-large',
};

const NETWORK_WHAT: Record<string, string> = {
  ERR_HTTP_DNS: 'the host name does not resolve (DNS)',
  ERR_HTTP_CONNECT: 'the connection was refused or the host is unreachable',
  ERR_HTTP_TLS: 'the TLS handshake failed (certificate not trusted, expired or for another name)',
  ERR_HTTP_TIMEOUT: "no complete answer within the platform's 55 s",
  ERR_HTTP_RESET: 'the connection was closed before a complete answer',
  ERR_HTTP_RESPONSE_TOO_LARGE: 'the answer is too large to be a JWKS',
};

const NETWORK_FIX: Record<string, string> = {
  ERR_HTTP_DNS:
    'Check the host name, and that it resolves on the public internet (not only on your VPN or intranet).',
  ERR_HTTP_CONNECT:
    'Make sure the server listens on a public address and port 443, and that no firewall blocks the platform.',
  ERR_HTTP_TLS:
    'Serve a full certificate chain from a public CA that matches the host name (a browser may hide a missing intermediate certificate).',
  ERR_HTTP_TIMEOUT:
    "Serve the JWKS as a static file from a fast host (e.g. object storage or GitHub); a slow or sleeping app server fails the platform's 55 s callout.",
  ERR_HTTP_RESET:
    "Check the server or proxy in front of it: it closed the connection. Some WAFs drop requests whose User-Agent is not a browser's; this check sends the platform's User-Agent, APIM.",
  ERR_HTTP_RESPONSE_TOO_LARGE: 'Serve only the JWKS document.',
};

const CACHE_NOTE: PreflightFinding = {
  rule: 'jwks-cache',
  severity: 'info',
  message: `The platform caches a JWKS per URL for ${PLATFORM_JWKS_CACHE_SECONDS / 3600} hour (${PLATFORM_JWKS_CACHE_SECONDS} s) and does not re-fetch it for an unknown KID.`,
  fix: 'After adding a key, keep signing with the old KID for up to an hour before switching to the new one; when rotating, append the new key and keep the old one published.',
};

function unreachable(rule: string, message: string, fix: string, inferred = false): PreflightFinding {
  return {
    rule,
    severity: 'error',
    message,
    fix,
    platformError: CLIENT_ASSERTION_ERRORS.jwksUnreachable,
    ...(inferred ? { inferred } : {}),
  };
}

function looksLikeLoginPage(body: string): boolean {
  return /<form|sign[ -]?in|log[ -]?in|password/i.test(body);
}

/** Findings about the response before its keys are looked at; undefined keys mean the body was unusable. */
function responseRules(res: HttpResponse): {
  findings: PreflightFinding[];
  keys?: Record<string, unknown>[];
} {
  const type = res.headers['content-type'];
  if (res.status >= 300 && res.status < 400) {
    const to = res.headers.location;
    const login = to && /login|signin|auth|sso/i.test(to) ? ' (it looks like a sign-in page)' : '';
    return {
      findings: [
        unreachable(
          'jwks-redirect',
          `The URL answers ${res.status}, a redirect${to ? ` to ${to}` : ''}${login}. The platform follows no redirects, so it never sees a JWKS.`,
          `Register the final URL of the JWKS file itself${to ? ` (${to}, if that is the file)` : ''}, and make it public: no sign-in, no redirect from http to https or to a trailing slash.`,
          true,
        ),
      ],
    };
  }
  if (res.status !== 200) {
    const hint =
      res.status === 404
        ? ' (not found: check the path)'
        : res.status === 401 || res.status === 403
          ? ' (it needs credentials: the platform sends none)'
          : '';
    return {
      findings: [
        unreachable(
          'jwks-status',
          `The URL answers HTTP ${res.status}${hint}, not 200.`,
          'Publish the JWKS at this exact URL so that an anonymous GET answers 200 with the JSON document.',
        ),
      ],
    };
  }
  let keys: Record<string, unknown>[];
  try {
    keys = parseJwks(res.bodyText).keys;
  } catch (e) {
    const text = res.bodyText.trimStart();
    const html = text.startsWith('<');
    const what = html
      ? looksLikeLoginPage(text)
        ? 'an HTML page that looks like a sign-in page'
        : 'an HTML page'
      : isAuthExplorerError(e)
        ? e.message.replace(/^Not a usable JWKS: /, '')
        : 'not a JWKS';
    return {
      findings: [
        {
          rule: html ? 'jwks-html' : 'jwks-not-jwks',
          severity: 'error',
          message: `The URL answers 200, but with ${what}${type ? ` (Content-Type ${type})` : ''}, not a JWKS. The platform cannot read a key from it.`,
          fix: html
            ? 'The URL probably points at a page of a file host or an intranet behind sign-in. Use the raw file URL (e.g. raw.githubusercontent.com, not github.com/…/blob/…) and make it public.'
            : 'Serve a JSON object {"keys": [ ... ]} with your public RSA key(s): nhs-auth keys jwks writes one.',
          platformError: UNKNOWN_ERROR,
          inferred: true,
        },
      ],
    };
  }
  const findings: PreflightFinding[] = [];
  if (type && !/json/i.test(type)) {
    findings.push({
      rule: 'jwks-content-type',
      severity: 'warning',
      message: `The JWKS is served as ${type}.`,
      fix: 'Serve it as application/json; some proxies and caches change or block other types.',
    });
  }
  return { findings, keys };
}

export async function checkJwksUrl(rawUrl: string, options: JwksCheckOptions = {}): Promise<JwksCheckReport> {
  const url = rawUrl.trim();
  const { findings, url: parsed } = jwksUrlRules(url);
  if (!parsed || findings.some((f) => f.severity === 'error'))
    return { url, findings: [...findings, CACHE_NOTE] };
  let res: HttpResponse;
  try {
    res = await httpRequest({
      url,
      method: 'GET',
      headers: { 'user-agent': PLATFORM_USER_AGENT, accept: 'application/json' },
      timeoutMs: options.timeoutMs ?? PLATFORM_JWKS_TIMEOUT_MS,
      maxResponseBytes: MAX_JWKS_BYTES,
      signal: options.signal,
      transport: options.transport,
    });
  } catch (e) {
    if (!isAuthExplorerError(e) || !(e.code in NETWORK_WHAT)) throw e;
    const d: NetworkDetails = e.details;
    const code = typeof d.causeCode === 'string' ? d.causeCode : undefined;
    // Through a proxy that could not be reached, the check says nothing about the JWKS host.
    const cause =
      typeof d.proxy === 'string'
        ? ` (the proxy at ${d.proxy} could not be reached${code ? `: ${code}` : ''}; check your proxy settings)`
        : code
          ? ` (${code})`
          : '';
    // An untrusted issuer here may be this machine's TLS-inspecting proxy, not the JWKS host: say both.
    const local =
      d.untrustedIssuer === true
        ? ' If your network inspects HTTPS, the CA may be your proxy\u2019s rather than the host\u2019s: check the URL from outside it, or trust your organisation\u2019s CA here (VS Code: the system store; CLI: NODE_EXTRA_CA_CERTS) and check again.'
        : '';
    findings.push(
      unreachable(
        NETWORK_RULE[e.code]!,
        `The platform could not fetch the JWKS: ${NETWORK_WHAT[e.code]}${cause}.`,
        `${NETWORK_FIX[e.code]!}${local}`,
      ),
    );
    return { url, findings: [...findings, CACHE_NOTE] };
  }
  const checked = responseRules(res);
  findings.push(...checked.findings);
  if (checked.keys) findings.push(...(await jwksKeyRules(checked.keys, options)));
  findings.push(CACHE_NOTE);
  return {
    url,
    findings,
    response: {
      status: res.status,
      durationMs: res.durationMs,
      contentType: res.headers['content-type'],
      location: res.headers.location,
      keyCount: checked.keys?.length,
    },
  };
}

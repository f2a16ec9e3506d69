// What the platform does with a JWKS URL before it fetches anything: it calls only URLs that match
// ^(https?://[^/]+)(/.*)$ (setServiceCalloutUrl.js), over TLS (the callout's SSLInfo), from the internet.
// https://github.com/NHSDigital/identity-service-api/blob/master/proxies/live/apiproxy/resources/jsc/setServiceCalloutUrl.js
import { CLIENT_ASSERTION_ERRORS } from '../assertion/platformErrors.ts';
import type { PreflightFinding } from './findings.ts';

const CALLOUT_URL = /^(https?:\/\/[^/]+)(\/.*)$/;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** The findings that stop the platform before it sends a request; empty when it would fetch the URL. */
export function jwksUrlRules(raw: string): { findings: PreflightFinding[]; url?: URL } {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      findings: [
        {
          rule: 'jwks-url-invalid',
          severity: 'error',
          message: `"${text.slice(0, 200)}" is not an absolute URL.`,
          fix: 'Register the full https URL of your JWKS file, e.g. https://example.org/.well-known/jwks.json.',
          platformError: CLIENT_ASSERTION_ERRORS.jwksUnreachable,
          inferred: true,
        },
      ],
    };
  }
  const findings: PreflightFinding[] = [];
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    findings.push({
      rule: 'jwks-url-not-https',
      severity: 'error',
      message: `The JWKS URL uses ${url.protocol.replace(':', '')}; the platform fetches it over TLS only.`,
      fix: 'Serve the JWKS over https with a certificate from a public CA and register the https URL.',
      platformError: CLIENT_ASSERTION_ERRORS.jwksUnreachable,
      inferred: true,
    });
  }
  if (!CALLOUT_URL.test(text)) {
    findings.push({
      rule: 'jwks-url-no-path',
      severity: 'error',
      message: `The JWKS URL has no path after the host (${url.host}); the platform only calls URLs with a path, so it cannot call this one at all, even though a browser opens it.`,
      fix: `Register the URL with the file's path, e.g. ${url.protocol}//${url.host}/jwks.json (nothing after the host is not enough).`,
      platformError: CLIENT_ASSERTION_ERRORS.jwksUnreachable,
    });
  }
  if (loopback) {
    findings.push({
      rule: 'jwks-url-loopback',
      severity: 'info',
      message: `${url.hostname} is this machine: only the local emulator can fetch it; the platform cannot.`,
      fix: 'For a platform app, register a public https URL; this check fetched the loopback URL the way the platform fetches a public one.',
    });
  }
  return { findings, url };
}

// The CLI's and the emulator's way out: undici's environment proxy agent (HTTPS_PROXY, HTTP_PROXY,
// NO_PROXY, upper or lower case, as curl reads them) and the certificates Node trusts, which include
// NODE_EXTRA_CA_CERTS. NHS_AUTH_USE_SYSTEM_CA=1 adds the operating system's store, for networks whose
// TLS-inspecting proxy signs with a CA that IT installed there.
import { readFileSync, existsSync } from 'node:fs';
import * as tls from 'node:tls';
import { EnvHttpProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import { AuthExplorerError } from '../errors.ts';

type Env = Record<string, string | undefined>;

// Where Linux distributions keep the system bundle, for a Node without tls.getCACertificates('system').
const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
];

function truthy(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
}

/** The proxy variables as undici reads them, lower case first (curl's order). */
export function proxyEnv(env: Env): { httpProxy?: string; httpsProxy?: string; noProxy?: string } {
  const pick = (name: string): string | undefined => {
    const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
    return v && v.trim() ? v.trim() : undefined;
  };
  return { httpProxy: pick('http_proxy'), httpsProxy: pick('https_proxy'), noProxy: pick('no_proxy') };
}

/**
 * The trusted CAs when the OS store is asked for: Node's own list (with NODE_EXTRA_CA_CERTS) plus the
 * system's. Undefined when not asked for: Node's default context then applies unchanged.
 */
export function caCertificates(env: Env): string[] | undefined {
  if (!truthy(env['NHS_AUTH_USE_SYSTEM_CA'])) return undefined;
  const get = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof get === 'function') return [...get('default'), ...get('system')];
  const extra = env['NODE_EXTRA_CA_CERTS'];
  const bundle = [env['SSL_CERT_FILE'], ...SYSTEM_BUNDLES].find((f): f is string => !!f && existsSync(f));
  if (!bundle) {
    throw new AuthExplorerError(
      'ERR_SYSTEM_CA',
      `NHS_AUTH_USE_SYSTEM_CA is set, but this Node (${process.version}) cannot read the operating system's certificate store and no CA bundle file was found. Use Node >= 22.15, or point NODE_EXTRA_CA_CERTS at your organisation's CA file instead.`,
      { setting: 'NHS_AUTH_USE_SYSTEM_CA' },
    );
  }
  return [
    ...tls.rootCertificates,
    ...(extra && existsSync(extra) ? [readFileSync(extra, 'utf8')] : []),
    readFileSync(bundle, 'utf8'),
  ];
}

/** The dispatcher the CLI installs as undici's global one. */
export function envDispatcher(env: Env = process.env): Dispatcher {
  const ca = caCertificates(env);
  const tlsOptions = ca ? { ca } : {};
  return new EnvHttpProxyAgent({
    ...proxyEnv(env),
    // Direct connections, the tunnelled connection to the server, and an https:// proxy itself.
    connect: tlsOptions,
    requestTls: tlsOptions,
    proxyTls: tlsOptions,
  });
}

// Shapes shared by the emulator's modules (the public ones are re-exported from server.ts).
import type { HttpTransport } from '../http/transport.ts';

export interface EmulatorAppConfig {
  name: string;
  apiKey: string;
  clientSecret?: string;
  jwks?: { keys: Record<string, unknown>[] };
  jwksUrl?: string;
  redirectUri?: string;
  /** Platform product scopes, e.g. 'urn:nhsd:apim:app:level3:hello-world'. */
  products: string[];
  /** Products the app is subscribed to that do not include the OAuth service (e.g. another environment's). */
  otherProducts?: string[];
  status?: 'approved' | 'revoked';
}

/** A request whose handler threw: answered 500 unknown_error, and reported here. No query, headers or body. */
export interface HandlerFailure {
  method: string;
  path: string;
  error: unknown;
}

export interface EmulatorOptions {
  /** Called when a handler throws (the request is answered 500 unknown_error, as the platform does). */
  onHandlerError?: (failure: HandlerFailure) => void;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = a free port. */
  port?: number;
  apps?: EmulatorAppConfig[];
  /** Public base URL when behind a proxy; client assertion `aud` is checked against it. */
  baseUrl?: string;
  /** Default: true when no apps are given. */
  demoApp?: boolean;
  /** Bearer token for /_emulator/*; default a fresh random one per run. */
  controlToken?: string;
  /** How it fetches apps' JWKS URLs; default undici (in the CLI, the environment's proxy). */
  transport?: HttpTransport;
}

/** How much state the emulator holds now: each figure is swept and capped. */
export interface EmulatorStats {
  apps: number;
  pendingSignIns: number;
  idpCodes: number;
  tokens: number;
  jtis: number;
  faults: number;
}

export interface DemoApp {
  app: EmulatorAppConfig;
  privateKeyPem: string;
  kid: string;
}

export interface RunningEmulator {
  /** Base URL, no trailing slash. */
  url: string;
  port: number;
  tokenUrl(basePath?: 'oauth2' | 'oauth2-mock'): string;
  /** Validates like the apps file; throws ERR_APPS_FILE. */
  addApp(app: EmulatorAppConfig): void;
  /** Adds or replaces the app with the same API key. */
  putApp(app: EmulatorAppConfig): void;
  /** Removes the app; false when no app has this API key. */
  deleteApp(apiKey: string): boolean;
  /** Also answers at this origin: where port forwarding lets the user's browser reach the emulator. */
  allowForwardedOrigin(origin: string): void;
  /** The bearer token the control API (/_emulator/*) requires. */
  controlToken: string;
  stats(): EmulatorStats;
  demo?: DemoApp;
  close(): Promise<void>;
}

export type IdpProvider = 'nhs-login' | 'cis2';

/** What a handler answers; the server writes it (or drops it when a fault says so). */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

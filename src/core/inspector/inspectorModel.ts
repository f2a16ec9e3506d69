// The data the token inspector shows, built from a session snapshot or a pasted JWT.
// The model never holds a whole token or a signature: it is posted to the webview and kept
// in webview state (which VS Code persists), so it must not be usable as a credential.
import { decodeJwtParts, looksLikeJwt } from '../jwt/decode.ts';
import type { SessionSnapshot } from '../session/sessionSnapshot.ts';
import { explainClaim, explainHeader } from './claimExplanations.ts';
import type { ClaimSource } from './claimExplanations.ts';
import { fractionWarnAt } from './countdown.ts';
import { sessionStatus } from '../session/sessionStatus.ts';

export type SignatureStatus = 'not-verified' | 'checking' | 'verified' | 'failed';
export type TokenKind = 'nhs-login-id-token' | 'cis2-id-token' | 'client-assertion' | 'access-token' | 'jwt';
export type TokenRole = 'access' | 'id' | 'assertion' | 'decoded';
export type CountdownId = 'access' | 'refresh' | 'period' | 'assertion' | 'token';
export type InspectorAction = 'refresh' | 'copyAccessToken' | 'callApi' | 'signIn';
export type InspectorMode = 'session' | 'decoded' | 'empty';

export interface ClaimRow {
  name: string;
  /** The value as text (strings bare, everything else as JSON). */
  value: string;
  title?: string;
  description?: string;
  source?: ClaimSource;
  valueMeaning?: string;
  /** UTC date for time claims. */
  time?: string;
}

export interface TokenView {
  role: TokenRole;
  format: 'jwt' | 'opaque' | 'malformed';
  kind?: TokenKind;
  /** First and last characters only. */
  preview: string;
  length: number;
  header: ClaimRow[];
  claims: ClaimRow[];
  /** Why a token that looked like a JWT could not be decoded. */
  error?: string;
  signature?: SignatureStatus;
}

export interface CountdownSpec {
  id: CountdownId;
  label: string;
  /** Epoch ms on the host clock. */
  expiresAt: number;
  warnAtMs: number;
}

export interface Fact {
  label: string;
  value: string;
}

export interface Notice {
  level: 'info' | 'warning';
  text: string;
}

export interface InspectorModel {
  version: 1;
  mode: InspectorMode;
  title: string;
  subtitle?: string;
  profileId?: string;
  /** Host clock when built; the webview uses it to correct its own clock. */
  generatedAt: number;
  notice?: Notice;
  refreshCount?: number;
  facts: Fact[];
  refreshFacts: Fact[];
  tokens: TokenView[];
  countdowns: CountdownSpec[];
  actions: InspectorAction[];
}

export interface BuildInspectorOptions {
  now: number;
  profileId?: string;
  profileName?: string;
  environmentLabel?: string;
  idTokenSignature?: SignatureStatus;
}

const ACCESS_WARN_MS = 60_000;
const REFRESH_WARN_MS = 60_000;
const ASSERTION_WARN_MS = 60_000;
const PERIOD_WARN_FRACTION = 0.1;
// Whole refresh periods the platform uses (nhs-platform.md §3); the 10% warning is taken of these.
const REFRESH_PERIOD_MS: Readonly<Record<string, number>> = { cis2: 12 * 3600_000, 'nhs-login': 3600_000 };

const GRANT_LABELS: Readonly<Record<string, string>> = {
  client_credentials: 'Client credentials (application-restricted)',
  token_exchange: 'Token exchange (separate authentication)',
  authorization_code: 'Authorization code (combined authentication)',
  refresh_token: 'Refresh token',
};
const IDP_LABELS: Readonly<Record<string, string>> = {
  'nhs-login': 'NHS login',
  cis2: 'NHS CIS2',
  none: 'None (application-restricted)',
};

/** 'abcd…wxyz': enough to tell tokens apart, not enough to use one. */
export function maskToken(token: string): string {
  const t = token.trim();
  if (t.length <= 16) return '•'.repeat(Math.min(t.length, 8));
  return `${t.slice(0, 6)}…${t.slice(-4)}`;
}

function utc(ms: number): string {
  return Number.isFinite(ms)
    ? new Date(ms)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace('T', ' ')
    : 'invalid date';
}

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

function rows(record: Record<string, unknown>, explain: typeof explainClaim): ClaimRow[] {
  return Object.entries(record).map(([name, value]) => {
    const e = explain(name, value);
    const row: ClaimRow = { name, value: valueText(value) };
    if (e) {
      row.title = e.title;
      row.description = e.description;
      row.source = e.source;
      if (e.valueMeaning) row.valueMeaning = e.valueMeaning;
    }
    if (typeof value === 'number' && ['exp', 'iat', 'nbf', 'auth_time'].includes(name))
      row.time = utc(value * 1000);
    return row;
  });
}

/** A best guess at what a JWT is, from its claims. */
export function guessTokenKind(payload: Record<string, unknown>): TokenKind {
  if (payload.token_use === 'id' || 'identity_proofing_level' in payload || 'vot' in payload)
    return 'nhs-login-id-token';
  if (
    'authentication_assurance_level' in payload ||
    'id_assurance_level' in payload ||
    'realm' in payload ||
    (typeof payload.acr === 'string' && payload.acr.startsWith('AAL'))
  )
    return 'cis2-id-token';
  const aud = Array.isArray(payload.aud) ? payload.aud.join(' ') : String(payload.aud ?? '');
  if (
    typeof payload.iss === 'string' &&
    payload.iss === payload.sub &&
    typeof payload.jti === 'string' &&
    /token/.test(aud)
  ) {
    return 'client-assertion';
  }
  return 'jwt';
}

export const TOKEN_KIND_LABELS: Readonly<Record<TokenKind, string>> = {
  'nhs-login-id-token': 'NHS login ID token',
  'cis2-id-token': 'CIS2 ID token',
  'client-assertion': 'Client assertion (private_key_jwt)',
  'access-token': 'Access token',
  jwt: 'JWT',
};

/** Decodes when it is a JWT; otherwise an opaque view (platform access tokens are opaque). */
export function tokenView(token: string, role: TokenRole): TokenView {
  const base = { role, preview: maskToken(token), length: token.trim().length };
  if (!looksLikeJwt(token)) return { ...base, format: 'opaque', header: [], claims: [] };
  try {
    const d = decodeJwtParts(token);
    const kind = role === 'access' ? 'access-token' : guessTokenKind(d.payload);
    return {
      ...base,
      format: 'jwt',
      kind,
      header: rows(d.header, explainHeader),
      claims: rows(d.payload, explainClaim),
    };
  } catch (e) {
    return {
      ...base,
      format: 'malformed',
      header: [],
      claims: [],
      error: e instanceof Error ? e.message : String(e),
    };
  }
}

function expOf(token: string): number | undefined {
  if (!looksLikeJwt(token)) return undefined;
  try {
    const exp = decodeJwtParts(token).payload.exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function emptyModel(opts: BuildInspectorOptions): InspectorModel {
  const model: InspectorModel = {
    version: 1,
    mode: 'empty',
    title: opts.profileName ?? 'Token inspector',
    generatedAt: opts.now,
    notice: {
      level: 'info',
      text: opts.profileId
        ? 'No token yet for this profile. Get one to inspect it here.'
        : 'No active profile. Add a profile, then get a token.',
    },
    facts: [],
    refreshFacts: [],
    tokens: [],
    countdowns: [],
    actions: opts.profileId ? ['signIn'] : [],
  };
  if (opts.environmentLabel) model.subtitle = opts.environmentLabel;
  if (opts.profileId) model.profileId = opts.profileId;
  return model;
}

/** Everything the inspector shows for one session (or an empty state when there is none). */
export function buildInspectorModel(
  snapshot: SessionSnapshot | undefined,
  opts: BuildInspectorOptions,
): InspectorModel {
  if (!snapshot) return emptyModel(opts);
  const s = snapshot;
  const facts: Fact[] = [];
  if (opts.environmentLabel) facts.push({ label: 'Environment', value: opts.environmentLabel });
  facts.push(
    { label: 'Grant', value: GRANT_LABELS[s.grant] ?? s.grant },
    { label: 'Identity provider', value: IDP_LABELS[s.identityProvider] ?? s.identityProvider },
    { label: 'Token type', value: s.tokenType },
    { label: 'Token URL', value: s.tokenUrl },
    { label: 'Issued at', value: utc(s.issuedAt) },
    {
      label: 'Server clock skew',
      value:
        s.clockSkewMs === 0
          ? 'none measured'
          : `${s.clockSkewMs > 0 ? '+' : ''}${(s.clockSkewMs / 1000).toFixed(1)} s (corrected)`,
    },
    { label: 'Response keys', value: s.responseKeys.join(', ') || '(none)' },
  );
  if (s.autoRefresh !== undefined) facts.push({ label: 'Auto refresh', value: s.autoRefresh ? 'on' : 'off' });

  const refreshFacts: Fact[] = [];
  if (s.refreshToken) {
    refreshFacts.push({
      label: 'Refresh token',
      value: `present, ${s.refreshToken.length} characters, single use (rotated on every refresh)`,
    });
    if (s.refreshTokenExpiresAt !== undefined)
      refreshFacts.push({ label: 'Refresh token expires', value: utc(s.refreshTokenExpiresAt) });
    if (s.refreshPeriodEndsAt !== undefined)
      refreshFacts.push({
        label: 'Refresh period ends',
        value: `${utc(s.refreshPeriodEndsAt)} (then sign in again)`,
      });
  } else {
    refreshFacts.push({
      label: 'Refresh token',
      value:
        s.grant === 'client_credentials'
          ? 'none: client credentials issue no refresh token; get a new token when this one expires'
          : 'none',
    });
  }
  if (s.refreshCount !== undefined)
    refreshFacts.push({ label: 'refresh_count', value: String(s.refreshCount) });

  const tokens: TokenView[] = [tokenView(s.accessToken, 'access')];
  if (s.idToken)
    tokens.push({ ...tokenView(s.idToken, 'id'), signature: opts.idTokenSignature ?? 'not-verified' });
  if (s.lastClientAssertion) tokens.push(tokenView(s.lastClientAssertion, 'assertion'));

  const countdowns: CountdownSpec[] = [
    { id: 'access', label: 'Access token', expiresAt: s.accessTokenExpiresAt, warnAtMs: ACCESS_WARN_MS },
  ];
  if (s.refreshToken && s.refreshTokenExpiresAt !== undefined) {
    countdowns.push({
      id: 'refresh',
      label: 'Refresh token',
      expiresAt: s.refreshTokenExpiresAt,
      warnAtMs: REFRESH_WARN_MS,
    });
  }
  if (s.refreshPeriodEndsAt !== undefined) {
    const total = REFRESH_PERIOD_MS[s.identityProvider] ?? s.refreshPeriodEndsAt - s.issuedAt;
    countdowns.push({
      id: 'period',
      label: 'Refresh period',
      expiresAt: s.refreshPeriodEndsAt,
      warnAtMs: fractionWarnAt(total, PERIOD_WARN_FRACTION, REFRESH_WARN_MS),
    });
  }
  const assertionExp = s.lastClientAssertion ? expOf(s.lastClientAssertion) : undefined;
  if (assertionExp !== undefined)
    countdowns.push({
      id: 'assertion',
      label: 'Last client assertion',
      expiresAt: assertionExp,
      warnAtMs: ASSERTION_WARN_MS,
    });

  const status = sessionStatus(s, opts.now);
  const actions: InspectorAction[] = [];
  if (status.canRefresh) actions.push('refresh');
  actions.push('copyAccessToken', 'callApi', 'signIn');

  const model: InspectorModel = {
    version: 1,
    mode: 'session',
    title: opts.profileName ?? s.profileId,
    profileId: s.profileId,
    generatedAt: opts.now,
    facts,
    refreshFacts,
    tokens,
    countdowns,
    actions,
  };
  if (opts.environmentLabel) model.subtitle = opts.environmentLabel;
  if (s.refreshCount !== undefined) model.refreshCount = s.refreshCount;
  if (status.state === 'signin') model.notice = { level: 'warning', text: status.text };
  else if (s.refreshToken && (status.refreshTokenExpired || status.refreshPeriodOver)) {
    model.notice = {
      level: 'warning',
      text: `The ${status.refreshPeriodOver ? 'refresh period is over' : 'refresh token has expired'}: sign in again when the access token expires.`,
    };
  } else if (status.state === 'renewing') model.notice = { level: 'info', text: status.text };
  return model;
}

/** The inspector model for any JWT the user pasted or selected; decoded locally, verified nowhere. */
export function decodedTokenModel(jwt: string, now: number): InspectorModel {
  const d = decodeJwtParts(jwt); // throws ERR_JWT_MALFORMED with the part that is wrong
  const kind = guessTokenKind(d.payload);
  const view: TokenView = {
    role: 'decoded',
    format: 'jwt',
    kind,
    preview: maskToken(jwt),
    length: jwt.trim().length,
    header: rows(d.header, explainHeader),
    claims: rows(d.payload, explainClaim),
    signature: 'not-verified',
  };
  const countdowns: CountdownSpec[] = [];
  const exp = d.payload.exp;
  if (typeof exp === 'number' && Number.isFinite(exp))
    countdowns.push({ id: 'token', label: 'Token', expiresAt: exp * 1000, warnAtMs: 60_000 });
  return {
    version: 1,
    mode: 'decoded',
    title: 'Decoded token',
    subtitle: TOKEN_KIND_LABELS[kind],
    generatedAt: now,
    notice: {
      level: 'info',
      text: 'Decoded locally in VS Code; the token was not sent anywhere and its signature was not checked.',
    },
    facts: [
      { label: 'Looks like', value: TOKEN_KIND_LABELS[kind] },
      { label: 'Length', value: `${view.length} characters` },
    ],
    refreshFacts: [],
    tokens: [view],
    countdowns,
    actions: [],
  };
}

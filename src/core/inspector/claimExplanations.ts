// What each claim in NHS login / CIS2 ID tokens, platform tokens and client assertions means,
// and what its value says. Meanings follow the platform reference (nhs-platform.md §3, §4),
// OIDC Core, RFC 8485 (vectors of trust) and NIST SP 800-63 (assurance levels).
import { isValidNhsNumber } from './nhsNumber.ts';

export type ClaimSource = 'jwt' | 'oidc' | 'nhs-login' | 'cis2' | 'platform';

export interface ClaimInfo {
  /** Short human name. */
  title: string;
  /** What the claim is for. */
  description: string;
  source: ClaimSource;
  /** Seconds since the epoch (shown as a date). */
  time?: boolean;
  /** Meanings of well-known values. */
  values?: Readonly<Record<string, string>>;
}

export interface ClaimExplanation {
  title: string;
  description: string;
  source: ClaimSource;
  /** What this particular value means, when known. */
  valueMeaning?: string;
}

const IDENTITY_LEVELS: Readonly<Record<string, string>> = {
  P0: 'P0: no identity verification; only the email address and phone number are confirmed.',
  P5: 'P5: medium identity verification; basic details matched, no photo ID check. Cannot see GP records.',
  P9: 'P9: highest identity verification; photo ID and face checked. Full access to health services.',
};

// Credential components of a vector of trust (RFC 8485 §3.2, as NHS login uses them).
const CREDENTIALS: Readonly<Record<string, string>> = {
  C0: 'no credential',
  Cp: 'password',
  Cd: 'one-time code sent to a device (second factor)',
  Ck: 'key held on a device, e.g. biometrics in the NHS App',
  Cm: 'key in secure hardware on a device',
};

const AAL_LEVELS: Readonly<Record<string, string>> = {
  '1': 'AAL1: a single factor, e.g. a password. Not accepted by user-restricted CIS2 APIs that need AAL3.',
  '2': 'AAL2: two factors, e.g. password plus an authenticator app.',
  '3': 'AAL3: a hardware authenticator such as an NHS smartcard or FIDO2 key; the level most clinical APIs require.',
};

const IAL_LEVELS: Readonly<Record<string, string>> = {
  '1': 'Identity not verified (self-asserted).',
  '2': 'Identity verified remotely.',
  '3': 'Identity verified in person by a Registration Authority (the level behind an NHS smartcard).',
};

const AMR_VALUES: Readonly<Record<string, string>> = {
  N3_SMARTCARD: 'NHS smartcard (AAL3)',
  FIDO2: 'FIDO2 security key or platform authenticator (AAL3)',
  TOTP: 'authenticator app code',
  PASSWORD: 'password',
  SMS: 'code sent by text message',
};

export const CLAIM_EXPLANATIONS: Readonly<Record<string, ClaimInfo>> = {
  // registered JWT claims
  iss: {
    title: 'Issuer',
    source: 'jwt',
    description:
      'Who issued the token. For a client assertion it is your API key; for an ID token, the identity provider realm.',
  },
  sub: {
    title: 'Subject',
    source: 'jwt',
    description:
      'Who the token is about. A client assertion needs sub equal to iss (the API key); in an ID token it is the user.',
  },
  aud: {
    title: 'Audience',
    source: 'jwt',
    description:
      "Who may accept the token. A client assertion's aud must be the exact token URL; an ID token's aud is the client id at the identity provider.",
  },
  exp: {
    title: 'Expires',
    source: 'jwt',
    time: true,
    description:
      'After this instant the token is refused. The platform allows client assertions at most 5 minutes ahead.',
  },
  iat: { title: 'Issued at', source: 'jwt', time: true, description: 'When the token was made.' },
  nbf: {
    title: 'Not before',
    source: 'jwt',
    time: true,
    description: 'The token is refused before this instant.',
  },
  jti: {
    title: 'JWT ID',
    source: 'jwt',
    description:
      'A unique id. The platform refuses a client assertion whose jti was seen in the last 30 days.',
  },
  // OpenID Connect
  auth_time: {
    title: 'Authenticated at',
    source: 'oidc',
    time: true,
    description: 'When the user actually signed in (the platform asks for max_age=300).',
  },
  azp: { title: 'Authorised party', source: 'oidc', description: 'The client the ID token was issued to.' },
  at_hash: {
    title: 'Access token hash',
    source: 'oidc',
    description: "Binds the ID token to the identity provider's access token.",
  },
  nonce: {
    title: 'Nonce',
    source: 'oidc',
    description: 'Echo of the nonce sent at sign-in; stops replay of an ID token.',
  },
  sid: { title: 'Session id', source: 'oidc', description: 'The sign-in session at the identity provider.' },
  given_name: { title: 'Given name', source: 'oidc', description: "The user's first name." },
  family_name: { title: 'Family name', source: 'oidc', description: "The user's surname." },
  birthdate: { title: 'Date of birth', source: 'oidc', description: "The user's date of birth." },
  email: { title: 'Email', source: 'oidc', description: "The user's email address." },
  email_verified: {
    title: 'Email verified',
    source: 'oidc',
    description: 'Whether the email address was confirmed.',
  },
  phone_number: { title: 'Phone number', source: 'oidc', description: "The user's phone number." },
  phone_number_verified: {
    title: 'Phone verified',
    source: 'oidc',
    description: 'Whether the phone number was confirmed.',
  },
  // NHS login
  nhs_number: {
    title: 'NHS number',
    source: 'nhs-login',
    description: "The patient's NHS number, present once identity is verified (P5 or P9).",
  },
  identity_proofing_level: {
    title: 'Identity proofing level',
    source: 'nhs-login',
    description:
      'How well NHS login checked who the user is. The platform maps it to the product scope (…:user-nhs-login:P9).',
    values: IDENTITY_LEVELS,
  },
  vot: {
    title: 'Vector of trust',
    source: 'nhs-login',
    description: 'Identity level and credentials used to sign in, e.g. P9.Cp.Cd (RFC 8485).',
  },
  vtm: {
    title: 'Trust mark',
    source: 'nhs-login',
    description: 'Where the vector-of-trust definitions are published.',
  },
  id_status: {
    title: 'Identity status',
    source: 'nhs-login',
    description: "Whether the account's identity has been verified.",
    values: {
      verified: 'The identity has been verified.',
      unverified: 'The identity has not been verified.',
    },
  },
  token_use: {
    title: 'Token use',
    source: 'nhs-login',
    description: 'What this token is for.',
    values: {
      id: 'An ID token: proof of sign-in, not an API credential. Exchange it for an access token.',
      access: 'An access token.',
    },
  },
  gp_registration_details: {
    title: 'GP registration',
    source: 'nhs-login',
    description: 'The practice the patient is registered with.',
  },
  // CIS2 (NHS Care Identity Service 2)
  acr: {
    title: 'Authentication context',
    source: 'cis2',
    description: 'The assurance the sign-in met; CIS2 defaults to AAL3_ANY.',
  },
  amr: { title: 'Authentication methods', source: 'cis2', description: 'How the user signed in.' },
  id_assurance_level: {
    title: 'Identity assurance level',
    source: 'cis2',
    description: "How strongly the care professional's identity was checked.",
    values: IAL_LEVELS,
  },
  authentication_assurance_level: {
    title: 'Authentication assurance level',
    source: 'cis2',
    description:
      'How strongly the user authenticated. The platform maps it to the product scope (…:user-nhs-cis2:aal3).',
    values: AAL_LEVELS,
  },
  selected_roleid: {
    title: 'Selected role',
    source: 'cis2',
    description:
      'The RBAC role profile the user chose at sign-in; APIs use it to decide what the user may do. Absent when the user has several roles and picked none.',
  },
  realm: {
    title: 'Realm',
    source: 'cis2',
    description: 'The CIS2 realm.',
    values: { '/NHSIdentity/Healthcare': 'The healthcare realm: care professionals.' },
  },
  tokenName: {
    title: 'Token name',
    source: 'cis2',
    description: "CIS2's label for the token type.",
    values: { id_token: 'An ID token.' },
  },
  nhsid_useruid: {
    title: 'User UID',
    source: 'cis2',
    description: "The care professional's user id (the smartcard UUID).",
  },
  nhsid_nrbac_roles: {
    title: 'RBAC roles',
    source: 'cis2',
    description: 'Every role profile the user holds.',
  },
  // platform access tokens and responses
  refresh_count: {
    title: 'Refresh count',
    source: 'platform',
    description:
      'How many times this session was refreshed ("0" after sign-in, then 1, 2…). Each refresh token is single-use.',
  },
  scope: { title: 'Scope', source: 'platform', description: 'The scopes granted.' },
};

export const HEADER_EXPLANATIONS: Readonly<Record<string, ClaimInfo>> = {
  alg: {
    title: 'Algorithm',
    source: 'jwt',
    description:
      'How the token is signed. The platform requires RS512 for client assertions; identity providers use RS256 or RS512.',
  },
  kid: { title: 'Key id', source: 'jwt', description: "Which key in the issuer's JWKS signed the token." },
  typ: { title: 'Type', source: 'jwt', description: 'Token type. A client assertion must carry typ "JWT".' },
};

function vectorMeaning(vot: string): string {
  return vot
    .split('.')
    .map((part) => {
      const identity = IDENTITY_LEVELS[part];
      if (identity) return identity.split(';')[0] ?? part;
      const credential = CREDENTIALS[part];
      return credential ? `${part}: ${credential}` : `${part}: unknown component`;
    })
    .join('; ');
}

function acrMeaning(acr: string): string | undefined {
  const m = /^AAL(\d)(?:_OR_AAL(\d))?/.exec(acr);
  if (!m) return undefined;
  const levels = m[2] ? `AAL${m[1]} or AAL${m[2]}` : `AAL${m[1]}`;
  return `Signed in at ${levels}${acr.endsWith('_ANY') ? ' with any suitable method' : ''}.${m[1] === '3' ? ' AAL3 means an NHS smartcard or equivalent.' : ''}`;
}

function valueMeaning(name: string, value: unknown, info: ClaimInfo): string | undefined {
  if (name === 'vot' && typeof value === 'string') return vectorMeaning(value);
  if (name === 'acr' && typeof value === 'string') return acrMeaning(value);
  if (name === 'amr') {
    const list = Array.isArray(value) ? value : [value];
    return list.map((v) => AMR_VALUES[String(v)] ?? String(v)).join(', ');
  }
  if (name === 'nhs_number' && (typeof value === 'string' || typeof value === 'number')) {
    return isValidNhsNumber(String(value))
      ? 'Valid check digit.'
      : 'The check digit does not match: not a real NHS number (common in test data).';
  }
  if (info.values) {
    // Assurance levels arrive as ints in some fixtures and strings in others (nhs-platform.md §4).
    const key = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
    return key !== undefined ? info.values[key] : undefined;
  }
  return undefined;
}

/** The explanation for a payload claim, or undefined for a claim we know nothing about. */
export function explainClaim(name: string, value: unknown): ClaimExplanation | undefined {
  const info = Object.hasOwn(CLAIM_EXPLANATIONS, name) ? CLAIM_EXPLANATIONS[name] : undefined;
  if (!info) return undefined;
  const meaning = valueMeaning(name, value, info);
  return {
    title: info.title,
    description: info.description,
    source: info.source,
    ...(meaning ? { valueMeaning: meaning } : {}),
  };
}

/** The explanation for a JOSE header parameter. */
export function explainHeader(name: string, value: unknown): ClaimExplanation | undefined {
  const info = Object.hasOwn(HEADER_EXPLANATIONS, name) ? HEADER_EXPLANATIONS[name] : undefined;
  if (!info) return undefined;
  let meaning: string | undefined;
  if (name === 'alg' && value === 'none') meaning = 'Unsigned: never accept this token.';
  return {
    title: info.title,
    description: info.description,
    source: info.source,
    ...(meaning ? { valueMeaning: meaning } : {}),
  };
}

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, SignJWT } from 'jose';
import {
  buildInspectorModel,
  decodedTokenModel,
  guessTokenKind,
  maskToken,
  tokenView,
} from '../../src/core/inspector/inspectorModel.ts';
import type { InspectorModel } from '../../src/core/inspector/inspectorModel.ts';
import { extractJwt } from '../../src/core/inspector/extractJwt.ts';
import { isInspectorModel } from '../../src/core/inspector/protocol.ts';
import type { SessionSnapshot } from '../../src/core/session/sessionSnapshot.ts';
import { AuthExplorerError } from '../../src/core/errors.ts';

const now = 1_763_000_000_000;
const sec = Math.floor(now / 1000);
const { privateKey } = await generateKeyPair('RS512');

const cis2IdToken = await new SignJWT({
  acr: 'AAL3_ANY',
  amr: ['N3_SMARTCARD'],
  id_assurance_level: 3,
  authentication_assurance_level: 3,
  realm: '/NHSIdentity/Healthcare',
  tokenName: 'id_token',
  selected_roleid: '555254242105',
  auth_time: sec - 60,
})
  .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'idp-1' })
  .setSubject('656005750107')
  .setIssuer('https://idp.example/realms/Cis2-mock-int')
  .setAudience('client')
  .setIssuedAt(sec - 60)
  .setExpirationTime(sec + 3600)
  .sign(privateKey);
const assertion = await new SignJWT({ jti: 'a-jti' })
  .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'k1' })
  .setIssuer('API-KEY')
  .setSubject('API-KEY')
  .setAudience('https://int.api.service.nhs.uk/oauth2/token')
  .setExpirationTime(sec + 30)
  .sign(privateKey);

function cis2Session(over: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    profileId: 'p1',
    grant: 'token_exchange',
    identityProvider: 'cis2',
    tokenUrl: 'http://127.0.0.1:4010/oauth2-mock/token',
    accessToken: 'AbCdEfGhIjKlMnOpQrStUvWxYz12',
    tokenType: 'Bearer',
    issuedAt: now - 1_000,
    accessTokenExpiresAt: now + 598_000,
    refreshToken: 'RefreshTokenValue0123456789abcdef',
    refreshTokenExpiresAt: now + 43_198_000,
    refreshPeriodEndsAt: now + 43_198_000,
    refreshCount: 0,
    idToken: cis2IdToken,
    lastClientAssertion: assertion,
    clockSkewMs: 0,
    responseKeys: ['access_token', 'expires_in', 'refresh_token', 'refresh_count'],
    ...over,
  };
}

function allText(model: InspectorModel): string {
  return JSON.stringify(model);
}

describe('buildInspectorModel', () => {
  test('a CIS2 token-exchange session: opaque access token, decoded ID token, four countdowns', () => {
    const m = buildInspectorModel(cis2Session(), {
      now,
      profileName: 'Local emulator',
      environmentLabel: 'Local emulator',
    });
    assert.ok(isInspectorModel(m));
    assert.equal(m.mode, 'session');
    assert.equal(m.title, 'Local emulator');
    assert.equal(m.profileId, 'p1');
    assert.equal(m.refreshCount, 0);
    const [access, id, last] = m.tokens;
    assert.equal(access?.format, 'opaque');
    assert.equal(access?.claims.length, 0);
    assert.equal(id?.format, 'jwt');
    assert.equal(id?.kind, 'cis2-id-token');
    assert.equal(id?.signature, 'not-verified');
    const aal = id?.claims.find((c) => c.name === 'authentication_assurance_level');
    assert.match(aal?.valueMeaning ?? '', /AAL3/);
    assert.equal(
      id?.claims.find((c) => c.name === 'exp')?.time,
      new Date((sec + 3600) * 1000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace('T', ' '),
    );
    assert.equal(last?.kind, 'client-assertion');
    assert.deepEqual(
      m.countdowns.map((c) => c.id),
      ['access', 'refresh', 'period', 'assertion'],
    );
    assert.equal(m.countdowns.find((c) => c.id === 'access')?.warnAtMs, 60_000);
    // 10% of CIS2's 12 h period
    assert.equal(m.countdowns.find((c) => c.id === 'period')?.warnAtMs, 72 * 60_000);
    assert.equal(m.countdowns.find((c) => c.id === 'assertion')?.expiresAt, (sec + 30) * 1000);
    assert.deepEqual(m.actions, ['refresh', 'copyAccessToken', 'callApi', 'signIn']);
  });

  test('never carries a whole token or a signature (the model is persisted in webview state)', () => {
    const s = cis2Session();
    const text = allText(buildInspectorModel(s, { now }));
    for (const secret of [
      s.accessToken,
      s.refreshToken ?? '',
      cis2IdToken,
      assertion,
      cis2IdToken.split('.')[2] ?? '',
      assertion.split('.')[2] ?? '',
    ]) {
      assert.ok(!text.includes(secret), 'model leaks a token');
    }
    assert.ok(!text.includes(cis2IdToken.split('.')[1] ?? ''), 'raw payload segment leaked');
  });

  test('client credentials: no refresh token, no refresh action, says why', () => {
    const m = buildInspectorModel(
      cis2Session({
        grant: 'client_credentials',
        identityProvider: 'none',
        refreshToken: undefined,
        refreshTokenExpiresAt: undefined,
        refreshPeriodEndsAt: undefined,
        refreshCount: undefined,
        idToken: undefined,
      }),
      { now },
    );
    assert.deepEqual(
      m.countdowns.map((c) => c.id),
      ['access', 'assertion'],
    );
    assert.ok(!m.actions.includes('refresh'));
    assert.match(m.refreshFacts[0]?.value ?? '', /client credentials issue no refresh token/);
    assert.equal(m.refreshCount, undefined);
  });

  test('needsSignIn: warning notice and no refresh action', () => {
    const m = buildInspectorModel(cis2Session({ needsSignIn: true }), { now });
    assert.equal(m.notice?.level, 'warning');
    assert.match(m.notice?.text ?? '', /Sign in again/);
    assert.ok(!m.actions.includes('refresh'));
  });

  test('a JWT access token is decoded; the signature status is passed through', () => {
    const m = buildInspectorModel(cis2Session({ accessToken: assertion }), {
      now,
      idTokenSignature: 'failed',
    });
    assert.equal(m.tokens[0]?.format, 'jwt');
    assert.equal(m.tokens[0]?.kind, 'access-token');
    assert.equal(m.tokens[1]?.signature, 'failed');
  });

  test('a malformed JWT-looking token is reported, not thrown', () => {
    const v = tokenView('abc.def.ghi', 'access');
    assert.equal(v.format, 'malformed');
    assert.match(v.error ?? '', /not base64url-encoded JSON/);
  });

  test('no session: empty model with a way to get a token', () => {
    const m = buildInspectorModel(undefined, { now, profileId: 'p1', profileName: 'Local emulator' });
    assert.equal(m.mode, 'empty');
    assert.deepEqual(m.actions, ['signIn']);
    assert.ok(isInspectorModel(m));
    assert.deepEqual(buildInspectorModel(undefined, { now }).actions, []);
  });
});

describe('decodedTokenModel', () => {
  test('an NHS login ID token, explained, with its exp countdown', async () => {
    const jwt = await new SignJWT({
      token_use: 'id',
      identity_proofing_level: 'P9',
      vot: 'P9.Cp.Cd',
      nhs_number: '9912003071',
      id_status: 'verified',
    })
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: 'nl' })
      .setExpirationTime(sec + 120)
      .sign(privateKey);
    const m = decodedTokenModel(jwt, now);
    assert.equal(m.mode, 'decoded');
    assert.equal(m.subtitle, 'NHS login ID token');
    assert.equal(m.tokens[0]?.signature, 'not-verified');
    assert.deepEqual(m.countdowns, [
      { id: 'token', label: 'Token', expiresAt: (sec + 120) * 1000, warnAtMs: 60_000 },
    ]);
    assert.match(
      m.tokens[0]?.claims.find((c) => c.name === 'identity_proofing_level')?.valueMeaning ?? '',
      /highest/,
    );
    assert.deepEqual(m.actions, []);
    assert.ok(!JSON.stringify(m).includes(jwt.split('.')[2] ?? ''));
    assert.ok(isInspectorModel(m));
  });

  test('malformed input throws ERR_JWT_MALFORMED', () => {
    assert.throws(
      () => decodedTokenModel('not-a-jwt', now),
      (e) => e instanceof AuthExplorerError && e.code === 'ERR_JWT_MALFORMED',
    );
    assert.throws(
      () => decodedTokenModel('eyJ.eyJ.x', now),
      (e) => e instanceof AuthExplorerError && e.code === 'ERR_JWT_MALFORMED',
    );
  });

  test('guessTokenKind and maskToken', () => {
    assert.equal(
      guessTokenKind({ iss: 'k', sub: 'k', jti: 'j', aud: 'https://x/oauth2/token' }),
      'client-assertion',
    );
    assert.equal(guessTokenKind({ foo: 1 }), 'jwt');
    assert.equal(maskToken('AbCdEfGhIjKlMnOpQrStUvWxYz12'), 'AbCdEf…Yz12');
    assert.equal(maskToken('short'), '•••••');
  });
});

describe('extractJwt', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';
  test('accepts bare, Bearer, quoted and wrapped tokens', () => {
    assert.equal(extractJwt(jwt), jwt);
    assert.equal(extractJwt(`Bearer ${jwt}`), jwt);
    assert.equal(extractJwt(`Authorization: Bearer ${jwt}`), jwt);
    assert.equal(extractJwt(`"${jwt}",`), jwt);
    assert.equal(extractJwt(`${jwt.slice(0, 20)}\n  ${jwt.slice(20)}`), jwt);
  });
  test('rejects text that is not one JWT', () => {
    assert.equal(extractJwt('hello world'), undefined);
    assert.equal(extractJwt(''), undefined);
    assert.equal(extractJwt(undefined), undefined);
    assert.equal(extractJwt('x'.repeat(70_000)), undefined);
  });
});

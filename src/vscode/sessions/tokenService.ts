import * as vscode from 'vscode';
import { AuthExplorerError } from '../../core/errors.ts';
import { getEnvironment } from '../../core/environments.ts';
import { mockSignIn } from '../../core/emulator/mockSignIn.ts';
import { listMockUsers } from '../../core/emulator/listMockUsers.ts';
import type { ListedMockUser } from '../../core/emulator/listMockUsers.ts';
import { httpRequest, type HttpMethod, type HttpResponse } from '../../core/http/httpRequest.ts';
import { decodeJwtParts } from '../../core/jwt/decode.ts';
import { createRequestLogEntry } from '../../core/log/requestLogEntry.ts';
import { platformRefresher } from '../../core/session/platformRefresher.ts';
import type { RefreshLease } from '../../core/session/refreshLease.ts';
import type { IdentityProvider, SessionSnapshot } from '../../core/session/sessionSnapshot.ts';
import { snapshotFromToken } from '../../core/session/snapshotFromToken.ts';
import { authorizationCodeGrant } from '../../core/token/authorizationCodeGrant.ts';
import { buildAuthorizeUrl } from '../../core/token/authorizeUrl.ts';
import { clientCredentialsGrant } from '../../core/token/clientCredentials.ts';
import { startLoopbackRedirect } from '../../core/token/loopbackRedirect.ts';
import type { TokenCallOptions, TokenResult } from '../../core/token/requestToken.ts';
import { tokenExchangeGrant } from '../../core/token/tokenExchange.ts';
import { nhsPlatformProvider } from '../../core/token/tokenProvider.ts';
import { DEFAULT_CALLBACK_URL } from '../keyring.ts';
import { forwardCallback } from '../forwardCallback.ts';
import { hostTransport } from '../hostTransport.ts';
import type { KeyServices } from '../keyServices.ts';
import { profileAuthorizeUrl, profileTokenUrl } from '../profileUrls.ts';
import type { RequestLog } from './requestLog.ts';
import { ProfileCredentials } from './profileCredentials.ts';
import { SessionOwner } from './sessionOwner.ts';

export interface CallOptions {
  signal?: AbortSignal;
  /** Extra form fields, e.g. the platform's test-only `_refresh_tokens_validity_ms`. */
  extraParams?: Record<string, string>;
}

export interface ApiCall {
  url: string;
  method?: HttpMethod;
  body?: string;
  headers?: Record<string, string>;
}

/** Which IdP issued an ID token: NHS login has identity_proofing_level, CIS2 an assurance level. */
export function identityProviderOf(idToken: string): IdentityProvider {
  const { payload } = decodeJwtParts(idToken);
  if ('identity_proofing_level' in payload || 'nhs_number' in payload) return 'nhs-login';
  if ('authentication_assurance_level' in payload || 'selected_roleid' in payload || 'acr' in payload)
    return 'cis2';
  return 'none';
}

/**
 * Token flows for a profile against its environment: every grant, API calls with the token, and the
 * redacted request log. Sessions belong to the SessionOwner; this service asks it to store them.
 */
export class TokenService implements vscode.Disposable {
  private readonly services: KeyServices;
  private readonly creds: ProfileCredentials;
  readonly sessions: SessionOwner;
  readonly requestLog: RequestLog;

  constructor(services: KeyServices, requestLog: RequestLog, lease: RefreshLease) {
    this.services = services;
    this.creds = new ProfileCredentials(services);
    this.requestLog = requestLog;
    this.sessions = new SessionOwner({
      secrets: services.secrets,
      profiles: services.profiles,
      log: services.log,
      lease,
      refresh: async (session, signal) => {
        const { apiKey, clientSecret } = await this.creds.secrets(session.profileId, true);
        return platformRefresher({
          ...this.callOptions(session.profileId, apiKey, { signal }),
          provider: nhsPlatformProvider(session.tokenUrl),
          clientId: apiKey,
          clientSecret: clientSecret!,
        })(session, signal);
      },
      renew: async (session, signal) =>
        (await this.issueClientCredentials(session.profileId, { signal })).result,
    });
  }

  /** The session owner under its older name (the test drivers read sessions through it). */
  get store(): SessionOwner {
    return this.sessions;
  }

  timeoutMs(): number {
    return (
      Math.max(1, vscode.workspace.getConfiguration('nhsAuth').get<number>('tokenTimeoutSeconds', 30)) * 1000
    );
  }

  private callOptions(profileId: string, apiKey: string, extra?: CallOptions): TokenCallOptions {
    return {
      timeoutMs: this.timeoutMs(),
      apiKey,
      signal: extra?.signal,
      extraParams: extra?.extraParams,
      transport: hostTransport,
      onLog: (entry) => this.requestLog.add(profileId, entry),
      // A jti is used once it may have reached the platform, not when it was signed.
      onAssertionSent: (assertion, sentAt) => {
        const jti = decodeJwtParts(assertion).payload.jti;
        if (typeof jti === 'string')
          void this.services.jtis.record(profileId, jti, sentAt).catch(() => undefined);
      },
    };
  }

  credentials(profileId: string, needSecret = false): Promise<{ apiKey: string; clientSecret?: string }> {
    return this.creds.secrets(profileId, needSecret);
  }

  /** Stores the new session (refresh token first, before anyone can use the new access token). */
  private async keep(
    profileId: string,
    result: TokenResult,
    grant: SessionSnapshot['grant'],
    identityProvider: IdentityProvider,
    tokenUrl: string,
    idToken?: string,
  ): Promise<SessionSnapshot> {
    const previous = await this.sessions.load(profileId);
    const snapshot = snapshotFromToken({ profileId, grant, identityProvider, tokenUrl, result, idToken });
    const stored = {
      ...snapshot,
      autoRefresh:
        Boolean(previous?.autoRefresh) && (Boolean(snapshot.refreshToken) || grant === 'client_credentials'),
    };
    await this.sessions.save(stored);
    return stored;
  }

  /** A new application-restricted token: a fresh assertion (new jti) every time. Also how those sessions renew. */
  private async issueClientCredentials(
    profileId: string,
    options?: CallOptions,
  ): Promise<{ result: TokenResult; tokenUrl: string }> {
    const { tokenUrl, apiKey } = await this.creds.forGrant(profileId);
    const result = await clientCredentialsGrant({
      ...this.callOptions(profileId, apiKey, options),
      provider: nhsPlatformProvider(tokenUrl),
      assertion: await this.creds.signer(profileId, tokenUrl, apiKey),
    });
    return { result, tokenUrl };
  }

  async clientCredentials(profileId: string, options?: CallOptions): Promise<SessionSnapshot> {
    const { result, tokenUrl } = await this.issueClientCredentials(profileId, options);
    return this.keep(profileId, result, 'client_credentials', 'none', tokenUrl);
  }

  async exchange(profileId: string, idToken: string, options?: CallOptions): Promise<SessionSnapshot> {
    const identityProvider = identityProviderOf(idToken);
    const { tokenUrl, apiKey } = await this.creds.forGrant(profileId);
    const result = await tokenExchangeGrant({
      ...this.callOptions(profileId, apiKey, options),
      provider: nhsPlatformProvider(tokenUrl),
      assertion: await this.creds.signer(profileId, tokenUrl, apiKey),
      subjectToken: idToken,
    });
    return this.keep(profileId, result, 'token_exchange', identityProvider, tokenUrl, idToken);
  }

  /** A mock user's ID token from the emulator's NHS login or CIS2 (local profiles only). */
  /** The mock users of the emulator this profile talks to (embedded or external), from that emulator. */
  async mockUsers(profileId: string): Promise<ListedMockUser[]> {
    const profile = this.services.profiles.get(profileId);
    if (profile.environmentId !== 'local')
      throw new AuthExplorerError(
        'ERR_NEEDS_EMULATOR',
        'Mock users live in the local emulator; on the platform, sign in with NHS login or CIS2 and paste the ID token.',
        { profileId, environmentId: profile.environmentId },
      );
    return listMockUsers(await this.services.emulator.url(), this.timeoutMs());
  }

  async mockIdToken(profileId: string, provider: 'nhs-login' | 'cis2', username: string): Promise<string> {
    const profile = this.services.profiles.get(profileId);
    if (profile.environmentId !== 'local')
      throw new AuthExplorerError(
        'ERR_NEEDS_EMULATOR',
        'Mock sign-in is offered by the local emulator; on the platform, sign in with NHS login or CIS2 and paste the ID token.',
        { profileId, environmentId: profile.environmentId },
      );
    const { apiKey, clientSecret } = await this.creds.forGrant(profileId);
    const redirectUri = profile.callbackUrl ?? DEFAULT_CALLBACK_URL;
    return mockSignIn(await this.services.emulator.url(), {
      provider,
      username,
      clientId: apiKey,
      clientSecret: clientSecret ?? '',
      redirectUri,
      transport: hostTransport,
    });
  }

  /**
   * Authorization code: /authorize in the user's browser, the redirect caught on 127.0.0.1 (state
   * checked), then the code exchanged with the client secret.
   */
  async signIn(
    profileId: string,
    provider: 'nhs-login' | 'cis2',
    openBrowser: (url: string) => Thenable<unknown>,
    options?: CallOptions,
  ): Promise<SessionSnapshot> {
    const profile = this.services.profiles.get(profileId);
    const { tokenUrl, apiKey, clientSecret } = await this.creds.forGrant(profileId, true);
    const authorizeUrl = await profileAuthorizeUrl(profile, this.services.emulator);
    if (!authorizeUrl)
      throw new AuthExplorerError(
        'ERR_NO_AUTHORIZE_ENDPOINT',
        `${getEnvironment(profile.environmentId).label} has no authorize endpoint.`,
        { profileId, environmentId: profile.environmentId },
      );
    const redirectUri = profile.callbackUrl ?? DEFAULT_CALLBACK_URL;
    const { url, state } = buildAuthorizeUrl({
      authorizeUrl,
      clientId: apiKey,
      redirectUri,
      scope: provider === 'nhs-login' ? 'nhs-login' : 'nhs-cis2',
    });
    const listener = await startLoopbackRedirect({
      expectedState: state,
      redirectUri,
      timeoutMs: 5 * 60_000,
      signal: options?.signal,
    });
    try {
      await forwardCallback(redirectUri, this.services.log);
      await openBrowser(url);
      const { code } = await listener.result;
      const result = await authorizationCodeGrant({
        ...this.callOptions(profileId, apiKey, options),
        provider: nhsPlatformProvider(tokenUrl),
        code,
        redirectUri,
        clientAuth: { method: 'client_secret_post', clientId: apiKey, clientSecret: clientSecret! },
      });
      const idToken =
        typeof (result.body as Record<string, unknown>)?.id_token === 'string'
          ? ((result.body as Record<string, unknown>).id_token as string)
          : undefined;
      return this.keep(profileId, result, 'authorization_code', provider, tokenUrl, idToken);
    } finally {
      await listener.close();
    }
  }

  refresh(profileId: string): Promise<SessionSnapshot> {
    return this.sessions.refresh(profileId);
  }

  setAutoRefresh(profileId: string, on: boolean): Promise<void> {
    return this.sessions.setAutoRefresh(profileId, on);
  }

  signOut(profileId: string): Promise<void> {
    return this.sessions.delete(profileId);
  }

  /** A fresh access token: refreshed (or re-issued) first when it is about to expire and that is possible. */
  accessToken(profileId: string): Promise<string> {
    return this.sessions.accessToken(profileId);
  }

  /** Calls an API with the profile's token (and its API key as `apikey`, which some APIs want). */
  async callApi(profileId: string, call: ApiCall, signal?: AbortSignal): Promise<HttpResponse> {
    const token = await this.accessToken(profileId);
    const { apiKey } = await this.credentials(profileId);
    const method = call.method ?? 'GET';
    const headers = {
      accept: 'application/json',
      ...call.headers,
      authorization: `Bearer ${token}`,
      'x-request-id': crypto.randomUUID(),
    };
    const startedAt = Date.now();
    try {
      const res = await httpRequest({
        url: call.url,
        method,
        headers,
        body: call.body,
        timeoutMs: this.timeoutMs(),
        signal,
        transport: hostTransport,
      });
      this.requestLog.add(
        profileId,
        createRequestLogEntry({
          method,
          url: call.url,
          startedAt,
          durationMs: res.durationMs,
          headers,
          bodyFormat: 'none',
          status: res.status,
          responseHeaders: res.headers,
          responseBody: res.bodyText,
          secrets: [token, apiKey],
          apiKey,
        }),
      );
      return res;
    } catch (e) {
      const err = e instanceof AuthExplorerError ? e : new AuthExplorerError('ERR_INTERNAL', String(e));
      this.requestLog.add(
        profileId,
        createRequestLogEntry({
          method,
          url: call.url,
          startedAt,
          headers,
          bodyFormat: 'none',
          error: { code: err.code, message: err.message },
          secrets: [token, apiKey],
          apiKey,
        }),
      );
      throw e;
    }
  }

  /** The Hello World endpoint that fits the session: user-restricted or application-restricted. */
  async helloWorldUrl(profileId: string): Promise<string> {
    const profile = this.services.profiles.get(profileId);
    const session = await this.sessions.load(profileId);
    const kind = session && session.grant !== 'client_credentials' ? 'user' : 'application';
    const env = getEnvironment(profile.environmentId);
    const base =
      profile.environmentId === 'local'
        ? await this.services.emulator.url()
        : env.host
          ? `https://${env.host}`
          : new URL(await profileTokenUrl(profile, this.services.emulator)).origin;
    return `${base}/hello-world/hello/${kind}`;
  }

  dispose(): void {
    this.sessions.dispose();
  }
}

import * as vscode from 'vscode';
import { looksLikeJwt } from '../../core/jwt/decode.ts';
import type { SessionSnapshot } from '../../core/session/sessionSnapshot.ts';
import { resolveProfile } from '../commandArgs.ts';
import { runTokenCall } from '../sessions/runTokenCall.ts';
import type { TokenServices } from '../sessions/tokenServices.ts';
import { registerCommand } from '../registerCommand.ts';
import { confirmIdToken } from '../preflight/idTokenCheck.ts';
import type { IdTokenCheckArgs } from '../preflight/idTokenCheck.ts';

type Grant = 'client_credentials' | 'token_exchange' | 'authorization_code';

interface TokenArgs extends IdTokenCheckArgs {
  profileId?: string;
  grant?: Grant;
  /** token_exchange: the ID token to exchange, or a mock user to sign in at the local emulator. */
  idToken?: string;
  mockUser?: { provider: 'nhs-login' | 'cis2'; username: string };
  /** authorization_code: which identity provider. */
  provider?: 'nhs-login' | 'cis2';
  /** authorization_code: how to open the sign-in page (tests drive it over HTTP). */
  openBrowser?: (url: string) => Thenable<unknown>;
  extraParams?: Record<string, string>;
  confirmed?: boolean;
  throwErrors?: boolean;
}

function argsOf(arg: unknown): TokenArgs {
  if (typeof arg === 'string') return { profileId: arg };
  if (typeof arg === 'object' && arg !== null && 'profile' in arg)
    return { profileId: (arg as { profile: { id: string } }).profile.id };
  return (typeof arg === 'object' && arg !== null ? arg : {}) as TokenArgs;
}

async function pickGrant(environmentId: string): Promise<Grant | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      {
        label: '$(server) Client credentials',
        detail: 'Application-restricted: a signed client assertion, no user',
        grant: 'client_credentials' as const,
      },
      {
        label: '$(person) Token exchange',
        detail:
          environmentId === 'local'
            ? 'Sign in as a mock NHS login or CIS2 user, then exchange the ID token'
            : 'Exchange an NHS login or CIS2 ID token you already have',
        grant: 'token_exchange' as const,
      },
      {
        label: '$(globe) Authorization code',
        detail: 'Sign in in your browser (combined authentication)',
        grant: 'authorization_code' as const,
      },
    ],
    { title: 'Get Token', placeHolder: 'Which grant?' },
  );
  return picked?.grant;
}

async function pickIdToken(
  services: TokenServices,
  profileId: string,
  environmentId: string,
  a: TokenArgs,
): Promise<string | undefined> {
  if (a.idToken) return a.idToken;
  if (a.mockUser) return services.tokens.mockIdToken(profileId, a.mockUser.provider, a.mockUser.username);
  if (environmentId === 'local') {
    // The emulator this profile talks to says which users it has (an external one may differ).
    const users = (await services.tokens.mockUsers(profileId)).map((u) => ({
      provider: u.provider,
      username: u.username,
      label: u.username,
      detail: u.description,
    }));
    const user = await vscode.window.showQuickPick(
      [...users, { provider: undefined, username: '', label: '$(clippy) Paste an ID token…', detail: '' }],
      { title: 'Token exchange: mock sign-in', placeHolder: 'Sign in as' },
    );
    if (!user) return undefined;
    if (user.provider) return services.tokens.mockIdToken(profileId, user.provider, user.username);
  }
  return vscode.window.showInputBox({
    title: 'Token exchange',
    prompt:
      'Paste the NHS login or CIS2 ID token (it stays on this machine until sent to the token endpoint)',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      looksLikeJwt(v) ? undefined : 'An ID token is a JWT: three dot-separated base64url parts.',
  });
}

export async function getToken(
  services: TokenServices,
  arg: unknown,
  forced?: Grant,
): Promise<SessionSnapshot | undefined> {
  const a = argsOf(arg);
  const profile = await resolveProfile(services, a.profileId, 'Get Token');
  if (!profile) return undefined;
  const grant = forced ?? a.grant ?? (await pickGrant(profile.environmentId));
  if (!grant) return undefined;
  const options = { extraParams: a.extraParams };
  let snapshot: SessionSnapshot | undefined;
  if (grant === 'client_credentials') {
    snapshot = await runTokenCall(services, profile, 'Client credentials', a, (signal) =>
      services.tokens.clientCredentials(profile.id, { ...options, signal }),
    );
  } else if (grant === 'token_exchange') {
    snapshot = await runTokenCall(services, profile, 'Token exchange', a, async (signal) => {
      const idToken = await pickIdToken(services, profile.id, profile.environmentId, a);
      if (!idToken) return undefined;
      // Checked before it is sent: a refused exchange costs a fresh sign-in.
      if (
        !(await confirmIdToken(services, profile, idToken, { ...a, interactive: !a.idToken && !a.mockUser }))
      )
        return undefined;
      return services.tokens.exchange(profile.id, idToken, { ...options, signal });
    });
  } else {
    const provider =
      a.provider ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'CIS2', id: 'cis2' as const },
            { label: 'NHS login', id: 'nhs-login' as const },
          ],
          { title: 'Sign in with' },
        )
      )?.id;
    if (!provider) return undefined;
    const open = a.openBrowser ?? ((url: string) => vscode.env.openExternal(vscode.Uri.parse(url)));
    snapshot = await runTokenCall(services, profile, 'Sign in', a, (signal) =>
      services.tokens.signIn(profile.id, provider, open, { ...options, signal }),
    );
  }
  if (snapshot) {
    services.log.info(
      `"${profile.name}": ${grant} token, expires ${new Date(snapshot.accessTokenExpiresAt).toISOString()}.`,
    );
    if (!a.throwErrors) void vscode.window.setStatusBarMessage(`$(pass) Token for ${profile.name}`, 4000);
  }
  return snapshot;
}

export function registerGetTokenCommands(services: TokenServices): vscode.Disposable[] {
  return [
    registerCommand(services.log, 'nhsAuth.getToken', (arg?: unknown) => getToken(services, arg)),
    registerCommand(services.log, 'nhsAuth.signIn', (arg?: unknown) =>
      getToken(services, arg, 'authorization_code'),
    ),
    registerCommand(services.log, 'nhsAuth.exchangeIdToken', (arg?: unknown) =>
      getToken(services, arg, 'token_exchange'),
    ),
  ];
}

import * as vscode from 'vscode';
import type { HttpMethod, HttpResponse } from '../../core/http/httpRequest.ts';
import { validateHttpUrl } from '../../core/environments.ts';
import { resolveProfile } from '../commandArgs.ts';
import { runTokenCall } from '../sessions/runTokenCall.ts';
import type { TokenServices } from '../sessions/tokenServices.ts';
import { registerCommand } from '../registerCommand.ts';

interface CallArgs {
  profileId?: string;
  url?: string;
  method?: HttpMethod;
  body?: string;
  silent?: boolean;
  confirmed?: boolean;
  throwErrors?: boolean;
}

async function showResponse(res: HttpResponse): Promise<void> {
  let body = res.bodyText;
  const json = /json/i.test(res.headers['content-type'] ?? '');
  if (json) {
    try {
      body = JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      // Not the JSON it claims to be: show it as it came.
    }
  }
  const head = `${res.method} ${res.url}\nHTTP ${res.status} · ${Math.round(res.durationMs)} ms\n${Object.entries(
    res.headers,
  )
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n\n`;
  const doc = await vscode.workspace.openTextDocument({
    language: json ? 'jsonc' : 'plaintext',
    content: json
      ? `${head
          .split('\n')
          .map((l) => (l ? `// ${l}` : l))
          .join('\n')}${body}\n`
      : `${head}${body}\n`,
  });
  await vscode.window.showTextDocument(doc, { preview: true });
}

async function call(
  services: TokenServices,
  arg: unknown,
  hello: boolean,
): Promise<HttpResponse | undefined> {
  const a = (
    typeof arg === 'string'
      ? { profileId: arg }
      : typeof arg === 'object' && arg !== null && 'profile' in arg
        ? { profileId: (arg as { profile: { id: string } }).profile.id }
        : (arg ?? {})
  ) as CallArgs;
  const profile = await resolveProfile(services, a.profileId, hello ? 'Call Hello World' : 'Call API');
  if (!profile) return undefined;
  let url = a.url ?? (hello ? await services.tokens.helloWorldUrl(profile.id) : undefined);
  let method: HttpMethod = a.method ?? 'GET';
  if (!url) {
    url = await vscode.window.showInputBox({
      title: 'Call API',
      prompt: 'URL to call with the access token',
      value: await services.tokens.helloWorldUrl(profile.id),
      ignoreFocusOut: true,
      validateInput: (v) => validateHttpUrl(v),
    });
    if (!url) return undefined;
    if (!a.method) {
      const m = await vscode.window.showQuickPick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], {
        title: 'Method',
      });
      if (!m) return undefined;
      method = m as HttpMethod;
    }
  }
  const target = url;
  const res = await runTokenCall(services, profile, hello ? 'Hello World' : 'API call', a, (signal) =>
    services.tokens.callApi(profile.id, { url: target, method, body: a.body }, signal),
  );
  if (res && !a.silent) await showResponse(res);
  return res;
}

export function registerApiCommands(services: TokenServices): vscode.Disposable[] {
  return [
    registerCommand(services.log, 'nhsAuth.callHelloWorld', (arg?: unknown) => call(services, arg, true)),
    registerCommand(services.log, 'nhsAuth.callApi', (arg?: unknown) => call(services, arg, false)),
  ];
}

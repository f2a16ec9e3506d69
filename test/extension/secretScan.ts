// Looks for secrets where they must never be: extension state, settings and the workspace.
import * as vscode from 'vscode';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NhsAuthExplorerTestHooks } from '../../src/extension.ts';

async function workspaceText(): Promise<string> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) return '';
  const out: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    if (depth > 4) return;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, depth + 1);
      else if (entry.isFile()) out.push(await readFile(path, 'utf8').catch(() => ''));
    }
  }
  await walk(root, 0);
  return out.join('\n');
}

/** Every place a secret must not be, as one text: global and workspace state, settings, workspace files. */
export async function placesSecretsMustNotBe(api: NhsAuthExplorerTestHooks): Promise<string> {
  const { globalState, workspaceState } = api.services.context;
  const state = [globalState, workspaceState].flatMap((m) =>
    m.keys().map((k) => `${k}=${JSON.stringify(m.get(k))}`),
  );
  const settings = JSON.stringify(vscode.workspace.getConfiguration('nhsAuth'));
  return [...state, settings, await workspaceText()].join('\n');
}

export function assertAbsent(haystack: string, secrets: readonly string[], where: string): void {
  for (const s of secrets) {
    if (s && haystack.includes(s)) throw new Error(`a secret (…${s.slice(-4)}) was found in ${where}`);
  }
}

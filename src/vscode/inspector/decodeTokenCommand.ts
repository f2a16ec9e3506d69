// "Decode token": any JWT from the argument, the selection, the clipboard or an input box,
// decoded locally and shown in the inspector. The token is never sent anywhere.
import * as vscode from 'vscode';
import { extractJwt } from '../../core/inspector/extractJwt.ts';
import { decodedTokenModel } from '../../core/inspector/inspectorModel.ts';
import type { InspectorModel } from '../../core/inspector/inspectorModel.ts';
import { toAuthExplorerError } from '../../core/errors.ts';

/** Finds the token to decode; undefined when the user cancelled. */
async function pickToken(arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string' && arg.trim() !== '') return extractJwt(arg) ?? arg.trim();
  const editor = vscode.window.activeTextEditor;
  const fromSelection =
    editor && !editor.selection.isEmpty ? extractJwt(editor.document.getText(editor.selection)) : undefined;
  if (fromSelection) return fromSelection;
  const fromClipboard = extractJwt(await vscode.env.clipboard.readText());
  if (fromClipboard) return fromClipboard;
  const typed = await vscode.window.showInputBox({
    title: 'Decode Token',
    prompt: 'Paste a JWT. It is decoded locally and never sent anywhere.',
    placeHolder: 'eyJhbGciOi…',
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim() === '' || extractJwt(v)
        ? undefined
        : 'Not a JWT: expected three base64url parts separated by dots.',
  });
  return typed === undefined || typed.trim() === '' ? undefined : extractJwt(typed);
}

/** Returns the decoded model to show, or undefined when cancelled or malformed (the user was told why). */
export async function decodeTokenFromUser(
  arg: unknown,
  now: () => number,
): Promise<InspectorModel | undefined> {
  const token = await pickToken(arg);
  if (token === undefined) return undefined;
  try {
    return decodedTokenModel(token, now());
  } catch (e) {
    const err = toAuthExplorerError(e);
    void vscode.window.showErrorMessage(`Cannot decode this token: ${err.message} (${err.code})`);
    return undefined;
  }
}

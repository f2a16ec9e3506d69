import * as vscode from 'vscode';

/**
 * The extension's log. Callers pass the secrets of the moment so they are masked even if a
 * message was built carelessly; token calls log through the core's redacting request log.
 */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('NHS Auth Explorer', { log: true });
  }

  info(message: string, secrets: readonly string[] = []): void {
    this.channel.info(mask(message, secrets));
  }

  warn(message: string, secrets: readonly string[] = []): void {
    this.channel.warn(mask(message, secrets));
  }

  error(message: string, secrets: readonly string[] = []): void {
    this.channel.error(mask(message, secrets));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

function mask(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join('<redacted>');
  return out;
}

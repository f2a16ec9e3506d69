import * as vscode from 'vscode';

/**
 * The extension's log. Callers pass the secrets of the moment so they are masked even if a
 * message was built carelessly; token calls log through the core's redacting request log.
 */
const KEEP_LINES = 2000;

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  /** The last lines written, exactly as written, so tests can prove no secret reached the log. */
  private readonly lines: string[] = [];

  constructor() {
    this.channel = vscode.window.createOutputChannel('NHS Auth Explorer', { log: true });
  }

  info(message: string, secrets: readonly string[] = []): void {
    this.channel.info(this.keep(mask(message, secrets)));
  }

  warn(message: string, secrets: readonly string[] = []): void {
    this.channel.warn(this.keep(mask(message, secrets)));
  }

  error(message: string, secrets: readonly string[] = []): void {
    this.channel.error(this.keep(mask(message, secrets)));
  }

  recent(): readonly string[] {
    return this.lines;
  }

  private keep(line: string): string {
    this.lines.push(line);
    if (this.lines.length > KEEP_LINES) this.lines.splice(0, this.lines.length - KEEP_LINES);
    return line;
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

// The handle VS Code injects into webviews. acquireVsCodeApi may be called only once per page.
import type { PanelState, WebviewMessage } from '../../core/inspector/protocol.ts';

export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function getVsCodeApi(): VsCodeApi {
  return acquireVsCodeApi();
}

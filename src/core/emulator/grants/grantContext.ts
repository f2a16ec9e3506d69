// What each grant handler gets: the emulator state, the form and the token URL as called.
import type { EmulatorState } from '../state.ts';

export interface GrantContext {
  state: EmulatorState;
  form: URLSearchParams;
  tokenUrl: string;
}

import type { KeyServices } from '../keyServices.ts';
import type { TokenService } from './tokenService.ts';

/** Key services plus the token layer, for the token commands. */
export interface TokenServices extends KeyServices {
  readonly tokens: TokenService;
}

// A fresh client assertion per attempt: the platform rejects a reused jti, so a retried request
// must never resend the assertion of the attempt it replaces.
import { signClientAssertion } from '../assertion/signClientAssertion.ts';

export interface AssertionSignerInput {
  privateKeyPem: string;
  kid: string;
  apiKey: string;
  tokenUrl: string;
  lifetimeSeconds?: number;
  /** Server clock minus local clock, so exp is judged by the server's clock. */
  clockSkewMs?: number;
  now?: () => number;
}

export function assertionSigner(input: AssertionSignerInput): () => Promise<string> {
  const now = input.now ?? Date.now;
  return () =>
    signClientAssertion({
      privateKeyPem: input.privateKeyPem,
      kid: input.kid,
      apiKey: input.apiKey,
      tokenUrl: input.tokenUrl,
      lifetimeSeconds: input.lifetimeSeconds,
      now: now() + (input.clockSkewMs ?? 0),
    });
}

// Pulls a compact JWT out of text a user selected or copied: tolerates a "Bearer " prefix,
// surrounding quotes, whitespace and line breaks inside the token (wrapped logs).
import { looksLikeJwt } from '../jwt/decode.ts';

const MAX_INPUT = 64 * 1024; // a JWT this large is not a token anyone should paste

/** The JWT in `text`, or undefined when the text does not hold exactly one token. */
export function extractJwt(text: string | undefined): string | undefined {
  if (!text || text.length > MAX_INPUT) return undefined;
  let t = text
    .trim()
    .replace(/^(?:authorization:\s*)?bearer\s+/i, '')
    .trim();
  t = t.replace(/^["'`]+|["'`,;]+$/g, '').replace(/\s+/g, '');
  return t.length > 0 && looksLikeJwt(t) ? t : undefined;
}

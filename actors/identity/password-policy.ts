/**
 * @module actors/identity/password-policy
 * What a password must be before it is hashed: 8 to 128 code points, well-formed text, not one
 * character repeated, not one of the passwords every guesser tries first.
 * Owns: the rule. Does not: hash (engine/identity/passwords.ts does). Pure; never throws.
 */
import { codePointLength, hasLoneSurrogate } from '../_kit/index.ts';

export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 128;
const COMMON = new Set(['12345678', '123456789', '1234567890', 'password', 'password1', 'qwertyui', 'qwerty123', '11111111', '88888888', 'abcd1234', 'a1234567', 'iloveyou', 'woaini1314', '1qaz2wsx']);

export function passwordProblem(raw: unknown): 'length' | 'text' | 'weak' | null {
  if (typeof raw !== 'string') return 'text';
  // Over two UTF-16 units per allowed code point is surely too long: say so before scanning a huge string.
  if (raw.length > PASSWORD_MAX_CHARS * 2) return 'length';
  if (hasLoneSurrogate(raw)) return 'text';
  const n = codePointLength(raw);
  if (n < PASSWORD_MIN_CHARS || n > PASSWORD_MAX_CHARS) return 'length';
  if (new Set(raw).size === 1 || COMMON.has(raw.toLowerCase())) return 'weak';
  return null;
}

/**
 * @module actors/identity/password-policy
 * What a password must be before it is hashed: 8 to 128 code points, well-formed text, not one
 * to three characters repeated (aaaaaaaa, abababab), not a straight run (abcdefgh, 87654321),
 * not one of the passwords every guesser tries first (a short list of the most common ones in
 * Chinese and English leaks, keyboard rows included).
 * Owns: the rule. Does not: hash (engine/identity/passwords.ts does). Pure; never throws.
 */
import { codePointLength, hasLoneSurrogate } from '../_kit/index.ts';

export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 128;
const COMMON = new Set([
  '12345678', '123456789', '1234567890', 'password', 'password1', 'password123', 'p@ssw0rd', 'passw0rd', 'qwertyui', 'qwerty123',
  'qwertyuiop', 'qwer1234', 'asdfghjk', 'asdfghjkl', 'zxcvbnm1', 'zxcvbnm123', '1qaz2wsx', '1q2w3e4r', '1q2w3e4r5t', 'qazwsxedc',
  '11111111', '88888888', '66666666', '00000000', '11223344', '12341234', '123123123', '147258369', '123456789a', 'a123456789',
  'abcd1234', 'abc12345', 'abc123456', 'a1234567', 'a12345678', 'aa123456', 'qq123456', 'asd123456', 'admin123', 'admin888',
  'iloveyou', 'iloveyou1', 'woaini1314', 'woaini520', '5201314520', '520520520', 'woaini123', 'wodemima', 'mima1234',
]);

/** True for aaaaaaaa, abababab, abcabcab: the first one to three code points, repeated. */
function repeatsShortPattern(cps: readonly number[]): boolean {
  for (let k = 1; k <= 3; k++) if (cps.every((c, i) => c === cps[i % k])) return true;
  return false;
}

/** True for abcdefgh, 12345678, 87654321: every code point one above (or one below) the last. */
function straightRun(cps: readonly number[]): boolean {
  const step = cps[1]! - cps[0]!;
  return (step === 1 || step === -1) && cps.every((c, i) => i === 0 || c - cps[i - 1]! === step);
}

export function passwordProblem(raw: unknown): 'length' | 'text' | 'weak' | null {
  if (typeof raw !== 'string') return 'text';
  // Over two UTF-16 units per allowed code point is surely too long: say so before scanning a huge string.
  if (raw.length > PASSWORD_MAX_CHARS * 2) return 'length';
  if (hasLoneSurrogate(raw)) return 'text';
  const n = codePointLength(raw);
  if (n < PASSWORD_MIN_CHARS || n > PASSWORD_MAX_CHARS) return 'length';
  const cps = [...raw].map((c) => c.codePointAt(0)!);
  if (repeatsShortPattern(cps) || straightRun(cps) || COMMON.has(raw.toLowerCase())) return 'weak';
  return null;
}

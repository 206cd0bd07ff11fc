/**
 * @module actors/identity/phone
 * Phone numbers as sign-in names: a mainland China mobile number, normalised so that
 * `+86 138-0013-8000` and `13800138000` are one account. Phones are never shown to other
 * residents; `maskPhone` is the only form that leaves the identity service for the owner.
 * Owns: the phone format. Does not: store or look up phones. Pure; never throws.
 */
const MOBILE = /^1[3-9]\d{9}$/;

/** The normalised number (11 digits), or null when it is not a mainland mobile number. */
export function normalizePhone(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 32) return null;
  let digits = raw.normalize('NFKC').replace(/[\s\-().]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  return MOBILE.test(digits) ? digits : null;
}

/** `138****8000`: enough for the owner to recognise their number. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}

/**
 * @module actors/contact/plate
 * Chinese licence plates: the one written form (`京A12345`, new-energy `粤B123456`) that people
 * type in many ways (lower case, full-width letters, spaces, `·` or `-` after the city letter).
 * Owns: what a valid plate is and its normal form. Does not: know who holds a plate.
 * Concurrency: pure functions. Plates with a Chinese last character (学, 警, 挂, 港, 澳, 使, 领) are
 * not accepted: the serial is 5 or 6 letters or digits only.
 */
import { hasLoneSurrogate } from '../_kit/index.ts';
import { ContactError } from './contact-errors.ts';

/** The 31 province-level abbreviations a civilian plate starts with. */
export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
/** Longer input is refused before normalising; a plate with generous spacing fits easily. */
export const MAX_PLATE_INPUT_CHARS = 32;

/** Why a plate was refused: nothing left, no province first, no city letter second, serial of the wrong length or characters. */
export type PlateProblem = 'empty' | 'province' | 'letter' | 'length' | 'chars';

export type PlateResult =
  | { readonly ok: true; readonly plate: string }
  | { readonly ok: false; readonly code: typeof ContactError.BAD_PLATE; readonly reason: PlateProblem };

/** Whitespace, dots, hyphens and dashes, middle dots and bullets, and invisible format characters. */
const SEPARATORS = /[\s.\u00b7\u2022\u2027\u2219\u30fb\-\u2010-\u2015\u2212\p{Cf}]/gu;
const SERIAL = /^[A-Z0-9]+$/;
const PROVINCES = new Set(PLATE_PROVINCES);

const refuse = (reason: PlateProblem): PlateResult => ({ ok: false, code: ContactError.BAD_PLATE, reason });

/**
 * Validates and normalises a plate; errors are values, never thrown. Only ASCII letters are
 * upper-cased, so that look-alikes such as the dotless `ı` are refused instead of becoming `I`.
 * @example normalizePlate(' 京a·1234５ ') // { ok: true, plate: '京A12345' }
 */
export function normalizePlate(raw: string): PlateResult {
  if (typeof raw !== 'string') return refuse('empty');
  if (raw.length > MAX_PLATE_INPUT_CHARS) return refuse('length');
  if (hasLoneSurrogate(raw)) return refuse('chars');
  const plate = raw.normalize('NFKC').replace(SEPARATORS, '').replace(/[a-z]/g, (ch) => ch.toUpperCase());
  if (plate.length === 0) return refuse('empty');
  const [province = '', letter = '', ...serial] = plate;
  if (!PROVINCES.has(province)) return refuse('province');
  if (!/^[A-Z]$/.test(letter)) return refuse('letter');
  const rest = serial.join('');
  if (!SERIAL.test(rest)) return refuse(rest.length === 0 ? 'length' : 'chars');
  if (rest.length !== 5 && rest.length !== 6) return refuse('length');
  return { ok: true, plate };
}

/**
 * @module actors/community/display-name
 * Display-name rules: the shown form of a name (NFKC, no invisible or bidi controls, one space
 * between words) and its `nameKey`, under which names that look the same collide.
 * Owns: what a valid display name is and when two names look alike. Does not: know who holds a name.
 * Concurrency: pure functions. The key depends on the Unicode tables of the running Node, so the
 * directory stores it in its events instead of recomputing it on replay.
 */
import { codePointLength, hasLoneSurrogate } from '../_kit/index.ts';
import { DirectoryError } from './directory-errors.ts';

export const DEFAULT_DISPLAY_NAME_MAX_CHARS = 24;

export type DisplayNameErrorCode =
  | typeof DirectoryError.NAME_BLANK
  | typeof DirectoryError.NAME_RESERVED
  | typeof DirectoryError.NAME_TOO_LONG
  | typeof DirectoryError.NAME_BAD_TEXT;

export type DisplayNameResult =
  | { readonly ok: true; readonly name: string; readonly key: string }
  | { readonly ok: false; readonly code: DisplayNameErrorCode };

/**
 * Code points that are not format characters (Cf) but render as nothing: combining grapheme
 * joiner, Hangul fillers, Khmer inherent vowels, Mongolian variation selectors, braille blank,
 * ideographic variation selectors. The emoji variation selectors (VS1–VS16) stay in the shown
 * form (❤️ needs VS16) and are removed only from the key.
 */
const INVISIBLE = '\\u034f\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180f\\u2800\\u3164\\uffa0\\u{e0100}-\\u{e01ef}';
const VARIATION_SELECTORS = '\\ufe00-\\ufe0f';
/** ZWJ between two pictographs (👨‍👩‍👧) is part of the emoji, so the shown form keeps it. */
const EMOJI_ZWJ = /(?<=\p{Extended_Pictographic}[\u{fe0f}\u{1f3fb}-\u{1f3ff}]?)\u200d(?=\p{Extended_Pictographic})/u;
/** Format characters (zero-width, bidi, BOM, soft hyphen, tags) and controls; newline and tab become spaces. */
const FORMAT_OR_CONTROL = /[\p{Cf}\p{Cc}]/gu;
const SPACES = /[\s\p{Zs}\p{Zl}\p{Zp}]+/gu;
const INVISIBLE_SHOWN = new RegExp(`[${INVISIBLE}]`, 'gu');
const INVISIBLE_ALL = new RegExp(`[${INVISIBLE}${VARIATION_SELECTORS}]`, 'gu');

/**
 * Letters from other scripts that are drawn like Latin ones in common fonts, folded to the Latin
 * letter (lower case) in the key. A documented subset of Unicode's confusables (UTS #39
 * confusables.txt: no small registry package ships that data): the Cyrillic, Greek and Cherokee
 * letters whose glyphs match a Latin letter, dotless i and j, and a few Latin look-alikes. Latin
 * letters with diacritics (Ạ, é) are folded separately by removing combining marks after NFD.
 */
const HOMOGLYPHS: Readonly<Record<string, string>> = {
  // Cyrillic
  'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
  'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l',
  'ɡ': 'g', 'ү': 'y', 'ԍ': 'g', 'ց': 'g', 'օ': 'o', 'ս': 'u', 'հ': 'h', 'ո': 'n',
  // Greek
  'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'μ': 'u', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't',
  'υ': 'u', 'χ': 'x', 'ω': 'w', 'ϲ': 'c', 'ϳ': 'j', 'ζ': 'z',
  // Latin look-alikes
  'ı': 'i', 'ȷ': 'j', 'ł': 'l', 'ø': 'o', 'đ': 'd', 'ħ': 'h', 'ŀ': 'l', 'ɩ': 'i', 'ɑ': 'a', 'ꞵ': 'b', 'ʏ': 'y',
  'ʀ': 'r', 'ɴ': 'n', 'ᴀ': 'a', 'ʙ': 'b', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴇ': 'e', 'ɢ': 'g', 'ʜ': 'h', 'ᴊ': 'j', 'ᴋ': 'k',
  'ʟ': 'l', 'ᴍ': 'm', 'ᴏ': 'o', 'ᴘ': 'p', 'ᴛ': 't', 'ᴜ': 'u', 'ᴠ': 'v', 'ᴡ': 'w', 'ᴢ': 'z',
  // Cherokee (upper case; toLowerCase maps them to the small letters below U+AB70, folded too)
  'Ꭺ': 'a', 'Ᏼ': 'b', 'Ꮯ': 'c', 'Ꭰ': 'd', 'Ꭼ': 'e', 'Ꮐ': 'g', 'Ꮋ': 'h', 'Ꭵ': 'i', 'Ꭻ': 'j', 'Ꮶ': 'k',
  'Ꮮ': 'l', 'Ꮇ': 'm', 'Ꮑ': 'n', 'Ꭾ': 'o', 'Ꮲ': 'p', 'Ꭱ': 'r', 'Ꮢ': 'r', 'Ꮪ': 's', 'Ꭲ': 't', 'Ꮩ': 'v',
  'Ꮃ': 'w', 'Ꮤ': 'w', 'Ꮍ': 'y', 'Ꮓ': 'z', 'Ꮟ': 'b', 'Ꮞ': '4', 'Ꮎ': 'b',
};
/** Cherokee small letters (U+AB70–U+ABBF) are what toLowerCase gives for U+13A0–U+13EF. */
function cherokeeUpper(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return cp >= 0xab70 && cp <= 0xabbf ? String.fromCodePoint(cp - 0xab70 + 0x13a0) : ch;
}

/**
 * Traditional and variant CJK characters folded to the simplified form in the key, so that
 * 物业管理員 and 物业管理员 collide. A documented subset: the characters of the office words
 * below and the ones most common in Chinese given names and surnames (the full OpenCC tables
 * are not needed to stop look-alike names in one community).
 */
const CJK_VARIANTS = '業业員员處处會会區区號号務务門门樓楼館馆營营長长國国東东陳陈張张劉刘楊杨黃黄趙赵吳吴孫孙鄭郑馬马羅罗鄧邓許许蕭萧葉叶蘇苏盧卢蔣蒋錢钱韓韩馮冯龍龙萬万華华偉伟麗丽強强軍军傑杰輝辉紅红豐丰鳳凤艷艳雲云飛飞鵬鹏寶宝貴贵興兴熱热愛爱靜静劍剑書书學学師师醫医話话請请讓让車车衛卫統统係系統统對对業业發发為为們们與与來来這这時时說说還还點点開开問问間间聽听寫写風风體体廳厅鐘钟錶表';
const CJK_FOLD: ReadonlyMap<string, string> = new Map(
  Array.from({ length: CJK_VARIANTS.length / 2 }, (_, i) => [CJK_VARIANTS[2 * i]!, CJK_VARIANTS[2 * i + 1]!] as const),
);

/**
 * Words that name the property office or the platform. Only property staff and admins may carry
 * them in a display name (compared on the folded key, so 物業, ａｄｍｉｎ and аdmin count).
 */
export const RESERVED_NAME_WORDS: readonly string[] = [
  '物业', '管理员', '管理处', '物管', '客服', '官方', '业委会', '居委会', '保安', '系统', '社区办',
  'admin', 'administrator', 'propertyoffice', 'official', 'moderator', 'system',
];

function stripFormat(s: string): string {
  const emojiZwjAt = new RegExp(EMOJI_ZWJ.source, 'uy');
  let out = '';
  let i = 0;
  for (const ch of s) {
    if (ch === '\u200d') {
      emojiZwjAt.lastIndex = i;
      if (emojiZwjAt.test(s)) out += ch;
    } else if (/\s/u.test(ch)) out += ' ';
    else if (!/[\p{Cf}\p{Cc}]/u.test(ch)) out += ch;
    i += ch.length;
  }
  return out;
}

/** The shown form: NFKC, invisible and bidi controls removed, whitespace runs as one space, trimmed. */
export function showName(raw: string): string {
  const once = stripFormat(raw.normalize('NFKC')).replace(INVISIBLE_SHOWN, '');
  // Removing an invisible character can bring a base and a combining mark together; compose again.
  return once.normalize('NFKC').replace(SPACES, ' ').trim();
}

/**
 * The key under which names collide: the shown form without any format or invisible character
 * (emoji ZWJ and variation selectors included) or space, lower-cased, with look-alike letters mapped.
 * @example nameKey('王\u200b阿姨') === nameKey('王阿姨') // true
 */
export function nameKey(name: string): string {
  const bare = showName(name).replace(FORMAT_OR_CONTROL, '').replace(INVISIBLE_ALL, '').replace(SPACES, '');
  // Diacritics never tell two names apart: Ạ, Á and A share a key.
  const plain = bare.normalize('NFD').replace(/\p{M}/gu, '');
  let key = '';
  for (const raw of plain) {
    const ch = cherokeeUpper(raw);
    const folded = HOMOGLYPHS[ch] ?? CJK_FOLD.get(ch) ?? ch;
    key += HOMOGLYPHS[folded.toLowerCase()] ?? folded.toLowerCase();
  }
  return key.normalize('NFKC');
}

/** Whether a name's key holds a word reserved for the property office. */
export function usesReservedWord(key: string): boolean {
  return RESERVED_NAME_WORDS.some((w) => key.includes(w));
}

/** Validates and normalises a display name; errors are values, never thrown. */
export function normalizeDisplayName(raw: string, maxChars: number = DEFAULT_DISPLAY_NAME_MAX_CHARS): DisplayNameResult {
  if (hasLoneSurrogate(raw)) return { ok: false, code: DirectoryError.NAME_BAD_TEXT };
  const name = showName(raw);
  const key = nameKey(name);
  // A name of combining marks only (U+0301 U+0301) renders as nothing; so does its key.
  if (key.length === 0 || name.replace(/[\p{M}\s]/gu, '').length === 0) return { ok: false, code: DirectoryError.NAME_BLANK };
  if (codePointLength(name) > maxChars) return { ok: false, code: DirectoryError.NAME_TOO_LONG };
  return { ok: true, name, key };
}

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
 * Letters from other scripts that are drawn like Latin ones in common fonts. A small table for
 * the cases seen in practice (Cyrillic and Greek); not the full Unicode confusables list (UTS #39).
 */
const HOMOGLYPHS: Readonly<Record<string, string>> = {
  'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
  'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l',
  'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'μ': 'u', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't',
  'υ': 'u', 'χ': 'x', 'ω': 'w', 'ϲ': 'c', 'ϳ': 'j',
};

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
  let key = '';
  for (const ch of bare.toLowerCase()) key += HOMOGLYPHS[ch] ?? ch;
  return key.normalize('NFKC');
}

/** Validates and normalises a display name; errors are values, never thrown. */
export function normalizeDisplayName(raw: string, maxChars: number = DEFAULT_DISPLAY_NAME_MAX_CHARS): DisplayNameResult {
  if (hasLoneSurrogate(raw)) return { ok: false, code: DirectoryError.NAME_BAD_TEXT };
  const name = showName(raw);
  const key = nameKey(name);
  if (key.length === 0) return { ok: false, code: DirectoryError.NAME_BLANK };
  if (codePointLength(name) > maxChars) return { ok: false, code: DirectoryError.NAME_TOO_LONG };
  return { ok: true, name, key };
}

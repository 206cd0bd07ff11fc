/**
 * @module actors/_kit/text
 * Pure checks on user text shared by every actor that accepts it.
 * Owns: what counts as well-formed text. Does not: know limits (they arrive in the command's context).
 * Concurrency: pure functions.
 */

/** True when the string holds a lone UTF-16 surrogate, which cannot be encoded as UTF-8. */
export function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
      return true;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** Length in Unicode code points, so that one emoji or one CJK character counts as one. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Removes control characters (C0, DEL and C1) other than newline and tab, and the bidirectional
 * embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) and direction marks
 * (U+200E, U+200F, U+061C) that make text display in another order than it was written, and the
 * invisible tag characters (U+E0000–U+E007F); then trims the ends.
 */
export function cleanText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\u{e0000}-\u{e007f}]/gu, '').trim();
}

/**
 * True when nothing would be seen: only whitespace, invisible format characters (zero-width
 * spaces and joiners, BOM, soft hyphen, direction marks), combining marks with no base, Hangul
 * fillers, the braille blank and tag characters.
 */
export function isBlank(s: string): boolean {
  return s.replace(/[\s\p{M}\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u034f\u180e\u061c\u115f\u1160\u3164\uffa0\u2800]|[\u{e0000}-\u{e007f}]/gu, '').length === 0;
}

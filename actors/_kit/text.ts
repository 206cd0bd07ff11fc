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

/** Removes control characters (C0, DEL and C1) other than newline and tab, and trims the ends. */
export function cleanText(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').trim();
}

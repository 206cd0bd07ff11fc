/**
 * @module client/chat/identity
 * The display name as the resident types it: in the sign-up form and the "my name" field (which
 * renames the account, POST /api/me/name). The directory decides the name (actors/community/
 * display-name: NFKC, invisible and bidi characters removed, unique among neighbours); these
 * functions only keep the input within its rules so that what is sent is kept as typed.
 * Owns: cleaning and capping while typing. Does not: store names (the account does).
 */

/** Longest display name, in code points: the directory's DEFAULT_DISPLAY_NAME_MAX_CHARS. */
export const MAX_NAME_CHARS = 24;

/**
 * Never part of a name: C0 controls other than whitespace, DEL and C1 controls, the bidi marks
 * and overrides (U+200E/U+200F, U+202A–U+202E, U+2066–U+2069) that could make a name render over
 * its neighbours, and lone surrogates (the server refuses them).
 */
const FORBIDDEN = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * What the name field accepts while typing: forbidden characters removed, at most MAX_NAME_CHARS
 * code points (never splitting a surrogate pair). Not trimmed, so a space between words can be typed.
 */
export function capName(raw: string): string {
  let out = '';
  let chars = 0;
  for (const ch of raw.replace(FORBIDDEN, '')) {
    if (chars === MAX_NAME_CHARS) break;
    out += ch;
    chars++;
  }
  return out;
}

/**
 * The name as sent: forbidden characters stripped, runs of whitespace (tab and newline included)
 * folded to one space, trimmed, then capped; empty means "no name".
 */
export function cleanName(raw: string): string {
  return capName(raw.replace(FORBIDDEN, '').replace(/\s+/g, ' ').trim()).trim();
}

/**
 * @module client/chat/identity
 * The display name a visitor chats under until accounts exist: a random neighbour name
 * (邻居1234) on first visit, then whatever they typed, kept in localStorage.
 * Owns: generating, cleaning and persisting the name. Does not: authenticate (the server decides
 * who `you` is and echoes it in `welcome`).
 */
export const NAME_PREFIX = '邻居';
/**
 * Longest name, in code points: the server's MAX_NAME_CHARS (rooms/_shared/chat-messages). The
 * server measures that bound in UTF-16 units, so names are also kept within MAX_NAME_UNITS:
 * a longer one would be replaced by a generated name on join.
 */
export const MAX_NAME_CHARS = 32;
export const MAX_NAME_UNITS = 32;
const STORAGE_KEY = 'linli.name';

/**
 * Never part of a name: C0 controls other than whitespace, DEL and C1 controls, the bidi marks
 * and overrides (U+200E/U+200F, U+202A–U+202E, U+2066–U+2069) that could make a name render over
 * its neighbours, and lone surrogates (the server refuses them).
 */
const FORBIDDEN = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function randomNeighbourName(random: () => number = Math.random): string {
  return `${NAME_PREFIX}${1000 + Math.floor(random() * 9000)}`;
}

/**
 * What the name field accepts while typing: forbidden characters removed, at most MAX_NAME_CHARS
 * code points and MAX_NAME_UNITS UTF-16 units (never splitting a surrogate pair). Not trimmed,
 * so a space between words can be typed.
 */
export function capName(raw: string): string {
  let out = '';
  let chars = 0;
  for (const ch of raw.replace(FORBIDDEN, '')) {
    if (chars === MAX_NAME_CHARS || out.length + ch.length > MAX_NAME_UNITS) break;
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

export function loadName(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined): string {
  const stored = cleanName(storage?.getItem(STORAGE_KEY) ?? '');
  if (stored) return stored;
  const fresh = randomNeighbourName();
  storage?.setItem(STORAGE_KEY, fresh);
  return fresh;
}

export function saveName(storage: Pick<Storage, 'setItem'> | undefined, name: string): void {
  storage?.setItem(STORAGE_KEY, name);
}

const RESIDENT_KEY = 'linli.resident';
const RESIDENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A stable anonymous id for this browser, sent as `residentId` until verified identities exist,
 * so that "me" survives reloads and re-joins. Not a credential: the server treats it as a hint.
 */
export function loadResidentId(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined): string {
  const stored = storage?.getItem(RESIDENT_KEY) ?? '';
  if (RESIDENT_ID.test(stored)) return stored;
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const fresh = `r${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  storage?.setItem(RESIDENT_KEY, fresh);
  return fresh;
}

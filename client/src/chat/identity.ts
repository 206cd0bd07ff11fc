/**
 * @module client/chat/identity
 * The display name a visitor chats under until accounts exist: a random neighbour name
 * (邻居1234) on first visit, then whatever they typed, kept in localStorage.
 * Owns: generating, cleaning and persisting the name. Does not: authenticate (the server decides
 * who `you` is and echoes it in `welcome`).
 */
export const NAME_PREFIX = '邻居';
export const MAX_NAME_CHARS = 24;
const STORAGE_KEY = 'linli.name';

export function randomNeighbourName(random: () => number = Math.random): string {
  return `${NAME_PREFIX}${1000 + Math.floor(random() * 9000)}`;
}

/** Trims, folds whitespace and control characters, caps the length; empty means "no name". */
export function cleanName(raw: string): string {
  return [...raw.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim()].slice(0, MAX_NAME_CHARS).join('');
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

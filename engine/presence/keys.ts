/**
 * @module engine/presence/keys
 * Names in NATS for what Colyseus calls topics and keys: any string becomes one subject token or
 * one KV key token, reversibly, and a namespace becomes bucket names and a subject prefix.
 * Owns: the encoding and the naming scheme. Pure.
 * The token alphabet is `[A-Za-z0-9_-]`; every other UTF-8 byte is written `=XX` (upper-case hex),
 * so `$room.1` becomes `=24room=2E1`. The empty string is `=` (no escape is a bare `=`).
 */
const SAFE = /^[A-Za-z0-9_-]$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** One subject or KV key token for any string. */
export function encodeToken(s: string): string {
  if (s.length === 0) return '=';
  let out = '';
  for (const ch of s) {
    if (SAFE.test(ch)) out += ch;
    else for (const b of encoder.encode(ch)) out += `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The string a token was made from; throws on a token encodeToken cannot have produced. */
export function decodeToken(t: string): string {
  if (t === '=') return '';
  const bytes: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '=') {
      const hex = t.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) throw new Error(`bad escape in token ${t}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (SAFE.test(c)) {
      bytes.push(c.charCodeAt(0));
    } else {
      throw new Error(`bad character in token ${t}`);
    }
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** Where one namespace's presence and room cache live. */
export interface NatsNames {
  /** KV bucket of presence keys (strings, sets, hashes, lists). */
  readonly presenceBucket: string;
  /** KV bucket of room listings (the matchmaking driver's cache). */
  readonly roomsBucket: string;
  /** Subject of a pub/sub topic. */
  topic(topic: string): string;
  /** Prefix of every topic subject (to watch them all while debugging: `<topicPrefix>.>`). */
  readonly topicPrefix: string;
  /** Subject on which every presence of the namespace answers a channel listing. */
  readonly channelsSubject: string;
}

/**
 * Names for a namespace of `[A-Za-z0-9_-]`: buckets `<ns>-presence` and `<ns>-rooms`, subjects
 * `<subjectPrefix>.ch.<topic>` and `<subjectPrefix>.channels`; subjectPrefix defaults to
 * `colyseus.<ns>.presence`.
 */
export function natsNames(namespace: string, subjectPrefix = `colyseus.${namespace}.presence`): NatsNames {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(namespace)) throw new Error(`presence namespace must be 1-100 characters of [A-Za-z0-9_-]: ${namespace}`);
  const topicPrefix = `${subjectPrefix}.ch`;
  return {
    presenceBucket: `${namespace}-presence`,
    roomsBucket: `${namespace}-rooms`,
    topicPrefix,
    topic: (t) => `${topicPrefix}.${encodeToken(t)}`,
    channelsSubject: `${subjectPrefix}.channels`,
  };
}

/** Linli's names for one cluster of one community: buckets `nb-<community>-<cluster>-…`, subjects `nb.<community>.colyseus.<cluster>.…` (apart from the rooms' own `nb.<community>.presence.…`). */
export function communityNames(community: string, cluster: string): { namespace: string; subjectPrefix: string } {
  return { namespace: `nb-${community}-${cluster}`, subjectPrefix: `nb.${community}.colyseus.${cluster}` };
}

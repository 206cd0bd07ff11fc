/**
 * @module rooms/_shared/presence
 * Subject on which rooms announce how many clients they hold, for the community map.
 */
export function presenceSubject(community: string, kind: string, id: string): string {
  return `nb.${community}.presence.${kind}.${id}`;
}

export function allPresence(community: string, kind: string): string {
  return `nb.${community}.presence.${kind}.*`;
}

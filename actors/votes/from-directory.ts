/**
 * @module actors/votes/from-directory
 * Reads what a vote needs from the community directory's state: the units in a vote's scope
 * with the accounts holding the owner role on each at an instant, and, at closing, which units'
 * owners differ from the snapshot taken at opening.
 * Owns: the directory → vote mapping. Does not: decide anything. Pure.
 */
import type { DirectoryState } from '../community/directory-protocol.ts';
import { snapshotRegister, type RegisterSnapshot, type RuleSet } from './head-count.ts';
import type { RegisterChange, VoteScope } from './vote-protocol.ts';

const inScope = (buildingId: string, scope: VoteScope) => scope.kind === 'community' || scope.buildingId === buildingId;

/** Unit id → accounts that are owners of it at `at` (live accounts, active memberships), sorted. */
export function ownersAt(dir: DirectoryState, at: number): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [accountId, a] of Object.entries(dir.accounts)) {
    if (a.revokedAt !== null) continue;
    for (const m of Object.values(a.units)) {
      if (m.role !== 'owner' || (m.endsAt !== null && at >= m.endsAt)) continue;
      (out[m.unitId] ??= []).push(accountId);
    }
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

/** The register snapshot of a vote's scope at `at`. */
export function snapshotFromDirectory(dir: DirectoryState, scope: VoteScope, rules: RuleSet, at: number): RegisterSnapshot {
  const units = Object.values(dir.units).filter((u) => inScope(u.buildingId, scope));
  return snapshotRegister(units, ownersAt(dir, at), rules, at);
}

/** Units whose owner accounts at `at` are not the ones the snapshot recorded. */
export function registerChangesSince(snapshot: RegisterSnapshot, dir: DirectoryState, at: number): RegisterChange[] {
  const now = ownersAt(dir, at);
  const changes: RegisterChange[] = [];
  for (const u of snapshot.units) {
    const current = Object.hasOwn(now, u.id) ? now[u.id] : [];
    if (current.length !== u.owners.length || current.some((a, i) => a !== u.owners[i])) {
      changes.push({ unitId: u.id, ownersAtOpening: u.owners.length, ownersNow: current.length });
    }
  }
  return changes;
}

/**
 * Room placement on the in-memory lease store with a fake clock: nodes spread the rooms, take
 * over a dead node's rooms once its leases lapse, and a node cut off from the store closes its
 * rooms when its own deadline passes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryLeaseStore } from '../lease/memory.ts';
import type { Lease, LeaseStore } from '../lease/contract.ts';
import { createLogger } from '../log.ts';
import { Metrics } from '../metrics.ts';
import { RoomPlacement, type PlacedRoom } from './placement.ts';

const rooms: PlacedRoom[] = Array.from({ length: 12 }, (_, i) => ({ name: 'building', id: `bldg-${i}` }));
const log = createLogger('silent');
const TTL = 9000;
const clocks = new WeakMap<LeaseStore, () => number>();
const clockOf = (l: LeaseStore) => clocks.get(l)!();
function store(clock: () => number): MemoryLeaseStore {
  const s = new MemoryLeaseStore(TTL, clock);
  clocks.set(s, clock);
  return s;
}

function node(id: string, leases: LeaseStore, opened: Map<string, string>, closed: string[]) {
  return new RoomPlacement({
    nodeId: id, leases, rooms, tickMs: 3000, log, metrics: new Metrics(), now: () => clockOf(leases),
    open: async (r) => { opened.set(r.id, id); },
    close: async (r, why) => { closed.push(`${id}:${r.id}:${why}`); if (opened.get(r.id) === id) opened.delete(r.id); },
  });
}

test('placement: three nodes → every room hosted once, four each', async () => {
  let clock = 0;
  const leases = store(() => clock);
  const opened = new Map<string, string>();
  const nodes = ['a', 'b', 'c'].map((id) => node(id, leases, opened, []));
  for (const n of nodes) await n.tick(); // announce
  for (let i = 0; i < 3; i++) for (const n of nodes) await n.tick();
  assert.equal(opened.size, 12);
  assert.deepEqual(nodes.map((n) => n.hostedRooms().length), [4, 4, 4]);
});

test('placement: a node dies → after its leases lapse the others open its rooms; nothing is hosted twice', async () => {
  let clock = 0;
  const leases = store(() => clock);
  const opened = new Map<string, string>();
  const [a, b, c] = ['a', 'b', 'c'].map((id) => node(id, leases, opened, []));
  for (let i = 0; i < 3; i++) for (const n of [a, b, c]) await n.tick();
  const bRooms = b.hostedRooms();
  assert.equal(bRooms.length, 4);
  // b stops ticking (killed). Before the TTL its rooms stay put.
  clock += 6000;
  for (const n of [a, c]) await n.tick();
  assert.ok(bRooms.every((r) => opened.get(r) === 'b'));
  clock += 6000;
  for (let i = 0; i < 2; i++) for (const n of [a, c]) await n.tick();
  assert.ok(bRooms.every((r) => opened.get(r) === 'a' || opened.get(r) === 'c'), JSON.stringify([...opened]));
  assert.deepEqual([a, c].map((n) => n.hostedRooms().length).sort(), [6, 6]);
});

test('placement: the lease store unreachable → rooms kept while the lease lasts, then closed here as lost', async () => {
  let clock = 0;
  let down = false;
  const inner = store(() => clock);
  const flaky: LeaseStore = {
    kind: 'memory', ttlMs: TTL,
    acquire: (n, o) => (down ? Promise.reject(new Error('nats away')) : inner.acquire(n, o)),
    renew: (l: Lease) => (down ? Promise.reject(new Error('nats away')) : inner.renew(l)),
    release: (l) => inner.release(l), list: (p) => (down ? Promise.reject(new Error('nats away')) : inner.list(p)), close: async () => {},
  };
  const opened = new Map<string, string>();
  const closed: string[] = [];
  const a = new RoomPlacement({ nodeId: 'a', leases: flaky, rooms, tickMs: 3000, log, metrics: new Metrics(), now: () => clock, open: async (r) => { opened.set(r.id, 'a'); }, close: async (r, why) => { closed.push(`${r.id}:${why}`); } });
  await a.tick();
  await a.tick();
  assert.equal(a.hostedRooms().length, 12);
  down = true;
  clock += 3000;
  await a.tick();
  assert.equal(a.hostedRooms().length, 12, 'kept while the leases are valid');
  assert.ok(a.leaseOf('bldg-0'));
  assert.equal(closed.length, 0);
  clock += 4000; // past TTL × 0.75 since the last renew
  assert.equal(a.leaseOf('bldg-0'), null, 'the deadline passed: no more writes');
  await a.tick();
  assert.equal(a.hostedRooms().length, 0);
  assert.equal(closed.length, 12);
  assert.ok(closed.every((c) => c.endsWith(':lost')));
});

/**
 * The actor host's durability rules, without a network: idempotent commands, group commit,
 * snapshots and replay, upcasting, fencing of a second copy, and a journal that fails or loses
 * its acknowledgements. `FlakyJournal` wraps the in-memory journal and fails on request; extend
 * it with another failure mode when the host learns to handle one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accept, defineActor, reject } from '../actors/_kit/index.ts';
import { ActorHost } from './actor-host.ts';
import { MemoryBus } from './bus/memory.ts';
import { EngineError, LinliError } from './errors.ts';
import type { Journal, NewEvent, StreamKey } from './journal/contract.ts';
import { MemoryJournal } from './journal/memory.ts';
import { createLogger } from './log.ts';
import { Metrics } from './metrics.ts';
import { MemorySnapshotStore } from './snapshot/memory.ts';

type Added = { type: 'Added'; v: 2; by: number; note: string; at: number };
type Cmd = { type: 'Add'; by: number; at: number };
type S = Readonly<{ total: number; notes: readonly string[] }>;

const counter = defineActor({
  type: 'counter',
  initial: { total: 0, notes: [] } as S,
  decide: (s: S, c: Cmd) => (c.by <= 0 ? reject('COUNTER_NOT_POSITIVE') : s.total + c.by > 1_000_000 ? reject('COUNTER_FULL') : accept<Added>({ type: 'Added', v: 2, by: c.by, note: `+${c.by}`, at: c.at })),
  evolve: (s: S, e: Added): S => ({ total: s.total + e.by, notes: [...s.notes.slice(-4), e.note] }),
  // v1 had no note: it is derived.
  upcast: (stored: { type: string; v: number }) => (stored.v === 1 ? { ...(stored as Added), v: 2, note: `+${(stored as unknown as Added).by}` } : (stored as Added)),
});

const key: StreamKey = { community: 'c', kind: 'counter', actorId: 'x' };
const log = createLogger('silent');

class FlakyJournal implements Journal {
  readonly kind = 'memory';
  appends = 0;
  /** Appends that fail before writing. */
  failNext = 0;
  /** Appends that write, then lose the acknowledgement. */
  loseAckNext = 0;
  /** While true, reads fail too (the store is away). */
  down = false;
  constructor(readonly inner = new MemoryJournal()) {}
  async append(k: StreamKey, expectedSeq: number, events: readonly NewEvent[]) {
    this.appends++;
    if (this.down || this.failNext > 0) { this.failNext = Math.max(0, this.failNext - 1); throw new LinliError(EngineError.JOURNAL_UNAVAILABLE); }
    const out = await this.inner.append(k, expectedSeq, events);
    if (this.loseAckNext > 0) { this.loseAckNext--; throw new LinliError(EngineError.JOURNAL_UNAVAILABLE); }
    return out;
  }
  async read(k: StreamKey, afterSeq?: number, limit?: number) { if (this.down) throw new LinliError(EngineError.JOURNAL_UNAVAILABLE); return this.inner.read(k, afterSeq, limit); }
  lastSeq(k: StreamKey) { return this.inner.lastSeq(k); }
  streams(c: string) { return this.inner.streams(c); }
  async close() {}
}

async function host(journal: Journal, extra: Partial<ConstructorParameters<typeof ActorHost>[4]> = {}) {
  const metrics = new Metrics();
  const h = new ActorHost(counter, key, journal, new MemoryBus(log, metrics), { mailboxSize: 1000, log, metrics, retryMs: 500, ...extra });
  const activation = await h.activate();
  return { h, metrics, activation };
}

test('actor host idempotency: one command sent ten times at once → appended once, every answer carries the same seq', async () => {
  const journal = new MemoryJournal();
  const { h } = await host(journal);
  const outs = await Promise.all(Array.from({ length: 10 }, () => h.submit({ type: 'Add', by: 5, at: 1 }, { author: 'acct-1', key: 'ballot-1' })));
  assert.equal((await journal.read(key)).length, 1);
  assert.ok(outs.every((o) => o.ok && o.records?.[0].seq === 1));
  assert.equal(outs.filter((o) => o.duplicate).length, 9);
  assert.equal(h.state.total, 5);
});

test('actor host idempotency: the same key from another author → a separate command', async () => {
  const { h } = await host(new MemoryJournal());
  await h.submit({ type: 'Add', by: 1, at: 1 }, { author: 'acct-1', key: 'k' });
  const other = await h.submit({ type: 'Add', by: 1, at: 2 }, { author: 'acct-2', key: 'k' });
  assert.equal(other.duplicate, undefined);
  assert.equal(h.state.total, 2);
});

test('actor host idempotency: a key committed before a restart → still recognised by the next copy', async () => {
  const journal = new MemoryJournal();
  const a = await host(journal);
  await a.h.submit({ type: 'Add', by: 3, at: 1 }, { author: 'acct-1', key: 'k1' });
  const b = await host(journal);
  const again = await b.h.submit({ type: 'Add', by: 3, at: 9 }, { author: 'acct-1', key: 'k1' });
  assert.equal(again.duplicate, true);
  assert.equal(b.h.state.total, 3);
  assert.equal(await journal.lastSeq(key), 1);
});

test('actor host idempotency: a refused command sent again → decided again (refusals are not remembered)', async () => {
  const { h } = await host(new MemoryJournal());
  const first = await h.submit({ type: 'Add', by: 0, at: 1 }, { author: 'a', key: 'k' });
  const second = await h.submit({ type: 'Add', by: 0, at: 2 }, { author: 'a', key: 'k' });
  assert.equal(!first.ok && first.code, 'COUNTER_NOT_POSITIVE');
  assert.equal(!second.ok && second.code, 'COUNTER_NOT_POSITIVE');
});

test('actor host group commit: 200 commands at once → far fewer appends than commands, seqs 1..200 in arrival order', async () => {
  const journal = new FlakyJournal();
  const { h } = await host(journal);
  const outs = await Promise.all(Array.from({ length: 200 }, (_, i) => h.submit({ type: 'Add', by: 1, at: i })));
  assert.deepEqual(outs.map((o) => o.records?.[0].seq), Array.from({ length: 200 }, (_, i) => i + 1));
  assert.ok(journal.appends <= 10, `${journal.appends} appends`);
  assert.equal(h.state.total, 200);
});

test('actor host snapshots: every 10 events → a new copy starts from the snapshot and replays only the tail, to the same state', async () => {
  const journal = new MemoryJournal();
  const snapshots = new MemorySnapshotStore();
  const a = await host(journal, { snapshots, snapshotEveryEvents: 10 });
  for (let i = 1; i <= 25; i++) await a.h.submit({ type: 'Add', by: i, at: i }, { author: 'a', key: `k${i}` });
  await a.h.close();
  const b = await host(journal, { snapshots, snapshotEveryEvents: 10 });
  assert.equal(b.activation.fromSnapshot, 25); // close() stored the last one
  assert.equal(b.activation.replayed, 0);
  assert.deepEqual(b.h.state, a.h.state);
  assert.equal((await b.h.submit({ type: 'Add', by: 1, at: 99 }, { author: 'a', key: 'k7' })).duplicate, true);
  const full = await host(journal); // no snapshot store: full replay
  assert.equal(full.activation.replayed, 25);
  assert.deepEqual(full.h.state, a.h.state);
});

test('actor host snapshots: a snapshot of another version → ignored, the journal is replayed', async () => {
  const journal = new MemoryJournal();
  const snapshots = new MemorySnapshotStore();
  const a = await host(journal, { snapshots });
  await a.h.submit({ type: 'Add', by: 4, at: 1 });
  await a.h.close();
  const stale = await snapshots.load(key);
  await snapshots.save(key, { ...stale!, version: 99, state: { total: -1, notes: [] } });
  const b = await host(journal, { snapshots });
  assert.equal(b.activation.fromSnapshot, 0);
  assert.equal(b.h.state.total, 4);
});

test('actor host upcasting: v1 events in the journal → replayed through the upcaster into the v2 shape', async () => {
  const journal = new MemoryJournal();
  await journal.append(key, 0, [{ type: 'Added', v: 1, at: 1, author: 'a', key: null, event: { type: 'Added', v: 1, by: 7, at: 1 } }]);
  const { h } = await host(journal);
  assert.deepEqual(h.state, { total: 7, notes: ['+7'] });
});

test('actor host fencing: two copies of one actor → the second writer is fenced, told so, and refuses every later command', async () => {
  const journal = new MemoryJournal();
  const a = await host(journal);
  const b = await host(journal);
  let told = 0;
  b.h.onFenced(() => told++);
  assert.ok((await a.h.submit({ type: 'Add', by: 1, at: 1 })).ok);
  const lost = await b.h.submit({ type: 'Add', by: 100, at: 2 });
  assert.equal(!lost.ok && lost.code, EngineError.ACTOR_FENCED);
  assert.equal(told, 1);
  const later = await b.h.submit({ type: 'Add', by: 1, at: 3 });
  assert.equal(!later.ok && later.code, EngineError.ACTOR_FENCED);
  assert.ok((await a.h.submit({ type: 'Add', by: 1, at: 4 })).ok);
  assert.deepEqual((await journal.read(key)).map((r) => (r.event as Added).by), [1, 1]);
});

test('actor host journal away: appends that fail briefly → retried, answered ok once the journal is back', async () => {
  const journal = new FlakyJournal();
  journal.failNext = 2;
  const { h, metrics } = await host(journal);
  const out = await h.submit({ type: 'Add', by: 2, at: 1 }, { author: 'a', key: 'k' });
  assert.ok(out.ok);
  assert.equal(await journal.lastSeq(key), 1);
  assert.equal(metrics.total('actor_commit_retries_total'), 2);
});

test('actor host journal away: a commit that landed but lost its acknowledgement → recognised, answered ok, stored once', async () => {
  const journal = new FlakyJournal();
  journal.loseAckNext = 1;
  const { h } = await host(journal);
  const out = await h.submit({ type: 'Add', by: 2, at: 1 }, { author: 'a', key: 'k' });
  assert.ok(out.ok);
  assert.equal(out.records?.[0].seq, 1);
  assert.equal(await journal.lastSeq(key), 1);
  const next = await h.submit({ type: 'Add', by: 1, at: 2 });
  assert.equal(next.records?.[0].seq, 2);
  assert.equal(h.state.total, 3);
});

test('actor host journal away: longer than retryMs → every waiting command is told ENGINE_JOURNAL_UNAVAILABLE; the actor carries on when it is back', async () => {
  const journal = new FlakyJournal();
  const { h } = await host(journal, { retryMs: 200 });
  journal.down = true;
  const outs = await Promise.all([1, 2, 3].map((i) => h.submit({ type: 'Add', by: i, at: i }, { author: 'a', key: `k${i}` })));
  assert.ok(outs.every((o) => !o.ok && o.code === EngineError.JOURNAL_UNAVAILABLE));
  assert.equal(h.state.total, 0);
  journal.down = false;
  const retried = await h.submit({ type: 'Add', by: 1, at: 1 }, { author: 'a', key: 'k1' });
  assert.ok(retried.ok);
  assert.equal(h.state.total, 1);
  assert.equal(await journal.lastSeq(key), 1);
});

test('actor host mailbox: more waiting commands than the mailbox holds → ENGINE_ACTOR_BUSY for the excess, nothing lost', async () => {
  const journal = new MemoryJournal();
  const { h } = await host(journal, { mailboxSize: 5 });
  const outs = await Promise.all(Array.from({ length: 12 }, (_, i) => h.submit({ type: 'Add', by: 1, at: i })));
  const busy = outs.filter((o) => !o.ok && o.code === EngineError.ACTOR_BUSY).length;
  assert.ok(busy > 0);
  assert.equal(await journal.lastSeq(key), 12 - busy);
  assert.equal(h.state.total, 12 - busy);
});

test('actor host shared: two copies of a shared actor write in turn and at once → no fence; each folds the other\'s commits, a lost race is decided again', async () => {
  const journal = new MemoryJournal();
  const a = await host(journal, { shared: true });
  const b = await host(journal, { shared: true });
  for (let i = 0; i < 5; i++) {
    assert.ok((await a.h.submit({ type: 'Add', by: 1, at: i })).ok);
    assert.ok((await b.h.submit({ type: 'Add', by: 10, at: i })).ok);
  }
  assert.equal(b.h.state.total, 55, 'each batch starts from everything the other committed');
  const raced = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).h.submit({ type: 'Add', by: 100, at: 100 + i })));
  assert.ok(raced.every((o) => o.ok));
  assert.equal(a.h.isFenced || b.h.isFenced, false);
  assert.equal(await journal.lastSeq(key), 20);
  await b.h.refresh();
  assert.equal(b.h.state.total, 1055);
  assert.ok(a.metrics.total('actor_shared_conflicts_total') + b.metrics.total('actor_shared_conflicts_total') >= 1, 'the race was real');
});

test('actor host shared: another copy wrote → sync() folds it before anything else', async () => {
  const journal = new MemoryJournal();
  const a = await host(journal, { shared: true });
  const b = await host(journal, { shared: true });
  await a.h.submit({ type: 'Add', by: 7, at: 1 });
  b.h.sync();
  await b.h.submit({ type: 'Add', by: 0, at: 2 }); // refused, but only after the sync ran
  assert.equal(b.h.state.total, 7);
});

test('actor host ownership: the lease lapsed (mayWrite false) → ACTOR_FENCED, nothing appended', async () => {
  const journal = new MemoryJournal();
  let leased = true;
  const { h } = await host(journal, { mayWrite: () => leased });
  assert.ok((await h.submit({ type: 'Add', by: 1, at: 1 })).ok);
  leased = false;
  const out = await h.submit({ type: 'Add', by: 1, at: 2 });
  assert.equal(!out.ok && out.code, EngineError.ACTOR_FENCED);
  assert.equal(await journal.lastSeq(key), 1);
});

test('actor host ownership: a new owner claims on activation → the old owner\'s next append is refused; the claim changes no state', async () => {
  const journal = new MemoryJournal();
  const old = await host(journal, { claim: { owner: 'node-a', epoch: 1 } });
  await old.h.submit({ type: 'Add', by: 2, at: 1 });
  const next = await host(journal, { claim: { owner: 'node-b', epoch: 2 } });
  assert.equal(next.h.state.total, 2);
  const late = await old.h.submit({ type: 'Add', by: 100, at: 2 });
  assert.equal(!late.ok && late.code, EngineError.ACTOR_FENCED);
  assert.deepEqual((await journal.read(key)).map((r) => r.type), ['$OwnerClaimed', 'Added', '$OwnerClaimed']);
  const replayed = await host(journal);
  assert.deepEqual(replayed.h.state, { total: 2, notes: ['+2'] });
});

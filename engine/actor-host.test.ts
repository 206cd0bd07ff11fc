/**
 * The actor host's fan-out: committed records go on the bus as they are, redacted, or not at all,
 * as the actor's `publish` option says; the journal always gets the whole record.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accept, defineActor } from '../actors/_kit/index.ts';
import { ActorHost } from './actor-host.ts';
import { MemoryBus } from './bus/memory.ts';
import { decodeJson } from './bus/contract.ts';
import { MemoryJournal } from './journal/memory.ts';
import type { JournalRecord } from './journal/record.ts';
import { createLogger } from './log.ts';
import { Metrics } from './metrics.ts';

type E = { type: 'Said'; v: 1; secret: string; at: number };
const echo = defineActor({ type: 'echo', initial: 0, decide: (_s: number, c: { secret: string; at: number }) => accept<E>({ type: 'Said', v: 1, secret: c.secret, at: c.at }), evolve: (s: number) => s + 1 });

async function run(publish?: (r: JournalRecord) => JournalRecord | null) {
  const log = createLogger('silent');
  const metrics = new Metrics();
  const bus = new MemoryBus(log, metrics);
  const journal = new MemoryJournal();
  const seen: unknown[] = [];
  bus.subscribe('nb.c.room.>', (m) => seen.push(decodeJson(m.data)));
  const host = new ActorHost(echo, { community: 'c', kind: 'echo', actorId: 'a' }, journal, bus, { mailboxSize: 8, log, metrics, publish });
  await host.activate();
  await host.submit({ secret: 's3cret', at: 1 });
  await bus.flush();
  return { seen, journaled: await journal.read({ community: 'c', kind: 'echo', actorId: 'a' }, 0) };
}

test('actor host publish: default → the whole record on the bus', async () => {
  const { seen } = await run();
  assert.equal((seen[0] as JournalRecord & { event: E }).event.secret, 's3cret');
});

test('actor host publish: a redacting projection → the bus gets the redacted record, the journal the whole one', async () => {
  const { seen, journaled } = await run((r) => ({ ...r, event: { ...(r.event as E), secret: '' } }));
  assert.equal((seen[0] as JournalRecord & { event: E }).event.secret, '');
  assert.equal((journaled[0].event as E).secret, 's3cret');
});

test('actor host publish: null → nothing on the bus, still journaled', async () => {
  const { seen, journaled } = await run(() => null);
  assert.deepEqual(seen, []);
  assert.equal(journaled.length, 1);
});

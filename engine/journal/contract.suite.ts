/**
 * @module engine/journal/contract.suite
 * Behaviour every Journal implementation must show. journal.test.ts runs it against memory and
 * the embedded file journal, jetstream.int.test.ts against JetStream on a real NATS server.
 * `open()` gives a new handle on the SAME store each time it is called (a second process, in
 * effect); `durable` stores must also give back what was written after close().
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Journal, NewEvent, StreamKey } from './contract.ts';
import { EngineError } from '../errors.ts';

export interface JournalHarness {
  readonly name: string;
  readonly durable: boolean;
  /** A fresh community id for one test, so tests never share streams. */
  community(): string;
  open(): Promise<Journal>;
}

const ev = (type: string, n: number, author = 'acct-1', key: string | null = null): NewEvent => ({ type, v: 1, at: 1_700_000_000_000 + n, author, key, event: { type, v: 1, n } });
const isCode = (code: string) => (e: unknown) => (e as { code?: string }).code === code;

export function journalContractSuite(h: JournalHarness): void {
  const key = (community = h.community(), actorId = 'bldg-1'): StreamKey => ({ community, kind: 'building', actorId });

  test(`${h.name} journal: appends in order → gap-free seqs from 1, read and lastSeq see them`, async () => {
    const j = await h.open();
    const k = key();
    const a = await j.append(k, 0, [ev('A', 1), ev('B', 2)]);
    const b = await j.append(k, 2, [ev('C', 3)]);
    assert.deepEqual([...a, ...b].map((r) => r.seq), [1, 2, 3]);
    assert.deepEqual((await j.read(k)).map((r) => r.type), ['A', 'B', 'C']);
    assert.deepEqual((await j.read(k, 2)).map((r) => r.type), ['C']);
    assert.deepEqual((await j.read(k, 0, 2)).map((r) => r.seq), [1, 2]);
    assert.deepEqual(await j.read(k, 3), []);
    assert.equal(await j.lastSeq(k), 3);
    await j.close();
  });

  test(`${h.name} journal: the envelope → actor, seq, type, version, time, author and key come back as written`, async () => {
    const j = await h.open();
    const k = key();
    await j.append(k, 0, [{ type: 'ChatPosted', v: 2, at: 1_700_000_000_123, author: 'acct-7', key: 'k-1', event: { type: 'ChatPosted', v: 2, text: '楼上漏水了' } }]);
    const [r] = await j.read(k);
    assert.deepEqual(r, { community: k.community, kind: 'building', actorId: 'bldg-1', seq: 1, type: 'ChatPosted', v: 2, at: 1_700_000_000_123, author: 'acct-7', key: 'k-1', event: { type: 'ChatPosted', v: 2, text: '楼上漏水了' } });
    await j.close();
  });

  test(`${h.name} journal: stale expectedSeq → ENGINE_JOURNAL_CONFLICT, nothing written`, async () => {
    const j = await h.open();
    const k = key();
    await j.append(k, 0, [ev('A', 1)]);
    await assert.rejects(j.append(k, 0, [ev('X', 2)]), isCode(EngineError.JOURNAL_CONFLICT));
    await assert.rejects(j.append(k, 5, [ev('X', 2)]), isCode(EngineError.JOURNAL_CONFLICT));
    assert.deepEqual((await j.read(k)).map((r) => r.type), ['A']);
    await j.close();
  });

  test(`${h.name} journal: two appends racing on one expectedSeq → exactly one lands`, async () => {
    const j = await h.open();
    const k = key();
    const results = await Promise.allSettled([j.append(k, 0, [ev('A', 1)]), j.append(k, 0, [ev('B', 2)]), j.append(k, 0, [ev('C', 3)])]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code: string }).code, EngineError.JOURNAL_CONFLICT);
    assert.equal((await j.read(k)).length, 1);
    await j.close();
  });

  test(`${h.name} journal: two handles (two processes) on one stream → the one that missed a write is refused`, async () => {
    const community = h.community();
    const a = await h.open();
    const b = await h.open();
    const k = key(community);
    await a.append(k, 0, [ev('A', 1)]);
    assert.equal(await b.lastSeq(k), 1);
    await a.append(k, 1, [ev('A', 2)]);
    await assert.rejects(b.append(k, 1, [ev('B', 2)]), isCode(EngineError.JOURNAL_CONFLICT));
    assert.equal(await b.lastSeq(k), 2);
    await b.append(k, 2, [ev('B', 3)]);
    await assert.rejects(a.append(k, 2, [ev('A', 3)]), isCode(EngineError.JOURNAL_CONFLICT));
    assert.deepEqual((await a.read(k)).map((r) => r.type), ['A', 'A', 'B']);
    await a.close();
    await b.close();
  });

  test(`${h.name} journal: streams are independent → seqs per stream, streams() lists those with records`, async () => {
    const j = await h.open();
    const community = h.community();
    await j.append(key(community, 'bldg-1'), 0, [ev('A', 1)]);
    const r = await j.append(key(community, 'bldg-2'), 0, [ev('A', 1), ev('B', 2)]);
    assert.equal(r[0].seq, 1);
    const listed = (await j.streams(community)).map((s) => `${s.kind}/${s.actorId}`).sort();
    assert.deepEqual(listed, ['building/bldg-1', 'building/bldg-2']);
    await j.close();
  });

  test(`${h.name} journal: 1,500 commits → paging with afterSeq and limit walks them in order`, async () => {
    const j = await h.open();
    const k = key();
    for (let i = 0; i < 500; i++) await j.append(k, i * 3, [ev('A', 3 * i + 1), ev('B', 3 * i + 2), ev('C', 3 * i + 3)]);
    assert.equal(await j.lastSeq(k), 1500);
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const page = await j.read(k, after, 97);
      if (page.length === 0) break;
      seen.push(...page.map((r) => r.seq));
      after = page[page.length - 1].seq;
    }
    assert.deepEqual(seen, Array.from({ length: 1500 }, (_, i) => i + 1));
    assert.deepEqual((await j.read(k, 1000, 3)).map((r) => r.seq), [1001, 1002, 1003]);
    await j.close();
  });

  if (h.durable) {
    test(`${h.name} journal: closed and opened again → every record is still there and appends go on`, async () => {
      const k = key();
      const a = await h.open();
      await a.append(k, 0, [ev('A', 1, 'acct-1', 'k1'), ev('B', 2, 'acct-1', 'k1')]);
      await a.close();
      const b = await h.open();
      assert.deepEqual((await b.read(k)).map((r) => [r.seq, r.type, r.key]), [[1, 'A', 'k1'], [2, 'B', 'k1']]);
      await b.append(k, 2, [ev('C', 3)]);
      assert.equal(await b.lastSeq(k), 3);
      await b.close();
    });
  }
}

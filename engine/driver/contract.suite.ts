/**
 * @module engine/driver/contract.suite
 * The behaviour every matchmaking driver (room cache) must show, written against Colyseus's
 * LocalDriver as the reference (driver.test.ts) and run unchanged against NatsDriver on a real
 * NATS (driver.int.test.ts). Results are read back through query/findOne, never by identity:
 * LocalDriver hands out its own objects, the NATS driver copies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { initializeRoomCache, type IRoomCache, type MatchMakerDriver } from '@colyseus/core';

export interface DriverUnderTest {
  readonly driver: MatchMakerDriver;
  close(): Promise<void>;
}

export function listing(fields: Partial<IRoomCache>): IRoomCache {
  return initializeRoomCache({ roomId: randomUUID().slice(0, 9), processId: 'proc-a', name: 'building', maxClients: 10, ...fields });
}

export function driverContractSuite(name: string, make: () => Promise<DriverUnderTest>): void {
  const run = (title: string, body: (d: MatchMakerDriver) => Promise<void>) =>
    test(`${name} driver: ${title}`, async () => {
      const u = await make();
      try {
        await u.driver.boot?.();
        await u.driver.clear();
        await body(u.driver);
      } finally {
        await u.close();
      }
    });

  run('insert → found by id, name and has(); the same roomId again → false', async (d) => {
    const room = listing({ name: 'lot', clients: 2 });
    assert.equal(await d.insert!(room), true);
    assert.equal(await d.insert!(listing({ roomId: room.roomId, name: 'other' })), false);
    assert.equal(await d.has(room.roomId), true);
    assert.equal(await d.has('no-such-room'), false);
    assert.equal((await d.findOne({ roomId: room.roomId })).name, 'lot');
    assert.deepEqual((await d.query({ name: 'lot' })).map((r) => [r.roomId, r.clients]), [[room.roomId, 2]]);
    const byIds = await d.findByIds([room.roomId, 'missing']);
    assert.deepEqual([...byIds.keys()], [room.roomId]);
  });

  run('query → filters on listing and metadata fields; a field on neither never matches', async (d) => {
    await d.persist(listing({ roomId: 'r1', clients: 1, locked: false, metadata: { building: 'b1', floor: 3 } }), true);
    await d.persist(listing({ roomId: 'r2', clients: 2, locked: true, metadata: { building: 'b1', floor: 5 } }), true);
    await d.persist(listing({ roomId: 'r3', clients: 3, locked: false, name: 'group', metadata: { building: 'b2' } }), true);
    const ids = async (c: Record<string, unknown>) => (await d.query(c as never)).map((r) => r.roomId).sort();
    assert.deepEqual(await ids({}), ['r1', 'r2', 'r3']);
    assert.deepEqual(await ids({ name: 'building', locked: false }), ['r1']);
    assert.deepEqual(await ids({ building: 'b1' }), ['r1', 'r2']);
    assert.deepEqual(await ids({ floor: 5, locked: true }), ['r2']);
    assert.deepEqual(await ids({ wing: 'east' }), []);
    assert.equal(await d.findOne({ name: 'nobody' }), undefined);
  });

  run('query with sort → ascending and descending by a field, then by a metadata field', async (d) => {
    for (const [id, clients, floor] of [['a', 5, 1], ['b', 3, 9], ['c', 8, 4], ['d', 3, 2]] as const) {
      await d.persist(listing({ roomId: id, clients, metadata: { floor } }), true);
    }
    const order = async (s: Record<string, 1 | -1 | 'asc' | 'desc'>) => (await d.query({}, s)).map((r) => r.roomId);
    assert.deepEqual(await order({ clients: 1, floor: 1 }), ['d', 'b', 'a', 'c']);
    assert.deepEqual(await order({ clients: 'desc', floor: 'desc' }), ['c', 'a', 'b', 'd']);
    assert.equal((await d.findOne({}, { floor: -1 })).roomId, 'b');
  });

  run('update with $set and $inc → the caller\'s listing and the stored one both change', async (d) => {
    const room = listing({ clients: 0 });
    await d.insert!(room);
    await d.update(room, { $inc: { clients: 1 }, $set: { locked: true } });
    await d.update(room, { $inc: { clients: 2 } });
    assert.deepEqual([room.clients, room.locked], [3, true]);
    const stored = await d.findOne({ roomId: room.roomId });
    assert.deepEqual([stored.clients, stored.locked], [3, true]);
    assert.deepEqual((await d.query({ locked: true })).map((r) => r.roomId), [room.roomId]);
  });

  run('persist an existing listing with new metadata → queries see the new metadata', async (d) => {
    const room = listing({ metadata: { topic: 'old' } });
    await d.persist(room, true);
    room.metadata = { topic: 'new' };
    await d.persist(room);
    assert.deepEqual((await d.query({ topic: 'new' })).map((r) => r.roomId), [room.roomId]);
    assert.deepEqual(await d.query({ topic: 'old' }), []);
  });

  run('remove → gone from every lookup; removing again → false', async (d) => {
    const room = listing({});
    await d.insert!(room);
    assert.equal(await d.remove(room.roomId), true);
    assert.equal(await d.remove(room.roomId), false);
    assert.equal(await d.has(room.roomId), false);
    assert.equal(await d.findOne({ roomId: room.roomId }), undefined);
    assert.deepEqual(await d.query({}), []);
  });

  run('cleanup(processId) → that process\'s listings go, the others stay', async (d) => {
    for (let i = 0; i < 30; i++) {
      await d.persist(listing({ roomId: `a${i}`, processId: 'dead' }), true);
      await d.persist(listing({ roomId: `b${i}`, processId: 'alive' }), true);
    }
    await d.cleanup!('dead');
    assert.equal((await d.query({ processId: 'dead' })).length, 0);
    assert.equal((await d.query({ processId: 'alive' })).length, 30);
  });

  run('clear → nothing listed', async (d) => {
    await d.persist(listing({}), true);
    await d.persist(listing({}), true);
    await d.clear();
    assert.deepEqual(await d.query({}), []);
  });
}

/**
 * The server bootstrap's choice of presence and driver: with NATS_URL the community server's
 * Colyseus runs on the NATS presence and room cache (its listings visible to any other node of
 * the cluster, and a client's join counted there), without it on Colyseus's local ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'nats';
import { matchMaker } from '@colyseus/core';
import { startTestServer, TestResident } from '../testing/test-server.ts';
import { natsAvailable, testNatsUrl } from '../testing/nats.ts';
import { untilAsync } from '../testing/until.ts';
import { NatsDriver } from '../driver/nats.ts';
import { LocalDriver } from '../driver/memory.ts';
import { communityNames } from './keys.ts';
import { LocalPresence } from './memory.ts';
import { NatsPresence } from './nats.ts';

const url = testNatsUrl();
const available = await natsAvailable(url);

test('community server: NATS_URL set → Colyseus matchmakes on the NATS presence and room cache, seen from another node', { skip: available ? false : `no NATS server at ${url}` }, async () => {
  const clusterName = `t${randomUUID().slice(0, 8)}`;
  const srv = await startTestServer({ natsUrl: url, clusterName });
  const nc = await connect({ servers: url });
  const other = await NatsDriver.create({ connection: nc, namespace: communityNames(srv.community.id, clusterName).namespace });
  try {
    assert.ok(matchMaker.presence instanceof NatsPresence, 'presence is the NATS one');
    assert.ok(matchMaker.driver instanceof NatsDriver, 'driver is the NATS one');
    const listed = await other.query({});
    assert.equal(listed.length, srv.report.rooms, 'every room of the node is listed in the shared cache');
    const lot = srv.community.lots[0];
    const resident = await TestResident.join(srv, lot.id, { name: 'driver' });
    const seen = await untilAsync('the join counted in the shared listing', async () => ((await other.findOne({ roomId: lot.id }))?.clients === 1 ? other.findOne({ roomId: lot.id }) : null));
    assert.equal(seen.processId, matchMaker.processId, 'listed as hosted by the server\'s process');
    await resident.leave();
  } finally {
    await other.shutdown();
    await srv.close();
  }
  const jsm = await nc.jetstreamManager();
  const names = (await jsm.streams.names().next()).filter((n) => n.includes(clusterName));
  await nc.close();
  assert.deepEqual(names, [], 'the test cluster\'s buckets are deleted at close');
});

test('community server: no NATS_URL → Colyseus keeps its LocalPresence and LocalDriver', async () => {
  const srv = await startTestServer();
  try {
    assert.ok(matchMaker.presence instanceof LocalPresence);
    assert.ok(matchMaker.driver instanceof LocalDriver);
  } finally {
    await srv.close();
  }
});

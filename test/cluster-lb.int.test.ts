/**
 * Process routing behind one load balancer: two cluster nodes announce the balancer's address
 * with a path each (`PUBLIC_ADDRESS=<lb>/<node>`); a client that only knows the balancer
 * matchmakes on whichever node the balancer picks and its WebSocket reaches the node that hosts
 * its room through the balancer's per-node route (engine/testing/path-proxy.ts stands in for
 * nginx or HAProxy).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { accountFor } from '../engine/testing/accounts.ts';
import { startTestCluster, type TestCluster } from '../engine/testing/cluster.ts';
import { natsServerAvailable } from '../engine/testing/nats-server.ts';
import { startPathProxy, type PathProxy } from '../engine/testing/path-proxy.ts';
import { TestResident } from '../engine/testing/test-server.ts';
import { roomsToCreate } from '../rooms/registry.ts';

const skip = natsServerAvailable() ? false : 'no /usr/sbin/nats-server';
let lb: PathProxy | null = null;
let cluster: TestCluster | null = null;
after(async () => { await cluster?.stop(); await lb?.close(); });

test('cluster routing: a client that knows only the load balancer reaches rooms hosted on either node, through the node\'s path on the balancer', { skip, timeout: 180_000 }, async () => {
  lb = await startPathProxy();
  const proxy = lb;
  cluster = await startTestCluster(2, {}, (node) => {
    proxy.nodes.set(node.id, node.port);
    return `127.0.0.1:${proxy.port}/${node.id}`;
  });
  const community = cluster.nodes[0]!.proc.community;
  const where = await cluster.settled(roomsToCreate(community).length);
  // The client's whole view of the cluster: the balancer's URL.
  const viaLb = { ...cluster.nodes[0]!.proc, url: `http://127.0.0.1:${proxy.port}` };
  const byNode = new Map<string, string>();
  for (const b of community.buildings.filter((x) => x.residential)) if (!byNode.has(where.get(b.id)!)) byNode.set(where.get(b.id)!, b.id);
  assert.equal(byNode.size, 2, 'both nodes host a building');
  for (const [node, building] of byNode) {
    const before = proxy.routed.byPrefix.get(node) ?? 0;
    const a = await accountFor(viaLb, `经负载均衡-${node}`, 'owner', building);
    const r = await TestResident.join(viaLb, building, { token: a.accessToken });
    await r.waitFor('welcome');
    r.send('chat', { text: `经 ${node}`, key: `lb-${node}` });
    await r.waitFor('ack', (m) => m.key === `lb-${node}`);
    assert.ok((proxy.routed.byPrefix.get(node) ?? 0) > before, `the WebSocket went through /${node}/ on the balancer`);
    await r.leave();
  }
  assert.ok(proxy.routed.roundRobin > 0, 'HTTP and matchmaking went to any node');
});

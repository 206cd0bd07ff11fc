/**
 * Integration test of group polls with the official Colyseus SDK: one account, one answer,
 * whatever it owns (an owner of two units counts once), counts pushed to every member.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommunityServer } from '../../engine/community-server.ts';
import { adminOf, api, signUp, unitIn } from '../../engine/testing/accounts.ts';
import { startTestServer, TestResident } from '../../engine/testing/test-server.ts';

let srv: CommunityServer;
const open: TestResident[] = [];
before(async () => { srv = await startTestServer({ analyticsEnabled: false }); });
after(async () => {
  for (const r of open) await r.leave();
  await srv?.close();
});

test('group poll: an owner of two units and a neighbour answer → counts [1, 1]; the owner again with another choice → GROUP_POLL_ANSWERED', async () => {
  const b = srv.community.buildings.filter((x) => x.residential)[0].id;
  const group = srv.community.groups[0].id;
  const owner = await signUp(srv, '两套房业主', 'owner', unitIn(b, '201'));
  const admin = await adminOf(srv);
  const invite = await api(srv, '/api/directory/invites', { unitId: unitIn(b, '202'), role: 'owner' }, admin.accessToken);
  assert.equal((await api(srv, '/api/me/redeem', { code: invite.json.code }, owner.accessToken)).status, 200);
  const neighbour = await signUp(srv, '邻居', 'family', unitIn(b, '102'));
  const o = await TestResident.join(srv, group, { token: owner.accessToken });
  const n = await TestResident.join(srv, group, { token: neighbour.accessToken });
  open.push(o, n);
  await Promise.all([o.waitFor('welcome'), n.waitFor('welcome')]);
  o.send('poll', { key: 'p1', question: '周六去香山吗？', options: ['去', '不去'], capacity: null, closesAt: Date.now() + 3_600_000 });
  const { pollId } = await o.waitFor('ack', (a) => a.key === 'p1');
  o.send('answer', { key: 'a1', pollId, choice: 0 });
  o.send('answer', { key: 'a2', pollId, choice: 0 });
  n.send('answer', { key: 'a3', pollId, choice: 1 });
  const seen = await n.waitFor('poll', (p) => p.pollId === pollId && p.total === 2);
  assert.deepEqual(seen.counts, [1, 1]);
  assert.equal(seen.mine, 1);
  o.send('answer', { key: 'a4', pollId, choice: 1 });
  assert.equal((await o.waitFor('error', (e) => e.key === 'a4')).code, 'GROUP_POLL_ANSWERED');
});

test('group poll: two polls opened at once → each ack names its own PollOpened; the same key again → the same poll and the same number', async () => {
  const b = srv.community.buildings.filter((x) => x.residential)[0].id;
  const group = srv.community.groups[0].id;
  const who = await signUp(srv, '组织者', 'owner', unitIn(b, '101'));
  const o = await TestResident.join(srv, group, { token: who.accessToken });
  open.push(o);
  await o.waitFor('welcome');
  const poll = (key: string) => o.send('poll', { key, question: `问题 ${key}`, options: ['是', '否'], capacity: null, closesAt: Date.now() + 3_600_000 });
  poll('s1');
  poll('s2');
  const [a1, a2] = await Promise.all([o.waitFor('ack', (a) => a.key === 's1'), o.waitFor('ack', (a) => a.key === 's2')]);
  const records = await srv.journal.read({ community: srv.community.id, kind: 'group', actorId: group });
  const openedBy = (key: string) => records.find((r) => r.type === 'PollOpened' && r.key === key)!.seq;
  assert.deepEqual([a1.seq, a2.seq], [openedBy('s1'), openedBy('s2')]);
  assert.notEqual(a1.seq, a2.seq);
  const n = o.of('ack').length;
  poll('s1');
  const again = (await o.waitCount('ack', n + 1))[n];
  assert.deepEqual([again.key, again.seq, again.pollId], ['s1', a1.seq, a1.pollId], 'a re-send is answered with its first outcome');
});

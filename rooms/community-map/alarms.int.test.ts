/**
 * Alarms end to end on a real server with a controllable clock (services.now; no sleeps): a
 * smoke reading raises an alarm that the guards' map shows at once, offered to the guard who came
 * on first; the unit's owner is told live in their building room and the building gets a notice
 * without the unit; unacknowledged, it escalates on the clock to the next guard, then to property
 * staff; a guard takes it, resolution needs a note; every step lands in analytics with its shift
 * and response time. An elderly resident's SOS also reaches the unit's family member.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommunityServer } from '../../engine/community-server.ts';
import { accountFor, signUp, unitIn, type TestAccount } from '../../engine/testing/accounts.ts';
import { startTestServer, TestClock, TestResident } from '../../engine/testing/test-server.ts';
import { until } from '../../engine/testing/until.ts';

const ACK_TIMEOUT_S = 30;
const clock = new TestClock();
let srv: CommunityServer;
before(async () => { srv = await startTestServer({ alarmAckTimeoutS: ACK_TIMEOUT_S }, { now: clock.now }); });
after(async () => { await srv?.close(); });

const CJK = /[\u3000-\u9fff\uff00-\uffef]/;
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const alarmsOf = (r: TestResident) => [...(r.room.state?.alarms?.values?.() ?? [])] as any[];

test('alarm: smoke in a unit → on the map at once, guard asked, owner told, building notice; escalates on the clock to the next guard and to staff; taken and resolved with a note; all in analytics', async () => {
  const building = srv.community.buildings.find((b) => b.residential && b.id === 'bldg-594889490')!;
  const unitId = unitIn(building.id, '101');
  const smoke = srv.devices.inUnit(unitId).find((d) => d.kind === 'smoke')!;
  assert.ok(smoke, `a smoke detector in ${unitId}`);
  const map = `map-${srv.community.id}`;
  const guardA = await TestResident.join(srv, map, { name: 'guard-a' });
  const guardB = await TestResident.join(srv, map, { name: 'guard-b' });
  const admin = await accountFor(srv, 'office', 'property_staff');
  const office = await TestResident.join(srv, map, { token: admin.accessToken });
  const owner = await TestResident.join(srv, building.id, { name: 'owner-101' }); // owner of unit 101 (engine/testing/accounts)
  await owner.waitFor('welcome');
  const a = await accountFor(srv, 'guard-a', 'guard');
  const b = await accountFor(srv, 'guard-b', 'guard');
  await until('both guards on duty', () => guardA.room.state?.onDuty?.length === 2, 10_000, () => guardA.room.state?.toJSON?.());
  assert.deepEqual([...guardA.room.state.onDuty], [a.accountId, b.accountId], 'in the order they came on');

  srv.bus.publish(`nb.${srv.community.id}.dev.${smoke.id}.alarm`, enc({ value: 1, at: clock.now() }));
  const shown = await until('the alarm on the map', () => alarmsOf(guardB)[0], 10_000);
  assert.deepEqual([shown.kind, shown.severity, shown.status, shown.unitId, shown.responder, shown.level], ['smoke', 'critical', 'raised', unitId, a.accountId, 0]);
  assert.ok(Math.abs(shown.lon - smoke.at[0]) < 1e-9 && Math.abs(shown.lat - smoke.at[1]) < 1e-9, 'at the device point');
  const pushA = await guardA.waitFor('alarm', (n) => n.reason === 'responder');
  assert.equal(pushA.step, 'AlarmRaised');
  const told = await owner.waitFor('alarm', (n) => n.reason === 'unit' && n.step === 'AlarmRaised');
  assert.deepEqual([told.kind, told.place.unitId], ['smoke', unitId]);
  const notice = await owner.waitFor('notice', (n) => n.author.name.includes('安防'));
  assert.match(notice.title, /烟雾报警/);
  assert.ok(!notice.body.includes('101') && !notice.title.includes('101'), 'the building notice names no unit');
  // Both languages as data, each one language only; title/body stay the combined text for old clients.
  assert.deepEqual([notice.i18n['zh-CN'].title, notice.i18n.en.title], ['烟雾报警', 'Smoke alarm']);
  assert.ok(!CJK.test(notice.i18n.en.title + notice.i18n.en.body), `English only: ${JSON.stringify(notice.i18n.en)}`);
  assert.ok(!/[A-Za-z]/.test(notice.i18n['zh-CN'].title + notice.i18n['zh-CN'].body), `Chinese only: ${JSON.stringify(notice.i18n['zh-CN'])}`);
  assert.ok(!JSON.stringify(notice.i18n).includes('101'), 'neither language names the unit');
  assert.equal(guardB.of('alarm').length, 0, 'the second guard is not asked yet');

  clock.advance(ACK_TIMEOUT_S * 1000 + 1);
  await until('escalated to the next guard', () => alarmsOf(guardA)[0]?.level === 1, 10_000, () => alarmsOf(guardA)[0]);
  assert.equal(alarmsOf(guardA)[0].responder, b.accountId);
  await guardB.waitFor('alarm', (n) => n.reason === 'responder' && n.step === 'AlarmEscalated');
  clock.advance(ACK_TIMEOUT_S * 1000 + 1);
  await until('escalated to property staff', () => alarmsOf(guardA)[0]?.responder === 'staff', 10_000, () => alarmsOf(guardA)[0]);
  await office.waitFor('alarm', (n) => n.reason === 'staff' && n.step === 'AlarmEscalated');

  const alarmId = [...guardB.room.state.alarms.keys()][0] as string;
  assert.equal(alarmId, pushA.alarmId, 'the push names the alarm on the map');
  guardB.send('alarm-take', { alarmId, key: 'take-1' });
  await guardB.waitFor('ack', (m) => m.key === 'take-1');
  await until('taken by guard B', () => alarmsOf(guardA)[0]?.takenBy === b.accountId, 10_000);
  guardA.send('alarm-take', { alarmId, key: 'take-2' });
  assert.equal((await guardA.waitFor('error', (m) => m.key === 'take-2')).code, 'ALARM_TAKEN_BY_OTHER');
  guardB.send('alarm-resolve', { alarmId, note: '   ', key: 'res-1' });
  assert.equal((await guardB.waitFor('error', (m) => m.key === 'res-1')).code, 'ALARM_NOTE_REQUIRED');
  for (const [note, key] of [['记'.repeat(501), 'res-long'], ['x'.repeat(2001), 'res-huge']] as const) {
    guardB.send('alarm-resolve', { alarmId, note, key });
    const e = await guardB.waitFor('error', (m) => m.key === key);
    assert.deepEqual([e.code, e.details?.maxChars], ['ALARM_NOTE_TOO_LONG', 500], key);
  }
  clock.advance(60_000);
  guardB.send('alarm-resolve', { alarmId, note: '厨房烧焦，已通风 / burnt food, aired', key: 'res-2' });
  await guardB.waitFor('ack', (m) => m.key === 'res-2');
  await until('resolved on the map', () => alarmsOf(guardA)[0]?.status === 'resolved', 10_000);
  assert.match(alarmsOf(guardA)[0].note, /burnt food/);
  await owner.waitFor('alarm', (n) => n.step === 'AlarmResolved' && n.reason === 'unit');
  const resolvedNotice = await owner.waitFor('notice', (n) => /已处理/.test(n.title));
  assert.equal(resolvedNotice.i18n.en.title, 'Smoke alarm resolved');
  owner.send('history', { kind: 'notice' });
  const page = await owner.waitFor('history', (h) => h.kind === 'notice');
  assert.deepEqual(page.items.filter((n: any) => n.author.id === 'system:alarms').map((n: any) => n.i18n?.en.title), ['Smoke alarm', 'Smoke alarm resolved'], 'the journal keeps both languages');
  owner.send('chat', { text: 'thanks', key: 'k1' });
  await owner.waitFor('ack', (m) => m.key === 'k1');

  await srv.ingestion!.flush();
  const steps = await srv.analytics!.query(`SELECT type, JSONExtractString(event, 'shift') AS shift FROM linli.room_events WHERE kind = 'alarm' ORDER BY seq`);
  assert.deepEqual(steps.rows.map((r) => r.type), ['AlarmRaised', 'AlarmEscalated', 'AlarmEscalated', 'AlarmAcknowledged', 'AlarmTaken', 'AlarmResolved']);
  assert.ok(steps.rows.every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:00$/.test(String(r.shift))));
  const perShift = await srv.analytics!.query(`SELECT JSONExtractString(event, 'shift') AS shift, count() AS acks, max(JSONExtractUInt(event, 'responseMs')) AS worstMs
    FROM linli.room_events WHERE kind = 'alarm' AND type = 'AlarmAcknowledged' GROUP BY shift`);
  assert.equal(perShift.rows.length, 1);
  assert.ok(Number(perShift.rows[0]!.worstMs) >= 2 * ACK_TIMEOUT_S * 1000, 'the response time counts the escalations');
  for (const r of [guardA, guardB, office, owner]) await r.leave();
});

test('alarm: an elderly resident SOS → the unit owner and the registered family member are told; a repeat press while open raises nothing new', async () => {
  const sos = srv.devices.ofKind('sos-button').find((d) => d.elderly && d.place.kind === 'unit' && /-1-10[12]$/.test(d.place.unitId))!;
  assert.ok(sos, 'an SOS button in a unit the test register has');
  const unitId = sos.place.kind === 'unit' ? sos.place.unitId : '';
  const buildingId = sos.place.kind === 'unit' ? sos.place.buildingId : '';
  const family: TestAccount = await signUp(srv, 'daughter', 'family', unitId);
  const elderOwner: TestAccount = await signUp(srv, 'elder', 'owner', unitId);
  const daughter = await TestResident.join(srv, buildingId, { token: family.accessToken });
  const elder = await TestResident.join(srv, buildingId, { token: elderOwner.accessToken });
  await daughter.waitFor('welcome');
  await elder.waitFor('welcome');
  srv.bus.publish(`nb.${srv.community.id}.dev.${sos.id}.press`, enc({ press: 'long' }));
  const n = await daughter.waitFor('alarm', (m) => m.kind === 'sos');
  assert.deepEqual([n.reason, n.severity, n.place.unitId], ['family', 'critical', unitId]);
  await elder.waitFor('alarm', (m) => m.kind === 'sos' && m.reason === 'unit');
  srv.bus.publish(`nb.${srv.community.id}.dev.${sos.id}.press`, enc({ press: 'single' }));
  await until('the repeat refused as already open', () => srv.metrics.get('alarm_commands_refused_total', { type: 'RaiseAlarm', code: 'ALARM_ALREADY_OPEN' }) === 1, 10_000);
  assert.equal(daughter.of('alarm').filter((m) => m.step === 'AlarmRaised').length, 1);
  await daughter.leave();
  await elder.leave();
});

/**
 * @module bench/votes/linli-server
 * The Linli side of the vote burst benchmark: a full community server (analytics on, replay off)
 * with BENCH_OWNERS units in its register and one verified owner account per unit (made through
 * the directory and identity services in process: invite issued, invite redeemed, password hashed),
 * a community-wide open-ballot motion opened by a property admin through the SDK, and the
 * event-loop monitor. Prints the ready line with the owners' access tokens and the vote id.
 * VOTE_PATCH_INTERVAL_MS is read through engine/config's loadConfig, the one env reader.
 */
import { rmSync } from 'node:fs';
import { Client } from '@colyseus/sdk';
import { journalKind, loadConfig, testConfig } from '../../engine/config.ts';
import { startCommunityServer } from '../../engine/community-server.ts';
import { newInviteCode } from '../../engine/auth/secrets.ts';
import { adminOf, TEST_PASSWORD } from '../../engine/testing/accounts.ts';
import { commonsRoomId } from '../../rooms/commons/commons.room.ts';
import { allSamples, runServerChild } from '../chat/server-child.ts';
import { loopMonitor } from './loop-monitor.ts';

const loop = loopMonitor();

await runServerChild(async () => {
  const env = loadConfig(process.env);
  const config = testConfig({
    transport: env.transport, replayEnabled: false, analyticsEnabled: true, accessTokenTtlS: 86400,
    votePatchIntervalMs: env.votePatchIntervalMs, voteMailboxSize: env.voteMailboxSize, httpMaxBodyBytes: 16 * 1024 * 1024,
  });
  process.on('exit', () => rmSync(config.dataDir, { recursive: true, force: true }));
  const srv = await startCommunityServer(config);
  const owners = Number(process.env.BENCH_OWNERS ?? 10_000);
  const building = srv.community.buildings.find((b) => b.residential)!.id;
  const admin = await adminOf(srv);
  const p = await srv.identity.authenticate(admin.accessToken, null);
  const units = Array.from({ length: owners }, (_, i) => ({ buildingId: building, entrance: 'v', floor: 1 + (i % 30), room: String(i), areaM2: 60 + (i % 7) * 10.25, ownerOfRecord: null }));
  for (let i = 0; i < units.length; i += 1000) await srv.identity.direct(p, { type: 'ImportUnits', by: p.accountId, units: units.slice(i, i + 1000), at: Date.now() });
  const tokens: string[] = [];
  const caller = { ip: null, userAgent: 'bench' };
  for (let i = 0; i < owners; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, owners - i) }, async (_, j) => {
      const k = i + j;
      const code = newInviteCode();
      const at = Date.now();
      await srv.identity.direct(p, { type: 'IssueInvite', by: p.accountId, unitId: `${building}-v-${k}`, role: 'owner', codeHash: await srv.identity.hashCode(code), expiresAt: at + 3_600_000, tenancyEndsAt: null, at });
      const signed = await srv.identity.signUp({ code, phone: String(13900000000 + k), password: TEST_PASSWORD, displayName: `业主${k}` }, caller);
      return signed.accessToken;
    }));
    tokens.push(...batch);
    if (i % 2000 === 0) process.stderr.write(`bench: ${tokens.length}/${owners} owners\n`);
  }
  const roomId = commonsRoomId(srv.community.id);
  const client = new Client(srv.url);
  client.auth.token = admin.accessToken;
  const room = await client.joinById(roomId);
  const voteId = await new Promise<string>((resolve, reject) => {
    room.onMessage('ack', (a: { voteId?: string }) => a.voteId && resolve(a.voteId));
    room.onMessage('error', (e: unknown) => reject(new Error(JSON.stringify(e))));
    room.onMessage('*', () => undefined);
    room.send('openVote', { key: 'bench-vote', title: '基准测试表决', body: '', category: 'other', form: 'motion', candidates: [], maxChoices: 1, secret: false, allowChange: false, scope: { kind: 'community' }, closesAt: Date.now() + 86_400_000 });
  });
  await room.leave(true);
  return {
    ready: {
      kind: 'linli', url: srv.url, roomId, transport: srv.transport, tokens,
      notes: { voteId, owners, patchIntervalMs: config.votePatchIntervalMs, voteMailboxSize: config.voteMailboxSize, analytics: srv.report.analytics, journal: journalKind(config), journalFsync: config.journalFsync },
    },
    counters: () => ({ ...loop(), ...Object.fromEntries(Object.entries(allSamples(srv.metrics.render())).filter(([k]) => /room_|actor_mailbox|actor_commands|clients_connected/.test(k))) }),
    close: () => srv.close(),
  };
});

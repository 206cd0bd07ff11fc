/**
 * @module bench/votes/peer-uws-server
 * The peer of the vote burst benchmark: a bare uWebSockets.js server doing the same counting work
 * and nothing else: each socket is one owner (`/?head=<n>`), a ballot `{"choice":i}` is counted
 * once per head (area and head per option), and the tally is published to every socket once per
 * patch interval when it changed (uWS pub/sub), so screens get the same coalesced updates.
 * No accounts, validation beyond JSON, journal, actor, snapshot or analytics.
 */
import uWS from 'uWebSockets.js';
import { loadConfig } from '../../engine/config.ts';
import { runServerChild } from '../chat/server-child.ts';
import { loopMonitor } from './loop-monitor.ts';

const loop = loopMonitor();
const OPTIONS = 3;

await runServerChild(async () => {
  const patchMs = loadConfig(process.env).votePatchIntervalMs;
  const owners = Number(process.env.BENCH_OWNERS ?? 10_000);
  const areaOf = (head: number) => Math.round((60 + (head % 7) * 10.25) * 100);
  const voted = new Uint8Array(owners);
  const tally = { turnoutHeads: 0, turnoutAreaCenti: 0, optionHeads: [0, 0, 0], optionAreaCenti: [0, 0, 0] };
  let dirty = false;
  let counted = 0;
  const app = uWS.App().ws<{ head: number }>('/*', {
    maxPayloadLength: 16 * 1024,
    maxBackpressure: 1024 * 1024,
    upgrade: (res, req, context) => {
      const head = Number(new URLSearchParams(req.getQuery()).get('head'));
      res.upgrade({ head }, req.getHeader('sec-websocket-key'), req.getHeader('sec-websocket-protocol'), req.getHeader('sec-websocket-extensions'), context);
    },
    open: (ws) => { ws.subscribe('tally'); },
    message: (ws, message) => {
      const { head } = ws.getUserData();
      let choice: number;
      try { choice = JSON.parse(Buffer.from(message).toString()).choice; } catch { return; } // a frame that is not JSON is ignored
      if (!(head >= 0 && head < owners) || !(choice >= 0 && choice < OPTIONS) || voted[head]) return;
      voted[head] = 1;
      counted++;
      const area = areaOf(head);
      tally.turnoutHeads++;
      tally.turnoutAreaCenti += area;
      tally.optionHeads[choice]++;
      tally.optionAreaCenti[choice] += area;
      dirty = true;
      ws.send(JSON.stringify({ ok: true, head }));
    },
  });
  const listen = await new Promise<uWS.us_listen_socket>((resolve, reject) => app.listen('127.0.0.1', 0, (s) => (s ? resolve(s) : reject(new Error('uWS listen failed')))));
  const port = uWS.us_socket_local_port(listen);
  const timer = setInterval(() => {
    if (!dirty) return;
    dirty = false;
    app.publish('tally', JSON.stringify(tally));
  }, patchMs);
  return {
    ready: { kind: 'peer-uws', url: `ws://127.0.0.1:${port}`, roomId: 'tally', transport: 'uWebSockets.js', notes: { owners, patchIntervalMs: patchMs, validation: false, journal: false } },
    counters: () => ({ ...loop(), counted }),
    close: async () => { clearInterval(timer); uWS.us_listen_socket_close(listen); },
  };
});

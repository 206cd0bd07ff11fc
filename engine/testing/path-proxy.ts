/**
 * @module engine/testing/path-proxy
 * A load balancer for tests, the way an operator would configure nginx or HAProxy in front of a
 * cluster: requests under `/<node>/…` go to that node with the prefix stripped (the WebSocket of a
 * room, whose address the seat reservation names), everything else (the page, `/api/*`,
 * `/matchmake/*`) goes to the nodes in turn. HTTP and WebSocket upgrades are both proxied.
 * Owns: one listening socket and the piping. Does not: know Linli (it routes by path alone).
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface PathProxy {
  readonly port: number;
  /** node name → port; nodes may be added after the proxy listens. */
  readonly nodes: Map<string, number>;
  /** How many requests and upgrades went to each node by prefix, and round-robin. */
  readonly routed: { byPrefix: Map<string, number>; roundRobin: number };
  close(): Promise<void>;
}

export async function startPathProxy(): Promise<PathProxy> {
  const nodes = new Map<string, number>();
  const routed = { byPrefix: new Map<string, number>(), roundRobin: 0 };
  let turn = 0;
  const sockets = new Set<Socket>();
  const pick = (url: string): { port: number; path: string } | null => {
    const m = /^\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(url);
    if (m && nodes.has(m[1]!)) {
      routed.byPrefix.set(m[1]!, (routed.byPrefix.get(m[1]!) ?? 0) + 1);
      return { port: nodes.get(m[1]!)!, path: m[2] ?? '/' };
    }
    const all = [...nodes.values()];
    if (all.length === 0) return null;
    routed.roundRobin++;
    return { port: all[turn++ % all.length]!, path: url };
  };
  const server = createServer((req: IncomingMessage, res) => {
    const to = pick(req.url ?? '/');
    if (!to) { res.writeHead(502).end(); return; }
    const up = request({ host: '127.0.0.1', port: to.port, path: to.path, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  server.on('upgrade', (req: IncomingMessage, down: Socket, head: Buffer) => {
    const to = pick(req.url ?? '/');
    if (!to) { down.destroy(); return; }
    const up = connect(to.port, '127.0.0.1', () => {
      const lines = [`${req.method} ${to.path} HTTP/1.1`, ...Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${k}: ${x}`) : [`${k}: ${v}`]))];
      up.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(down);
      down.pipe(up);
    });
    for (const s of [up, down]) {
      sockets.add(s);
      s.on('error', () => { up.destroy(); down.destroy(); });
      s.on('close', () => { sockets.delete(s); up.destroy(); down.destroy(); });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port, nodes, routed,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

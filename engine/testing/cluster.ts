/**
 * @module engine/testing/cluster
 * A cluster for a test: a private nats-server and N community-server processes in cluster mode
 * (JetStream journal, presence and room cache on NATS, leases, broker), each on a port of its
 * own with PUBLIC_ADDRESS set, the first with embedded analytics. Helpers answer "which node hosts
 * this room" from the nodes' /api/health.
 * Owns: the processes' lifecycle. Does not: make accounts (accounts.ts takes a node as ServerRef).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startNatsServer, type PrivateNats } from './nats-server.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { untilAsync } from './until.ts';

export interface ClusterNodeProcess {
  readonly id: string;
  readonly port: number;
  readonly dataDir: string;
  proc: ServerProcess;
}

export interface TestCluster {
  readonly nats: PrivateNats;
  readonly nodes: ClusterNodeProcess[];
  readonly env: Record<string, string>;
  /** Which node hosts `roomId` now (by the nodes' own answers), or null. */
  hostOf(roomId: string): Promise<ClusterNodeProcess | null>;
  /**
   * Waits until every room of the community is hosted by exactly one live node and, with
   * `balanced`, no node hosts more than its share + 1 (placement has stopped handing rooms over).
   */
  settled(rooms: number, timeoutMs?: number, balanced?: boolean): Promise<Map<string, string>>;
  /** Starts node `i` again (same id, port and data dir). */
  restart(i: number): Promise<void>;
  stop(): Promise<void>;
}

export const TEST_CLUSTER_SECRET = 'cluster-test-secret-0123456789abcdefgh';

/**
 * `publicAddress(node)`: what a node announces as its WebSocket address (default its own
 * 127.0.0.1:port; behind a test load balancer, the balancer's address and a path per node).
 */
export async function startTestCluster(n: number, extraEnv: Record<string, string> = {}, publicAddress?: (node: { id: string; port: number }) => string): Promise<TestCluster> {
  const nats = await startNatsServer();
  const env: Record<string, string> = {
    NATS_URL: nats.url, JOURNAL: 'jetstream', TOKEN_SECRET: TEST_CLUSTER_SECRET, CLUSTER_NAME: 'test',
    CLUSTER_LEASE_TTL_MS: '8000', CLIENT_MAX_MESSAGES_PER_SECOND: '1000', LOG_LEVEL: 'info', ...extraEnv,
  };
  const nodes: ClusterNodeProcess[] = [];
  const envOf = (node: Omit<ClusterNodeProcess, 'proc'>, i: number) => ({
    ...env, NODE_ID: node.id, PORT: String(node.port), PUBLIC_ADDRESS: publicAddress ? publicAddress(node) : `127.0.0.1:${node.port}`, DATA_DIR: node.dataDir,
    ANALYTICS_ENABLED: i === 0 ? 'true' : 'false',
  });
  try {
    for (let i = 0; i < n; i++) {
      const node = { id: `node-${i + 1}`, port: await freePort(), dataDir: mkdtempSync(join(tmpdir(), `linli-cluster-${i + 1}-`)) };
      nodes.push({ ...node, proc: await startServerProcess(envOf(node, i)) });
    }
  } catch (err) {
    for (const node of nodes) await node.proc.stop();
    await nats.stop();
    throw err;
  }
  const health = async (node: ClusterNodeProcess) => {
    try {
      const r = await fetch(`http://127.0.0.1:${node.port}/api/health`, { signal: AbortSignal.timeout(2000) });
      return ((await r.json()) as { cluster?: { node: string; rooms: string[] } }).cluster ?? null;
    } catch {
      return null; // a dead or frozen node answers nothing
    }
  };
  const cluster: TestCluster = {
    nats, nodes, env,
    async hostOf(roomId) {
      for (const node of nodes) if ((await health(node))?.rooms.includes(roomId)) return node;
      return null;
    },
    async settled(rooms, timeoutMs = 60_000, balanced = true) {
      return untilAsync(`all ${rooms} rooms hosted once${balanced ? ', balanced' : ''}`, async () => {
        const where = new Map<string, string>();
        let live = 0;
        let most = 0;
        for (const node of nodes) {
          const h = await health(node);
          if (!h) continue;
          live++;
          most = Math.max(most, h.rooms.length);
          for (const r of h.rooms) {
            if (where.has(r)) return null;
            where.set(r, node.id);
          }
        }
        if (where.size !== rooms) return null;
        return !balanced || most <= Math.ceil(rooms / Math.max(1, live)) + 1 ? where : null;
      }, timeoutMs);
    },
    async restart(i) {
      const node = nodes[i]!;
      await node.proc.stop();
      node.proc = await startServerProcess(envOf(node, i));
    },
    async stop() {
      for (const node of nodes) await node.proc.stop();
      await nats.stop();
    },
  };
  return cluster;
}

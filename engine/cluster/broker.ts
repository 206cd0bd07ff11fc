/**
 * @module engine/cluster/broker
 * The service layer of a cluster: a Moleculer 0.15 broker per node on the NATS transporter, in a
 * namespace of the community and cluster (`<community>-<cluster>`), so a request from a room or an
 * HTTP route on node A is served by whichever node offers the service (analytics on the node that
 * holds the store, …). Embedded mode has no broker: services are called in-process.
 * Owns: the broker's lifecycle and settings. Does not: define services (services/* do).
 * Retries: none by default. Actions with side effects are not retried; a read-only action that
 * wants retries says so in its own schema.
 * Failure detection: Moleculer's heartbeats (every `heartbeatIntervalS`, a node missing for
 * `heartbeatTimeoutS` is gone); a node busy in a long analytics query still answers heartbeats,
 * because the query runs in chDB's child process, off the event loop.
 */
import { ServiceBroker, type ServiceSchema } from 'moleculer';
import type { Logger } from '../log.ts';

export interface BrokerOptions {
  readonly natsUrl: string;
  readonly nodeId: string;
  readonly namespace: string;
  /** Longest a call waits for its answer, ms. */
  readonly requestTimeoutMs: number;
  readonly services: readonly ServiceSchema[];
  readonly log: Logger;
}

export async function startBroker(o: BrokerOptions): Promise<ServiceBroker> {
  const log = o.log;
  const broker = new ServiceBroker({
    nodeID: o.nodeId,
    namespace: o.namespace,
    transporter: { type: 'NATS', options: { url: o.natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 500 } },
    requestTimeout: o.requestTimeoutMs,
    retryPolicy: { enabled: false },
    heartbeatInterval: 5,
    heartbeatTimeout: 15,
    disableBalancer: false,
    logger: {
      type: 'Console',
      options: { level: 'warn', formatter: (level: string, args: unknown[]) => { (level === 'error' || level === 'fatal' ? log.error : log.warn).call(log, String(args[0]).slice(0, 300)); return []; } },
    },
  });
  for (const s of o.services) broker.createService(s);
  await broker.start();
  return broker;
}

/**
 * @module engine/bus/cluster
 * The bus of a cluster node: every subject goes over NATS so that rooms, services and analytics
 * on any node see one another's messages, with one exception. Room events are not published
 * here at all: the JetStream journal already published each commit on its actor's subject
 * (`nb.<c>.room.<kind>.<id>.ev`), so a subscriber to room events receives the journal's commits,
 * decoded into records and projected for privacy (what an actor keeps private never leaves the
 * journal), exactly as the in-process bus delivers them in embedded mode.
 * Owns: that mapping. Does not: connect (it wraps a NatsBus) or know actors (`project` is given).
 * Concurrency: as NatsBus: per-subscription order; records of one commit are delivered in order.
 * Queue groups: a subscription with `queue` shares its messages with the other nodes' members of
 * that group (one delivery per message in the cluster), e.g. the device gateway.
 */
import { decodeCommit } from '../journal/commit.ts';
import type { JournalRecord } from '../journal/record.ts';
import type { Metrics } from '../metrics.ts';
import { encodeJson, type Bus, type BusHandler, type BusSubscription, type SubscribeOptions } from './contract.ts';
import type { NatsBus } from './nats.ts';

export class ClusterBus implements Bus {
  readonly kind = 'cluster';

  constructor(
    private readonly nats: NatsBus,
    private readonly project: (record: JournalRecord) => JournalRecord | null,
    private readonly metrics?: Metrics,
  ) {}

  publish(subject: string, data: Uint8Array): void {
    if (isRoomEvents(subject)) return; // the journal published this commit already
    this.nats.publish(subject, data);
  }

  subscribe(pattern: string, handler: BusHandler, opts?: SubscribeOptions): BusSubscription {
    if (!touchesRoomEvents(pattern)) return this.nats.subscribe(pattern, handler, opts);
    return this.nats.subscribe(pattern, (msg) => {
      if (!isRoomEvents(msg.subject)) return handler(msg);
      let records: JournalRecord[];
      try {
        records = decodeCommit(msg.subject, msg.data);
      } catch {
        this.metrics?.inc('bus_malformed_commits_total', 'Messages on journal subjects that were not journal commits');
        return;
      }
      for (const r of records) {
        const out = this.project(r);
        if (out) handler({ subject: msg.subject, data: encodeJson(out) });
      }
    }, opts);
  }

  flush(): Promise<void> {
    return this.nats.flush();
  }

  close(): Promise<void> {
    return this.nats.close();
  }
}

function isRoomEvents(subject: string): boolean {
  const t = subject.split('.');
  return t.length === 6 && t[0] === 'nb' && t[2] === 'room' && t[5] === 'ev';
}

/** Whether a subscription pattern can match room-event subjects (`nb.<c>.room.…`, `nb.<c>.>`, `>`). */
function touchesRoomEvents(pattern: string): boolean {
  const t = pattern.split('.');
  const room = ['nb', '*', 'room', '*', '*', 'ev'];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '>') return true;
    if (i >= room.length) return false;
    if (t[i] !== '*' && room[i] !== '*' && t[i] !== room[i]) return false;
  }
  return t.length === room.length;
}

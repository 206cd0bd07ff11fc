/**
 * @module engine/journal/open
 * Opens the journal and the snapshot store a configuration selects: embedded files under
 * DATA_DIR/journal, JetStream and its KV on NATS_URL, or memory.
 * Owns: the choice and the wiring. Does not: know actors.
 */
import { join } from 'node:path';
import { journalKind, type Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { FileSnapshotStore, KvSnapshotStore, MemorySnapshotStore, type SnapshotStore } from '../snapshot/index.ts';
import type { Journal } from './contract.ts';
import { FileJournal } from './file.ts';
import { JetStreamJournal } from './jetstream.ts';
import { MemoryJournal } from './memory.ts';

export interface OpenedJournal {
  readonly journal: Journal;
  readonly snapshots: SnapshotStore;
  /** Where it lives, for the start-up report and /api/health. */
  readonly where: string;
}

export async function openJournal(config: Config, community: string, log: Logger, metrics: Metrics): Promise<OpenedJournal> {
  const kind = journalKind(config);
  if (kind === 'memory') return { journal: new MemoryJournal(), snapshots: new MemorySnapshotStore(), where: 'memory (nothing survives a restart)' };
  if (kind === 'file') {
    const dir = join(config.dataDir, 'journal');
    return {
      journal: new FileJournal(dir, { fsync: config.journalFsync, log: log.child({ mod: 'engine.journal.file' }), metrics }),
      snapshots: new FileSnapshotStore(join(config.dataDir, 'snapshots')),
      where: dir,
    };
  }
  const js = await JetStreamJournal.connect(config.natsUrl!, `linli-journal-${community}`, {
    appendTimeoutMs: config.journalAppendTimeoutMs, replicas: config.jetstreamReplicas, log: log.child({ mod: 'engine.journal.jetstream' }), metrics,
  });
  return { journal: js, snapshots: new KvSnapshotStore(js.connection, metrics, config.jetstreamReplicas), where: `JetStream at ${config.natsUrl}` };
}

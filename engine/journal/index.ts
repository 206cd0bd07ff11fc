/**
 * @module engine/journal
 * Public surface of the journal seam.
 */
export { type Journal, type NewEvent, type StreamKey, streamName } from './contract.ts';
export { MemoryJournal, DEFAULT_JOURNAL_MAX_RECORDS_PER_STREAM } from './memory.ts';
export type { JournalRecord } from './record.ts';

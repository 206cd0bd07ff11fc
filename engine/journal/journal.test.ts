/**
 * Runs the journal contract suite against the in-memory journal.
 */
import { journalContractSuite } from './contract.suite.ts';
import { MemoryJournal } from './memory.ts';

journalContractSuite('memory', async () => new MemoryJournal());

/**
 * Runs the journal contract suite against the in-memory journal and the embedded file journal.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journalContractSuite } from './contract.suite.ts';
import { FileJournal } from './file.ts';
import { MemoryJournal } from './memory.ts';

let n = 0;
const memory = new MemoryJournal();
journalContractSuite({ name: 'memory', durable: false, community: () => `mem${++n}`, open: async () => memory });

const dir = mkdtempSync(join(tmpdir(), 'linli-journal-'));
journalContractSuite({ name: 'file', durable: true, community: () => `file${++n}`, open: async () => new FileJournal(dir) });

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatMessage } from '../protocol.ts';
import { mergeMessages } from './chat-log.ts';
import { cleanName, randomNeighbourName } from './identity.ts';

const msg = (seq: number): ChatMessage => ({ seq, at: seq * 1000, author: { id: 'a', name: 'A' }, text: `m${seq}`, key: `k${seq}` });
const seqs = (ms: readonly ChatMessage[]) => ms.map((m) => m.seq);

test('mergeMessages: live message after the last → appended', () => {
  assert.deepEqual(seqs(mergeMessages([msg(1), msg(2)], [msg(3)])), [1, 2, 3]);
});

test('mergeMessages: re-join history overlapping the log → ordered by seq, no duplicates', () => {
  assert.deepEqual(seqs(mergeMessages([msg(2), msg(5)], [msg(1), msg(2), msg(3), msg(4), msg(5), msg(6)])), [1, 2, 3, 4, 5, 6]);
});

test('mergeMessages: a late message with a lower seq → inserted in place', () => {
  assert.deepEqual(seqs(mergeMessages([msg(1), msg(3)], [msg(2)])), [1, 2, 3]);
});

test('mergeMessages: over the limit → only the newest are kept', () => {
  assert.deepEqual(seqs(mergeMessages([msg(1), msg(2), msg(3)], [msg(4)], 3)), [2, 3, 4]);
  assert.deepEqual(seqs(mergeMessages([], [msg(3), msg(1), msg(2)], 2)), [2, 3]);
});

test('identity: random neighbour name → 邻居 plus four digits; names are cleaned and capped', () => {
  assert.match(randomNeighbourName(), /^邻居\d{4}$/);
  assert.equal(randomNeighbourName(() => 0), '邻居1000');
  assert.equal(cleanName('  王\t小\n明  '), '王 小 明');
  assert.equal(cleanName('   '), '');
  assert.equal([...cleanName('邻'.repeat(40))].length, 24);
});

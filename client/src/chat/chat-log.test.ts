import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatMessage } from '../protocol.ts';
import { loadConfig } from '../../../engine/config.ts';
import { DEFAULT_DISPLAY_NAME_MAX_CHARS, normalizeDisplayName } from '../../../actors/community/display-name.ts';
import { CHAT_MAX_CHARS, chatLength, mergeMessages, resetOnWelcome } from './chat-log.ts';
import { capName, cleanName, MAX_NAME_CHARS } from './identity.ts';

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

test('resetOnWelcome: after a server restart (seqs from 1 again) → exactly the new history, nothing old kept', () => {
  const old = [1, 2, 3].map((n) => ({ ...msg(n), text: `old ${n}`, at: n }));
  const fresh = [1, 2].map((n) => ({ ...msg(n), text: `new ${n}`, key: `new${n}`, at: 10_000 + n }));
  // The bug: merging by seq gave "#1 new 1, #2 new 2, #3 old 3".
  assert.deepEqual(mergeMessages(old, fresh).map((m) => m.text), ['new 1', 'new 2', 'old 3']);
  const reset = resetOnWelcome(fresh, []);
  assert.deepEqual(reset.messages.map((m) => m.text), ['new 1', 'new 2']);
  assert.deepEqual(resetOnWelcome([], []).messages, []);
});

test('resetOnWelcome: this page\'s pending sends → settled when their key is in history, kept (to resend) otherwise', () => {
  const mine = { ...msg(7), key: 'mine-arrived', text: 'arrived' };
  const pending = [{ key: 'mine-arrived', text: 'arrived' }, { key: 'mine-lost', text: 'lost' }];
  const reset = resetOnWelcome([msg(8), mine], pending);
  assert.deepEqual(seqs(reset.messages), [7, 8], 'history ordered by seq');
  assert.deepEqual(reset.arrived.map((p) => p.key), ['mine-arrived']);
  assert.deepEqual(reset.stillPending.map((p) => p.key), ['mine-lost']);
  assert.deepEqual(seqs(resetOnWelcome([msg(1), msg(2), msg(3)], [], 2).messages), [2, 3], 'bounded');
});

test('chatLength: code points, not UTF-16 units, of the text the server keeps', () => {
  assert.equal(CHAT_MAX_CHARS, loadConfig({}).chatMaxChars, "the server's CHAT_MAX_CHARS default");
  assert.equal(chatLength('😀'.repeat(CHAT_MAX_CHARS)), CHAT_MAX_CHARS, 'an emoji is one, not two');
  assert.equal(chatLength('邻里'), 2);
  assert.equal(chatLength('  a\u0007b  '), 2, 'controls dropped and ends trimmed as the server does');
  assert.equal(chatLength('   '), 0);
});

test('identity: names are cleaned (whitespace folded, trimmed) and capped at the directory\'s limit', () => {
  assert.equal(MAX_NAME_CHARS, DEFAULT_DISPLAY_NAME_MAX_CHARS, "the directory's display-name limit");
  assert.equal(cleanName('  王\t小\n明  '), '王 小 明');
  assert.equal(cleanName('   '), '');
  assert.equal([...cleanName('邻'.repeat(40))].length, MAX_NAME_CHARS);
  assert.equal(cleanName(`  ${'邻'.repeat(40)}  `), '邻'.repeat(MAX_NAME_CHARS), 'trimmed before capping');
});

test('identity: control and bidi characters → stripped; lone surrogates dropped; pairs never split', () => {
  const nasty = '\u202e王\u200e小\u200f明\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u0000\u0007\u001b\u007f\u0085\u009f';
  assert.equal(cleanName(nasty), '王小明');
  assert.equal(capName(` a${nasty} `), ' a王小明 ', 'while typing: stripped, not trimmed');
  assert.equal(cleanName('a\ud800b\udc00c'), 'abc');
  assert.equal(cleanName('😀'.repeat(40)), '😀'.repeat(MAX_NAME_CHARS), 'code points, as the directory counts');
  assert.ok(!/[\ud800-\udbff]$/.test(capName(`x${'😀'.repeat(40)}`)), 'no half pair at the cut');
});

test('identity: a cleaned name → kept by the directory as is (not refused, not rewritten)', () => {
  for (const raw of ['  王\u202e小明  ', '邻'.repeat(40), '😀'.repeat(40), `${'a'.repeat(23)}😀`, 'Zoë\u2066 Li']) {
    const name = cleanName(raw);
    const kept = normalizeDisplayName(name);
    assert.ok(kept.ok, `${JSON.stringify(raw)} accepted`);
    assert.equal(kept.ok && kept.name, name, JSON.stringify(raw));
  }
});

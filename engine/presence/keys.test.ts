/**
 * Names in NATS: any topic or key string becomes one valid subject / KV key token and back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { communityNames, decodeToken, encodeToken, natsNames } from './keys.ts';

test('presence keys: any string → one token of [A-Za-z0-9_=-] that decodes back to it', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
    const t = encodeToken(s);
    assert.match(t, /^[A-Za-z0-9_=-]+$/);
    assert.equal(decodeToken(t), s);
  }), { numRuns: 2000 });
});

test('presence keys: readable ids stay readable, separators and wildcards are escaped', () => {
  assert.equal(encodeToken('room-1_a'), 'room-1_a');
  assert.equal(encodeToken('$room.1'), '=24room=2E1');
  assert.equal(encodeToken('a*>'), 'a=2A=3E');
  assert.equal(encodeToken(''), '=');
  assert.throws(() => decodeToken('a=zz'));
  assert.throws(() => decodeToken('a.b'));
});

test('presence keys: a community cluster → buckets and subjects of its own', () => {
  const { namespace, subjectPrefix } = communityNames('shikeyuan', 'main');
  const n = natsNames(namespace, subjectPrefix);
  assert.deepEqual([n.presenceBucket, n.roomsBucket, n.topic('$abc'), n.channelsSubject],
    ['nb-shikeyuan-main-presence', 'nb-shikeyuan-main-rooms', 'nb.shikeyuan.colyseus.main.ch.=24abc', 'nb.shikeyuan.colyseus.main.channels']);
  assert.throws(() => natsNames('bad.name'));
});

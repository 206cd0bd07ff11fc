/**
 * The pure rules under the NATS presence: Redis-like glob matching for channel listings, set
 * intersection, and what each operation does to a stored value and its deadline.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from './values.ts';

test('presence values: glob → anchored, case-sensitive, with *, ?, [set], [^set] and \\ escapes', () => {
  const m = (p: string, s: string) => v.globToRegExp(p).test(s);
  assert.ok(m('p:*', 'p:abc') && !m('p:*', 'xp:abc') && !m('p:*', 'P:abc'));
  assert.ok(m('*.*', 'one.two') && !m('*.*', 'onetwo'));
  assert.ok(m('h?llo', 'hello') && !m('h?llo', 'hllo'));
  assert.ok(m('h[ae]llo', 'hallo') && !m('h[ae]llo', 'hillo') && m('h[^e]llo', 'hallo') && !m('h[^e]llo', 'hello'));
  assert.ok(m('a\\*', 'a*') && !m('a\\*', 'ab'));
  assert.ok(m('$*', '$room') && m('(x)+', '(x)+'));
});

test('presence values: intersect → members of the first set found in every other, in its order', () => {
  assert.deepEqual(v.intersect([['c', 'a', 'b'], ['a', 'b', 'z'], ['b', 'a']]), ['a', 'b']);
  assert.deepEqual(v.intersect([]), []);
});

test('presence values: an emptied set, hash or list → the key is removed', () => {
  const set = v.setAdd('x')(null, 0).next as v.Stored;
  assert.equal(v.setRemove('x')(set, 0).next, null);
  const hash = v.hashSet('f', '1')(null, 0).next as v.Stored;
  assert.equal(v.hashDelete('f')(hash, 0).next, null);
  const list = v.listPush('left', ['a'])(null, 0).next as v.Stored;
  assert.equal(v.listPop('right')(list, 0).next, null);
});

test('presence values: deadlines → setex sets one, set clears it, incr and sadd keep it, hincrbyex renews it', () => {
  const withTtl = v.setString('1', 10)(null, 1000).next as v.Stored;
  assert.equal(withTtl.expiresAt, 11_000);
  assert.equal((v.incrBy(1)(withTtl, 2000).next as v.Stored).expiresAt, 11_000);
  assert.equal((v.setString('2')(withTtl, 2000).next as v.Stored).expiresAt, undefined);
  assert.equal(v.live(withTtl, 10_999), true);
  assert.equal(v.live(withTtl, 11_000), false);
  const h = v.hashIncrBy('f', 1, 5)(null, 0).next as v.Stored;
  assert.equal((v.hashIncrBy('f', 1, 5)(h, 3000).next as v.Stored).expiresAt, 8000);
  assert.equal((v.hashIncrBy('f', 1)(h, 3000).next as v.Stored).expiresAt, 5000);
});

test('presence values: a stored payload that is not ours → read as absent', () => {
  assert.equal(v.decodeStored(new TextEncoder().encode('{"hello":1}')), null);
  assert.equal(v.decodeStored(new TextEncoder().encode('not json')), null);
  const s = v.setString('x')(null, 0).next as v.Stored;
  assert.deepEqual(v.decodeStored(v.encodeStored(s)), s);
});

test('presence values: incr past the safe integer range or by a fraction → ENGINE_PRESENCE_NOT_INTEGER', () => {
  const big = v.setString(String(Number.MAX_SAFE_INTEGER))(null, 0).next as v.Stored;
  assert.throws(() => v.incrBy(1)(big, 0), { code: 'ENGINE_PRESENCE_NOT_INTEGER' });
  assert.throws(() => v.incrBy(0.5)(null, 0), { code: 'ENGINE_PRESENCE_NOT_INTEGER' });
  assert.throws(() => v.hashIncrBy('f', 1)(v.hashSet('f', '1.5')(null, 0).next as v.Stored, 0), { code: 'ENGINE_PRESENCE_NOT_INTEGER' });
});

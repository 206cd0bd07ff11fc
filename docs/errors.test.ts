/**
 * Keeps docs/errors.md and the error catalogue in agreement: every registered code is
 * documented with its retryability and both messages, and the docs list no unknown code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { allErrorCodes, errorSpec } from '../engine/errors.ts';
import { registerActorErrors } from '../rooms/register-errors.ts';
import '../analytics/index.ts';
import '../engine/presence/index.ts';

registerActorErrors();
const doc = readFileSync(new URL('./errors.md', import.meta.url), 'utf8');
const rows = new Map([...doc.matchAll(/^\| `([A-Z0-9_]+)` \| (yes|no) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1], { retryable: m[2] === 'yes', zh: m[3].trim(), en: m[4].trim() }]));

test('errors doc: every catalogue code → documented with its retryability and both messages', () => {
  for (const code of allErrorCodes()) {
    const row = rows.get(code);
    assert.ok(row, `${code} missing from docs/errors.md`);
    const spec = errorSpec(code);
    assert.equal(row.retryable, spec.retryable, `${code} retryable`);
    assert.equal(row.zh, spec.message['zh-CN'], `${code} zh-CN`);
    assert.equal(row.en, spec.message.en, `${code} en`);
  }
});

test('errors doc: no documented code → unknown to the catalogue', () => {
  const known = new Set(allErrorCodes());
  assert.deepEqual([...rows.keys()].filter((c) => !known.has(c)), []);
});

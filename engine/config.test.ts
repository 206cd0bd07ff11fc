/**
 * Configuration: defaults, bounds, and failing fast with the key's name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.ts';

test('config: empty environment → documented defaults', () => {
  const c = loadConfig({});
  assert.equal(c.port, 2567);
  assert.equal(c.transport, 'auto');
  assert.equal(c.chatMaxChars, 500);
  assert.equal(c.clientMaxMessagesPerSecond, 20);
  assert.equal(c.messageMaxBytes, 16384);
  assert.equal(c.natsUrl, null);
  assert.equal(c.replayEnabled, true);
  assert.match(c.communityFile, /fixtures\/shikeyuan\/community\.json$/);
});

test('config: bad values → ConfigError naming the key', () => {
  const cases: Record<string, string>[] = [
    { PORT: 'abc' }, { PORT: '70000' }, { REPLAY_SPEED: '0' }, { TRANSPORT: 'tcp' }, { REPLAY_ENABLED: 'maybe' },
    { NATS_URL: 'not a url' }, { NATS_URL: 'http://x' }, { CLICKHOUSE_URL: 'nats://x' }, { HOST: '999.1.1.1' },
    { CHAT_MAX_CHARS: '1.5' }, { LOG_LEVEL: 'loud' },
  ];
  for (const env of cases) {
    const key = Object.keys(env)[0];
    assert.throws(() => loadConfig(env), (e: Error) => e.name === 'ConfigError' && e.message.startsWith(`config ${key}:`), key);
  }
});

test('config: valid overrides → taken', () => {
  const c = loadConfig({ PORT: '0', TRANSPORT: 'ws', NATS_URL: 'nats://127.0.0.1:4222', REPLAY_ENABLED: 'false', HOST: '127.0.0.1', CHAT_KEY_MEMORY: '50' });
  assert.deepEqual([c.port, c.transport, c.natsUrl, c.replayEnabled, c.host, c.chatKeyMemory], [0, 'ws', 'nats://127.0.0.1:4222', false, '127.0.0.1', 50]);
});

/**
 * @module engine/testing/presence-worker
 * A separate OS process for multi-process presence tests: `node --import tsx presence-worker.ts
 * <natsUrl> <namespace> <key> <n>` increments `key` n times, one awaited call after another,
 * and prints the values it got as one JSON line. Extend with more commands as tests need them.
 */
import { NatsPresence } from '../presence/nats.ts';

const [url, namespace, key, n] = process.argv.slice(2);
const p = await NatsPresence.create({ servers: url, namespace, sweepIntervalMs: 0 });
const got: number[] = [];
for (let i = 0; i < Number(n); i++) got.push(await p.incr(key));
process.stdout.write(JSON.stringify(got) + '\n');
await p.shutdown();

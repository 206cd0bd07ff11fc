import { spawn } from 'node:child_process';
import { NatsPresence } from '/work/wt-issue-5-presence/engine/presence/nats.ts';
const port = 14000 + Math.floor(Math.random() * 1000);
const c = spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
try { await NatsPresence.create({ servers: `nats://127.0.0.1:${port}` }); } catch (e) { console.log('ERR', (e as Error).message, (e as any).code); }
c.kill();

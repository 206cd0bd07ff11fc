/**
 * @module engine/transport/port
 * Checks that a TCP port is free before the transport binds it. uWebSockets.js listens with
 * SO_REUSEPORT, so a second server on a busy port would start silently and split the traffic;
 * this check makes it fail at boot instead.
 */
import { createServer } from 'node:net';

export function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(new Error(err.code === 'EADDRINUSE' ? `PORT ${port} is already in use on ${host}` : `cannot bind PORT ${port} on ${host}: ${err.message}`));
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * @module engine/testing/nats
 * Finds the NATS server tests run against: NATS_URL, else the machine's 127.0.0.1:4222.
 * Tests that need NATS call natsAvailable() and skip with a visible reason when it is absent.
 */
import { connect } from 'nats';

export function testNatsUrl(): string {
  return process.env.NATS_URL || 'nats://127.0.0.1:4222';
}

export async function natsAvailable(url: string): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: 1500, reconnect: false });
    await nc.close();
    return true;
  } catch {
    return false; // absence is reported by the caller as a skip reason
  }
}

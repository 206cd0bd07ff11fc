/**
 * @module engine/testing/nats
 * Finds the NATS server tests run against: NATS_URL, else the machine's 127.0.0.1:4222.
 * Tests that need NATS call natsAvailable() and skip with a visible reason when it is absent.
 */
import { connect } from 'nats';
import { communityNames, natsNames } from '../presence/keys.ts';

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

/** Deletes KV buckets by name (a test's own, made unique per run); absent ones are skipped. */
export async function deleteKvBuckets(url: string, buckets: readonly string[]): Promise<void> {
  const nc = await connect({ servers: url, timeout: 1500, reconnect: false });
  try {
    const jsm = await nc.jetstreamManager();
    for (const b of buckets) await jsm.streams.delete(`KV_${b}`).catch(() => false); // never created, or already gone
  } finally {
    await nc.close();
  }
}

/** Deletes the presence and room-cache buckets of one community cluster. */
export function deleteClusterState(url: string, community: string, cluster: string): Promise<void> {
  const n = natsNames(communityNames(community, cluster).namespace);
  return deleteKvBuckets(url, [n.presenceBucket, n.roomsBucket]);
}

/**
 * @module engine/lease
 * Public surface of the lease seam.
 */
export { type Lease, type LeaseStore, isValid, LEASE_SAFETY_FRACTION } from './contract.ts';
export { MemoryLeaseStore } from './memory.ts';
export { KvLeaseStore, leaseBucketName } from './kv.ts';

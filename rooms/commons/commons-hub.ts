/**
 * @module rooms/commons/commons-hub
 * Where the HTTP routes meet the one commons room of this process: the room attaches itself
 * when it is created, and the routes ask it for a vote's closed record. Holds the voucher store.
 * Owns: that link. Does not: any vote or ledger logic (the room's actors do).
 * Concurrency: one room per community per process; reads only.
 */
import type { VoteRecord } from '../../actors/votes/record.ts';
import type { VoteScope } from '../../actors/votes/vote-protocol.ts';
import type { VoucherStore } from '../../services/commons/voucher-store.ts';

export interface CommonsRecords {
  /** The record of a vote that has ended; null while open; undefined for an unknown vote. */
  record(voteId: string): VoteRecord | null | undefined;
  scopeOf(voteId: string): VoteScope | undefined;
}

export class CommonsHub {
  private room: CommonsRecords | null = null;

  constructor(readonly vouchers: VoucherStore) {}

  attach(room: CommonsRecords): void {
    this.room = room;
  }

  detach(room: CommonsRecords): void {
    if (this.room === room) this.room = null;
  }

  get records(): CommonsRecords | null {
    return this.room;
  }
}

/**
 * @module rooms/commons/commons-routes
 * HTTP of the commons: a closed vote's record as JSON and as CSV, and the public accounts'
 * vouchers (staff upload raw bytes; members of the community read them). Every route is signed
 * in and admitted to the commons room (residents and property staff of this community only).
 *   GET  /api/commons/vote-record?voteId=       → VoteRecord (409 VOTE_NOT_OPEN… while open: VOTE_CLOSED is not set)
 *   GET  /api/commons/vote-record.csv?voteId=   → text/csv attachment
 *   POST /api/commons/vouchers                  raw body (≤ VOUCHER_MAX_BYTES), header x-file-name → VoucherRef
 *   GET  /api/commons/voucher?sha256=           → the file, with its sniffed type
 * Limits: VOUCHER_MAX_BYTES per file (413 ENGINE_PAYLOAD_TOO_LARGE above it, before the handler).
 */
import { recordCsv } from '../../actors/votes/record.ts';
import { VoteError } from '../../actors/votes/vote-errors.ts';
import { LedgerError } from '../../actors/ledger/ledger-errors.ts';
import { LinliError } from '../../engine/errors.ts';
import { json, type Route } from '../../engine/http/contract.ts';
import type { Logger } from '../../engine/log.ts';
import { signedIn } from '../../services/identity/http-kit.ts';
import type { IdentityService } from '../../services/identity/identity-service.ts';
import type { CommonsHub } from './commons-hub.ts';
import { commonsRoomId } from './commons.room.ts';

export interface CommonsRouteDeps {
  readonly identity: IdentityService;
  readonly hub: CommonsHub;
  readonly community: string;
  readonly voucherMaxBytes: number;
  readonly trustProxy: boolean;
  readonly log: Logger;
}

export function commonsRoutes(d: CommonsRouteDeps): Route[] {
  const room = { kind: 'commons', id: commonsRoomId(d.community) } as const;
  const member = (handle: Parameters<typeof signedIn>[3]) => signedIn(d.identity, d.trustProxy, d.log, (p, req, caller) => {
    d.identity.requireRoom(p, room);
    return handle(p, req, caller);
  });
  const recordOf = (voteId: string | null) => {
    const records = d.hub.records;
    const r = voteId && records ? records.record(voteId) : undefined;
    if (r === undefined) throw new LinliError(VoteError.UNKNOWN_VOTE);
    if (r === null) throw new LinliError(VoteError.NOT_OPEN, { problem: 'the vote is still open; its record exists once it closes' });
    return r;
  };
  return [
    { method: 'GET', path: '/api/commons/vote-record', handle: member((_p, req) => json(200, { ok: true, record: recordOf(req.query.get('voteId')) })) },
    {
      method: 'GET', path: '/api/commons/vote-record.csv',
      handle: member((_p, req) => {
        const r = recordOf(req.query.get('voteId'));
        return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${r.definition.voteId}.csv"` }, body: recordCsv(r) };
      }),
    },
    {
      method: 'POST', path: '/api/commons/vouchers', maxBodyBytes: d.voucherMaxBytes,
      handle: member((p, req) => {
        d.identity.requireStaff(p);
        let name = 'voucher';
        try { name = decodeURIComponent(req.headers['x-file-name'] ?? 'voucher'); } catch { name = 'voucher'; } // a malformed %-escape keeps the default name
        return json(200, { ok: true, voucher: d.hub.vouchers.put(req.body, name) });
      }),
    },
    {
      method: 'GET', path: '/api/commons/voucher',
      handle: member((_p, req) => {
        const file = d.hub.vouchers.read(req.query.get('sha256') ?? '');
        if (!file) throw new LinliError(LedgerError.UNKNOWN_VOUCHER);
        return {
          status: 200, body: file.bytes,
          headers: { 'content-type': file.type, 'x-content-type-options': 'nosniff', 'cache-control': 'private, max-age=31536000, immutable', 'content-security-policy': "default-src 'none'" },
        };
      }),
    },
  ];
}

/**
 * @module engine/journal/frame
 * The on-disk format of the embedded journal: a file header, then one frame per commit.
 *   file header: "LNJ1" (4 bytes)
 *   frame:       length u32 LE (of what follows the crc) | crc32 u32 LE | firstSeq f64 LE | count u32 LE | payload
 *   payload:     UTF-8 JSON array of `count` entries [type, v, at, author, key, event]
 * The CRC covers firstSeq, count and payload, so a torn or flipped frame is always detected.
 * Owns: encoding, decoding and scanning frames. Does not: touch files (file.ts does).
 * Pure: functions of their inputs.
 */
import { crc32 } from 'node:zlib';
import type { NewEvent } from './contract.ts';

export const FILE_MAGIC = Buffer.from('LNJ1', 'latin1');
export const FRAME_HEADER_BYTES = 20;
/** Largest frame the journal writes or believes: a length beyond it is corruption, not data. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export type Entry = readonly [type: string, v: number, at: number, author: string, key: string | null, event: unknown];

export function encodeFrame(firstSeq: number, events: readonly NewEvent[]): Buffer {
  const payload = Buffer.from(JSON.stringify(events.map((e): Entry => [e.type, e.v, e.at, e.author, e.key, e.event])), 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(12 + payload.length, 0);
  frame.writeDoubleLE(firstSeq, 8);
  frame.writeUInt32LE(events.length, 16);
  payload.copy(frame, FRAME_HEADER_BYTES);
  frame.writeUInt32LE(crc32(frame.subarray(8)), 4);
  if (frame.length > MAX_FRAME_BYTES) throw new RangeError(`commit of ${frame.length} bytes exceeds the journal frame limit`);
  return frame;
}

export interface FrameInfo {
  readonly offset: number;
  readonly bytes: number;
  readonly firstSeq: number;
  readonly count: number;
}

export type ScanStop =
  | { readonly kind: 'end' }
  /** Fewer bytes than a whole frame remain: a write that did not finish. */
  | { readonly kind: 'truncated'; readonly offset: number }
  /** A frame whose checksum or shape is wrong. */
  | { readonly kind: 'bad-frame'; readonly offset: number; readonly declaredEnd: number; readonly reason: string };

/**
 * Walks the frames of `buf` (which starts at file offset `base`) and reports each whole, valid
 * one; stops at the end of the buffer or at the first frame that is not whole and valid. A
 * caller reading a file in chunks treats `truncated` as "read on from this offset".
 */
export function scanFrames(buf: Buffer, base: number, onFrame: (f: FrameInfo) => void): ScanStop {
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < FRAME_HEADER_BYTES) return { kind: 'truncated', offset: base + at };
    const length = buf.readUInt32LE(at);
    const bytes = 8 + length;
    if (length < 12 || bytes > MAX_FRAME_BYTES) return { kind: 'bad-frame', offset: base + at, declaredEnd: Infinity, reason: `impossible length ${length}` };
    if (buf.length - at < bytes) return { kind: 'truncated', offset: base + at };
    const crc = buf.readUInt32LE(at + 4);
    if (crc32(buf.subarray(at + 8, at + bytes)) !== crc) return { kind: 'bad-frame', offset: base + at, declaredEnd: base + at + bytes, reason: 'checksum mismatch' };
    onFrame({ offset: base + at, bytes, firstSeq: buf.readDoubleLE(at + 8), count: buf.readUInt32LE(at + 16) });
    at += bytes;
  }
  return { kind: 'end' };
}

/** Decodes one whole frame (as written by encodeFrame) into its entries; throws on a shape error. */
export function decodeFrame(frame: Buffer): { firstSeq: number; entries: Entry[] } {
  const firstSeq = frame.readDoubleLE(8);
  const count = frame.readUInt32LE(16);
  const entries = JSON.parse(frame.toString('utf8', FRAME_HEADER_BYTES)) as Entry[];
  if (!Array.isArray(entries) || entries.length !== count) throw new Error(`frame at seq ${firstSeq} holds ${Array.isArray(entries) ? entries.length : 'no'} entries, header says ${count}`);
  return { firstSeq, entries };
}

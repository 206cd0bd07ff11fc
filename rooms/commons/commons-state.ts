/**
 * @module rooms/commons/commons-state
 * The synchronised state of the commons room: per open or closed vote, turnout and the tally by
 * area (0.01 m²) and by head. Colyseus sends only what changed, at most once per patch interval
 * (VOTE_PATCH_INTERVAL_MS), so a burst of thousands of ballots reaches each screen as a handful of
 * small patches holding the latest numbers, never one message per ballot. A secret ballot's
 * option tallies stay zero until it closes.
 */
import { ArraySchema, MapSchema, schema, t, type SchemaType } from '@colyseus/schema';

export const VoteLive = schema({
  status: t.string(),
  closesAt: t.number(),
  ballots: t.number(),
  turnoutAreaCenti: t.number(),
  turnoutHeads: t.number(),
  totalAreaCenti: t.number(),
  totalHeads: t.number(),
  optionAreaCenti: t.array('number'),
  optionHeads: t.array('number'),
}, 'VoteLive');
export type VoteLive = SchemaType<typeof VoteLive>;

export const CommonsRoomState = schema({
  online: t.number(),
  votes: t.map(VoteLive),
}, 'CommonsRoomState');
export type CommonsRoomState = SchemaType<typeof CommonsRoomState>;

export { ArraySchema, MapSchema };

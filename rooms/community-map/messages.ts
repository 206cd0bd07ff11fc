/**
 * @module rooms/community-map/messages
 * What guards and property staff send to the map room: they handle alarms.
 *   in:  alarm-ack { alarmId, key } · alarm-take { alarmId, key } · alarm-resolve { alarmId, note, key }
 *   out: ack { ok:true, key, seq: 0 } · error Failure; the alarms themselves are in MapRoomState.alarms
 * The client imports these types.
 */
import { object, str, type Check } from '../_shared/validate.ts';
import { DEFAULT_ALARM_LIMITS } from '../../actors/alarm/alarm.ts';
import { AlarmError } from '../../actors/alarm/errors.ts';

export type AlarmStepIn = { alarmId: string; key: string };
export type AlarmResolveIn = { alarmId: string; note: string; key: string };

/** UTF-16 cap on the note (4× the actor's code-point limit), a cheap first filter; over it the answer is still ALARM_NOTE_TOO_LONG. */
export const ALARM_NOTE_MAX_UTF16 = 4 * DEFAULT_ALARM_LIMITS.noteMaxChars;

export const alarmStepIn: Check<AlarmStepIn> = object<AlarmStepIn>({ alarmId: str(64) as Check<string>, key: str(64) as Check<string> });
export const alarmResolveIn: Check<AlarmResolveIn> = object<AlarmResolveIn>({
  alarmId: str(64) as Check<string>,
  note: str(ALARM_NOTE_MAX_UTF16, { tooLong: { code: AlarmError.NOTE_TOO_LONG, maxChars: DEFAULT_ALARM_LIMITS.noteMaxChars } }) as Check<string>,
  key: str(64) as Check<string>,
});

/**
 * @module rooms/community-map/messages
 * What guards and property staff send to the map room: they handle alarms.
 *   in:  alarm-ack { alarmId, key } · alarm-take { alarmId, key } · alarm-resolve { alarmId, note, key }
 *   out: ack { ok:true, key, seq: 0 } · error Failure; the alarms themselves are in MapRoomState.alarms
 * The client imports these types.
 */
import { object, str, type Check } from '../_shared/validate.ts';

export type AlarmStepIn = { alarmId: string; key: string };
export type AlarmResolveIn = { alarmId: string; note: string; key: string };

/** UTF-16 cap on the note (4× the actor's code-point limit), a cheap first filter. */
export const ALARM_NOTE_MAX_UTF16 = 2000;

export const alarmStepIn: Check<AlarmStepIn> = object<AlarmStepIn>({ alarmId: str(64) as Check<string>, key: str(64) as Check<string> });
export const alarmResolveIn: Check<AlarmResolveIn> = object<AlarmResolveIn>({
  alarmId: str(64) as Check<string>, note: str(ALARM_NOTE_MAX_UTF16) as Check<string>, key: str(64) as Check<string>,
});

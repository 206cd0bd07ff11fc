/**
 * @module actors/alarm/errors
 * Error codes of the alarm desk.
 */
export const AlarmError = {
  UNKNOWN: 'ALARM_UNKNOWN',
  ALREADY_OPEN: 'ALARM_ALREADY_OPEN',
  DUPLICATE_ID: 'ALARM_DUPLICATE_ID',
  NOT_RESPONDER: 'ALARM_NOT_RESPONDER',
  ALREADY_ACKNOWLEDGED: 'ALARM_ALREADY_ACKNOWLEDGED',
  TAKEN_BY_OTHER: 'ALARM_TAKEN_BY_OTHER',
  RESOLVED: 'ALARM_RESOLVED',
  NOTE_REQUIRED: 'ALARM_NOTE_REQUIRED',
  NOTE_TOO_LONG: 'ALARM_NOTE_TOO_LONG',
} as const;
export type AlarmErrorCode = (typeof AlarmError)[keyof typeof AlarmError];

export const alarmErrorSpecs = {
  [AlarmError.UNKNOWN]: { retryable: false, message: { 'zh-CN': '找不到该报警', en: 'No such alarm' } },
  [AlarmError.ALREADY_OPEN]: { retryable: false, message: { 'zh-CN': '该设备已有未处理的报警', en: 'That device already has an open alarm' } },
  [AlarmError.DUPLICATE_ID]: { retryable: false, message: { 'zh-CN': '报警编号重复', en: 'That alarm id is already used' } },
  [AlarmError.NOT_RESPONDER]: { retryable: false, message: { 'zh-CN': '只有保安和物业人员可以处理报警', en: 'Only guards and property staff handle alarms' } },
  [AlarmError.ALREADY_ACKNOWLEDGED]: { retryable: false, message: { 'zh-CN': '该报警已被确认', en: 'That alarm is already acknowledged' } },
  [AlarmError.TAKEN_BY_OTHER]: { retryable: false, message: { 'zh-CN': '该报警已由他人接手', en: 'Someone else has taken that alarm' } },
  [AlarmError.RESOLVED]: { retryable: false, message: { 'zh-CN': '该报警已处理完毕', en: 'That alarm is already resolved' } },
  [AlarmError.NOTE_REQUIRED]: { retryable: false, message: { 'zh-CN': '处理报警需要填写处理说明', en: 'Resolving an alarm needs a note' } },
  [AlarmError.NOTE_TOO_LONG]: { retryable: false, message: { 'zh-CN': '处理说明太长', en: 'The note is too long' } },
} as const;

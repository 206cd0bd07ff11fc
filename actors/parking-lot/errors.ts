/**
 * @module actors/parking-lot/errors
 * Error codes of the parking-lot actor's readings (holds answer with PARKING_* codes, shared with
 * guidance: actors/parking/errors.ts).
 */
export const LotError = {
  BAD_READING: 'LOT_BAD_READING',
  STALE_READING: 'LOT_STALE_READING',
  DUPLICATE_READING: 'LOT_DUPLICATE_READING',
  UNKNOWN_BAY: 'LOT_UNKNOWN_BAY',
} as const;
export type LotErrorCode = (typeof LotError)[keyof typeof LotError];

export const lotErrorSpecs = {
  [LotError.BAD_READING]: { retryable: false, message: { 'zh-CN': '车位数据无效', en: 'The occupancy reading is invalid' } },
  [LotError.STALE_READING]: { retryable: false, message: { 'zh-CN': '车位数据早于当前数据', en: 'The reading is older than the current one' } },
  [LotError.DUPLICATE_READING]: { retryable: false, message: { 'zh-CN': '重复的车位数据', en: 'Duplicate reading' } },
  [LotError.UNKNOWN_BAY]: { retryable: false, message: { 'zh-CN': '该停车场没有这个车位', en: 'This car park has no such bay' } },
} as const;

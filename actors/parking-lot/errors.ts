/**
 * @module actors/parking-lot/errors
 * Error codes of the parking-lot actor.
 */
export const LotError = {
  BAD_READING: 'LOT_BAD_READING',
  STALE_READING: 'LOT_STALE_READING',
  DUPLICATE_READING: 'LOT_DUPLICATE_READING',
} as const;
export type LotErrorCode = (typeof LotError)[keyof typeof LotError];

export const lotErrorSpecs = {
  [LotError.BAD_READING]: { retryable: false, message: { 'zh-CN': '车位数据无效', en: 'The occupancy reading is invalid' } },
  [LotError.STALE_READING]: { retryable: false, message: { 'zh-CN': '车位数据早于当前数据', en: 'The reading is older than the current one' } },
  [LotError.DUPLICATE_READING]: { retryable: false, message: { 'zh-CN': '重复的车位数据', en: 'Duplicate reading' } },
} as const;

/**
 * @module actors/building/errors
 * Error codes of the building actor beyond chat's, with zh-CN and en messages.
 */
export const BuildingError = {
  NOTICE_EMPTY: 'BUILDING_NOTICE_EMPTY',
  NOTICE_TOO_LONG: 'BUILDING_NOTICE_TOO_LONG',
  NOTICE_BAD_TEXT: 'BUILDING_NOTICE_BAD_TEXT',
  NOTICE_BAD_CATEGORY: 'BUILDING_NOTICE_BAD_CATEGORY',
} as const;
export type BuildingErrorCode = (typeof BuildingError)[keyof typeof BuildingError];

export const buildingErrorSpecs = {
  [BuildingError.NOTICE_EMPTY]: { retryable: false, message: { 'zh-CN': '通知标题和内容不能为空', en: 'A notice needs a title and a body' } },
  [BuildingError.NOTICE_TOO_LONG]: { retryable: false, message: { 'zh-CN': '通知太长', en: 'The notice is too long' } },
  [BuildingError.NOTICE_BAD_TEXT]: { retryable: false, message: { 'zh-CN': '通知包含无效字符', en: 'The notice contains invalid characters' } },
  [BuildingError.NOTICE_BAD_CATEGORY]: { retryable: false, message: { 'zh-CN': '通知分类不正确', en: 'Unknown notice category' } },
} as const;

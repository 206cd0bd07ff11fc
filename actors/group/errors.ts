/**
 * @module actors/group/errors
 * Error codes of the group actor beyond chat's.
 */
export const GroupError = {
  NOT_MEMBER: 'GROUP_NOT_MEMBER',
  MEMBER_LIMIT: 'GROUP_MEMBER_LIMIT',
} as const;
export type GroupErrorCode = (typeof GroupError)[keyof typeof GroupError];

export const groupErrorSpecs = {
  [GroupError.NOT_MEMBER]: { retryable: false, message: { 'zh-CN': '请先加入该兴趣小组', en: 'Join the group first' } },
  [GroupError.MEMBER_LIMIT]: { retryable: false, message: { 'zh-CN': '兴趣小组人数已满', en: 'The group is full' } },
} as const;

/**
 * @module actors/group/errors
 * Error codes of the group actor beyond chat's.
 */
export const GroupError = {
  NOT_MEMBER: 'GROUP_NOT_MEMBER',
  MEMBER_LIMIT: 'GROUP_MEMBER_LIMIT',
  BAD_POLL: 'GROUP_BAD_POLL',
  UNKNOWN_POLL: 'GROUP_UNKNOWN_POLL',
  POLL_CLOSED: 'GROUP_POLL_CLOSED',
  POLL_ANSWERED: 'GROUP_POLL_ANSWERED',
  POLL_FULL: 'GROUP_POLL_FULL',
} as const;
export type GroupErrorCode = (typeof GroupError)[keyof typeof GroupError];

export const groupErrorSpecs = {
  [GroupError.NOT_MEMBER]: { retryable: false, message: { 'zh-CN': '请先加入该兴趣小组', en: 'Join the group first' } },
  [GroupError.MEMBER_LIMIT]: { retryable: false, message: { 'zh-CN': '兴趣小组人数已满', en: 'The group is full' } },
  [GroupError.BAD_POLL]: { retryable: false, message: { 'zh-CN': '投票或报名的内容不完整或格式不正确', en: 'The poll or sign-up is incomplete or malformed' } },
  [GroupError.UNKNOWN_POLL]: { retryable: false, message: { 'zh-CN': '找不到该投票或报名', en: 'No such poll or sign-up' } },
  [GroupError.POLL_CLOSED]: { retryable: false, message: { 'zh-CN': '该投票或报名已截止', en: 'This poll or sign-up has closed' } },
  [GroupError.POLL_ANSWERED]: { retryable: false, message: { 'zh-CN': '你已参与过（每个账号一票）', en: 'You have already answered (one account, one answer)' } },
  [GroupError.POLL_FULL]: { retryable: false, message: { 'zh-CN': '报名人数已满', en: 'The sign-up is full' } },
} as const;

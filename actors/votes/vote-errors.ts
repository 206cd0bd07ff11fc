/**
 * @module actors/votes/vote-errors
 * Error codes of owners' votes and their rule sets, with zh-CN and en messages.
 * Owns: the VOTE_* codes and their texts. Does not: register them (rooms/register-errors.ts does).
 * Concurrency: constants only.
 */
export const VoteError = {
  NOT_STAFF: 'VOTE_NOT_STAFF',
  UNKNOWN_VOTE: 'VOTE_UNKNOWN_VOTE',
  ALREADY_EXISTS: 'VOTE_ALREADY_EXISTS',
  BAD_DEFINITION: 'VOTE_BAD_DEFINITION',
  BAD_RULES: 'VOTE_BAD_RULES',
  BAD_DEADLINE: 'VOTE_BAD_DEADLINE',
  EMPTY_REGISTER: 'VOTE_EMPTY_REGISTER',
  NOT_OPEN: 'VOTE_NOT_OPEN',
  CLOSED: 'VOTE_CLOSED',
  NOT_DUE: 'VOTE_NOT_DUE',
  BAD_CHOICE: 'VOTE_BAD_CHOICE',
  ALREADY_VOTED: 'VOTE_ALREADY_VOTED',
  NOT_OWNER: 'VOTE_NOT_OWNER',
  OUT_OF_SCOPE: 'VOTE_OUT_OF_SCOPE',
  NOT_IN_SNAPSHOT: 'VOTE_NOT_IN_SNAPSHOT',
  BAD_REASON: 'VOTE_BAD_REASON',
} as const;
export type VoteErrorCode = (typeof VoteError)[keyof typeof VoteError];

const E = VoteError;
const no = (zh: string, en: string) => ({ retryable: false, message: { 'zh-CN': zh, en } }) as const;

export const voteErrorSpecs = {
  [E.NOT_STAFF]: no('只有物业人员可以发起或管理表决', 'Only property staff can open or manage a vote'),
  [E.UNKNOWN_VOTE]: no('找不到该表决', 'No such vote'),
  [E.ALREADY_EXISTS]: no('该表决已存在', 'That vote already exists'),
  [E.BAD_DEFINITION]: no('表决内容不完整或格式不正确', 'The vote is incomplete or malformed'),
  [E.BAD_RULES]: no('计票规则不完整或格式不正确', 'The counting rules are incomplete or malformed'),
  [E.BAD_DEADLINE]: no('截止时间必须晚于现在且不超过允许的最长期限', 'The deadline must be in the future and within the longest allowed period'),
  [E.EMPTY_REGISTER]: no('表决范围内没有登记的房屋', 'No registered unit is within the scope of this vote'),
  [E.NOT_OPEN]: no('该表决尚未开始', 'This vote is not open'),
  [E.CLOSED]: no('该表决已结束，结果不可更改', 'This vote is closed; its record cannot change'),
  [E.NOT_DUE]: no('尚未到截止时间，不能结束表决', 'The deadline has not been reached; the vote cannot close yet'),
  [E.BAD_CHOICE]: no('所选选项无效', 'The choice is not valid for this vote'),
  [E.ALREADY_VOTED]: no('你已投过票，本次表决不允许改票', 'You have already voted, and this vote does not allow changing a ballot'),
  [E.NOT_OWNER]: no('只有登记在册的业主可以投票（租客、家庭成员和物业人员不能投票）', 'Only owners of record may vote (tenants, family members and staff may not)'),
  [E.OUT_OF_SCOPE]: no('你的房屋不在本次表决范围内', 'Your unit is not within the scope of this vote'),
  [E.NOT_IN_SNAPSHOT]: no('以表决开始时的房屋登记为准：开始时你不是该房屋的业主', 'The register at the opening of the vote decides: you were not an owner of this unit then'),
  [E.BAD_REASON]: no('请填写原因（不超过限定长度）', 'Give a reason (within the length limit)'),
} as const;

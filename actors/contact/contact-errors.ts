/**
 * @module actors/contact/contact-errors
 * Error codes of the contact relay (registered plates, anonymous asks and answers) and of the
 * plate parser, with zh-CN and en messages.
 * Owns: the CONTACT_* codes and their texts. Does not: register them (rooms/register-errors.ts does).
 * Concurrency: constants only.
 */
export const ContactError = {
  BAD_PLATE: 'CONTACT_BAD_PLATE',
  PLATE_TAKEN: 'CONTACT_PLATE_TAKEN',
  TOO_MANY_PLATES: 'CONTACT_TOO_MANY_PLATES',
  NOT_YOURS: 'CONTACT_NOT_YOURS',
  ACCOUNT_RELEASED: 'CONTACT_ACCOUNT_RELEASED',
  BAD_TARGET: 'CONTACT_BAD_TARGET',
  BAD_REQUEST_ID: 'CONTACT_BAD_REQUEST_ID',
  EMPTY: 'CONTACT_EMPTY',
  TOO_LONG: 'CONTACT_TOO_LONG',
  BAD_TEXT: 'CONTACT_BAD_TEXT',
  TOO_MANY_REQUESTS: 'CONTACT_TOO_MANY_REQUESTS',
  UNKNOWN_REQUEST: 'CONTACT_UNKNOWN_REQUEST',
  ALREADY_ANSWERED: 'CONTACT_ALREADY_ANSWERED',
  REQUEST_CLOSED: 'CONTACT_REQUEST_CLOSED',
  STAFF_ONLY: 'CONTACT_STAFF_ONLY',
  NO_SUCH_CLAIM: 'CONTACT_NO_SUCH_CLAIM',
  NOT_RESIDENT: 'CONTACT_NOT_RESIDENT',
} as const;
export type ContactErrorCode = (typeof ContactError)[keyof typeof ContactError];

const E = ContactError;
const no = (zh: string, en: string) => ({ retryable: false, message: { 'zh-CN': zh, en } }) as const;

export const contactErrorSpecs = {
  [E.BAD_PLATE]: no('车牌号格式不正确', 'The licence plate number is not valid'),
  [E.PLATE_TAKEN]: no('该车牌已被其他住户登记，如有疑问请联系物业', 'Another resident has registered this plate; ask the property office if it is yours'),
  [E.TOO_MANY_PLATES]: no('登记的车牌数量已达上限', 'You have registered as many plates as an account may hold'),
  [E.NOT_YOURS]: no('只能删除自己登记的车牌', 'You can only remove a plate you registered'),
  [E.ACCOUNT_RELEASED]: no('该账号已被停用', 'This account has been revoked'),
  [E.BAD_TARGET]: no('联系对象不正确', 'The contact target is not valid'),
  [E.BAD_REQUEST_ID]: no('请求标识无效', 'The request id is invalid'),
  [E.EMPTY]: no('留言不能为空', 'The message is empty'),
  [E.TOO_LONG]: no('留言太长', 'The message is too long'),
  [E.BAD_TEXT]: no('留言包含无效字符', 'The message contains invalid characters'),
  [E.TOO_MANY_REQUESTS]: { retryable: true, message: { 'zh-CN': '联系请求太频繁，请稍后再试', en: 'Too many contact requests; try again later' } },
  [E.UNKNOWN_REQUEST]: no('找不到该联系请求', 'No such contact request'),
  [E.ALREADY_ANSWERED]: no('你已回复过该请求', 'You have already answered this request'),
  [E.REQUEST_CLOSED]: no('该联系请求已过期', 'This contact request has expired'),
  [E.STAFF_ONLY]: no('只有物业人员可以审核车牌', 'Only property staff can review plates'),
  [E.NO_SUCH_CLAIM]: no('该账号没有登记或申请这个车牌', 'That account neither holds nor claims this plate'),
  [E.NOT_RESIDENT]: no('只有已验证的住户和物业人员可以使用邻里联系', 'Only verified residents and property staff can use neighbour contact'),
} as const;

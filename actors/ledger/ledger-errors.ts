/**
 * @module actors/ledger/ledger-errors
 * Error codes of the public accounts of the common parts (公共收益与维修资金公示) and of their
 * vouchers, with zh-CN and en messages.
 * Owns: the LEDGER_* codes and their texts. Does not: register them (rooms/register-errors.ts does).
 */
export const LedgerError = {
  NOT_STAFF: 'LEDGER_NOT_STAFF',
  BAD_LINE: 'LEDGER_BAD_LINE',
  BAD_AMOUNT: 'LEDGER_BAD_AMOUNT',
  BAD_MONTH: 'LEDGER_BAD_MONTH',
  LINE_EXISTS: 'LEDGER_LINE_EXISTS',
  UNKNOWN_LINE: 'LEDGER_UNKNOWN_LINE',
  ALREADY_CORRECTED: 'LEDGER_ALREADY_CORRECTED',
  TOO_MANY_VOUCHERS: 'LEDGER_TOO_MANY_VOUCHERS',
  UNKNOWN_VOUCHER: 'LEDGER_UNKNOWN_VOUCHER',
  VOUCHER_TOO_LARGE: 'LEDGER_VOUCHER_TOO_LARGE',
  VOUCHER_BAD_TYPE: 'LEDGER_VOUCHER_BAD_TYPE',
  BAD_TEXT: 'LEDGER_BAD_TEXT',
  UNKNOWN_QUESTION: 'LEDGER_UNKNOWN_QUESTION',
  ALREADY_ANSWERED: 'LEDGER_ALREADY_ANSWERED',
  TOO_MANY_QUESTIONS: 'LEDGER_TOO_MANY_QUESTIONS',
} as const;
export type LedgerErrorCode = (typeof LedgerError)[keyof typeof LedgerError];

const E = LedgerError;
const no = (zh: string, en: string) => ({ retryable: false, message: { 'zh-CN': zh, en } }) as const;

export const ledgerErrorSpecs = {
  [E.NOT_STAFF]: no('只有物业人员可以发布或答复公示', 'Only property staff can publish accounts or answer questions'),
  [E.BAD_LINE]: no('公示条目不完整或格式不正确', 'The accounts line is incomplete or malformed'),
  [E.BAD_AMOUNT]: no('金额必须是大于零的整数分，且不超过上限', 'The amount must be a whole number of fen above zero and within the limit'),
  [E.BAD_MONTH]: no('月份格式应为 YYYY-MM', 'The month must be written YYYY-MM'),
  [E.LINE_EXISTS]: no('该公示条目已存在，已发布的条目不能修改', 'That line already exists; a published line cannot be changed'),
  [E.UNKNOWN_LINE]: no('找不到该公示条目', 'No such accounts line'),
  [E.ALREADY_CORRECTED]: no('该条目已被更正，请更正最新的条目', 'That line has already been corrected; correct the newest line'),
  [E.TOO_MANY_VOUCHERS]: no('附件凭证数量超过上限', 'Too many vouchers attached to one line'),
  [E.UNKNOWN_VOUCHER]: no('找不到该凭证文件，请先上传', 'No such voucher file; upload it first'),
  [E.VOUCHER_TOO_LARGE]: no('凭证文件太大', 'The voucher file is too large'),
  [E.VOUCHER_BAD_TYPE]: no('凭证只能是 PNG、JPEG、WebP 图片或 PDF 文件', 'A voucher must be a PNG, JPEG or WebP image or a PDF file'),
  [E.BAD_TEXT]: no('内容为空、太长或包含无效字符', 'The text is empty, too long or contains invalid characters'),
  [E.UNKNOWN_QUESTION]: no('找不到该提问', 'No such question'),
  [E.ALREADY_ANSWERED]: no('该提问已答复', 'That question has already been answered'),
  [E.TOO_MANY_QUESTIONS]: no('该条目的提问数量已达上限', 'That line has as many questions as it may hold'),
} as const;

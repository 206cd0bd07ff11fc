/**
 * @module actors/identity/identity-errors
 * Error codes of sign-in, sessions, tokens and device credentials, with zh-CN and en messages.
 * Owns: the IDENTITY_* codes and their texts. Does not: register them (rooms/register-errors.ts does).
 * Concurrency: constants only.
 */
export const IdentityError = {
  BAD_PHONE: 'IDENTITY_BAD_PHONE',
  PHONE_TAKEN: 'IDENTITY_PHONE_TAKEN',
  WEAK_PASSWORD: 'IDENTITY_WEAK_PASSWORD',
  BAD_CREDENTIALS: 'IDENTITY_BAD_CREDENTIALS',
  TOO_MANY_ATTEMPTS: 'IDENTITY_TOO_MANY_ATTEMPTS',
  UNKNOWN_ACCOUNT: 'IDENTITY_UNKNOWN_ACCOUNT',
  ACCOUNT_EXISTS: 'IDENTITY_ACCOUNT_EXISTS',
  ACCOUNT_REVOKED: 'IDENTITY_ACCOUNT_REVOKED',
  SESSION_EXISTS: 'IDENTITY_SESSION_EXISTS',
  UNKNOWN_SESSION: 'IDENTITY_UNKNOWN_SESSION',
  SESSION_REVOKED: 'IDENTITY_SESSION_REVOKED',
  SESSION_EXPIRED: 'IDENTITY_SESSION_EXPIRED',
  REFRESH_REUSED: 'IDENTITY_REFRESH_REUSED',
  NOT_YOUR_SESSION: 'IDENTITY_NOT_YOUR_SESSION',
  TOKEN_MISSING: 'IDENTITY_TOKEN_MISSING',
  TOKEN_INVALID: 'IDENTITY_TOKEN_INVALID',
  TOKEN_EXPIRED: 'IDENTITY_TOKEN_EXPIRED',
  WRONG_COMMUNITY: 'IDENTITY_WRONG_COMMUNITY',
  WRONG_TOKEN_KIND: 'IDENTITY_WRONG_TOKEN_KIND',
  FORBIDDEN: 'IDENTITY_FORBIDDEN',
  UNKNOWN_DEVICE: 'IDENTITY_UNKNOWN_DEVICE',
  SETUP_DONE: 'IDENTITY_SETUP_DONE',
  BAD_SETUP_CODE: 'IDENTITY_BAD_SETUP_CODE',
  BUSY: 'IDENTITY_BUSY',
  TOO_MANY_CONNECTIONS: 'IDENTITY_TOO_MANY_CONNECTIONS',
  NO_DIRECTORY_ACCOUNT: 'IDENTITY_NO_DIRECTORY_ACCOUNT',
} as const;
export type IdentityErrorCode = (typeof IdentityError)[keyof typeof IdentityError];

const E = IdentityError;
const no = (zh: string, en: string) => ({ retryable: false, message: { 'zh-CN': zh, en } }) as const;

export const identityErrorSpecs = {
  [E.BAD_PHONE]: no('手机号格式不正确（中国大陆 11 位手机号）', 'The phone number is malformed (an 11-digit mainland China mobile number)'),
  [E.PHONE_TAKEN]: no('该手机号已注册，请直接登录', 'That phone number already has an account; sign in instead'),
  [E.WEAK_PASSWORD]: no('密码至少 8 个字符，且不能全是同一个字符', 'The password needs at least 8 characters, not all the same'),
  [E.BAD_CREDENTIALS]: no('手机号或密码不正确', 'Wrong phone number or password'),
  [E.TOO_MANY_ATTEMPTS]: { retryable: true, message: { 'zh-CN': '失败次数过多，请稍后再试', en: 'Too many failed attempts; try again later' } },
  [E.UNKNOWN_ACCOUNT]: no('找不到该账号', 'Unknown account'),
  [E.ACCOUNT_EXISTS]: no('该账号已存在', 'That account already exists'),
  [E.ACCOUNT_REVOKED]: no('该账号已被停用', 'That account has been revoked'),
  [E.SESSION_EXISTS]: no('该会话已存在', 'That session already exists'),
  [E.UNKNOWN_SESSION]: no('找不到该登录会话', 'Unknown session'),
  [E.SESSION_REVOKED]: no('该登录会话已被注销，请重新登录', 'That session was revoked; sign in again'),
  [E.SESSION_EXPIRED]: no('登录已过期，请重新登录', 'The session has expired; sign in again'),
  [E.REFRESH_REUSED]: no('刷新令牌被重复使用，为安全起见该会话已注销，请重新登录', 'A refresh token was used twice; the session was revoked for safety, sign in again'),
  [E.NOT_YOUR_SESSION]: no('只能注销自己的会话', 'You can only revoke your own sessions'),
  [E.TOKEN_MISSING]: no('请先登录', 'Sign in first'),
  [E.TOKEN_INVALID]: no('登录凭证无效，请重新登录', 'The sign-in token is not valid; sign in again'),
  [E.TOKEN_EXPIRED]: { retryable: true, message: { 'zh-CN': '登录凭证已过期，请刷新后重试', en: 'The access token has expired; refresh it and retry' } },
  [E.WRONG_COMMUNITY]: no('该账号不属于这个小区', 'That account belongs to another community'),
  [E.WRONG_TOKEN_KIND]: no('该凭证不能用于此操作', 'That kind of token cannot be used here'),
  [E.FORBIDDEN]: no('你的身份不能执行此操作', 'Your role does not allow this'),
  [E.UNKNOWN_DEVICE]: no('设备编号或密钥不正确', 'Wrong device id or secret'),
  [E.SETUP_DONE]: no('首位管理员已设置，设置码已失效', 'The first administrator is already set up; the setup code is spent'),
  [E.BAD_SETUP_CODE]: no('设置码不正确，请使用服务启动时打印的设置码', 'The setup code is not valid; use the one the server printed when it started'),
  [E.BUSY]: { retryable: true, message: { 'zh-CN': '登录请求过多，请稍后再试', en: 'Too many sign-in requests right now; retry shortly' } },
  [E.TOO_MANY_CONNECTIONS]: { retryable: true, message: { 'zh-CN': '该账号打开的连接太多，请先关闭其他窗口', en: 'This account has too many connections open; close some first' } },
  [E.NO_DIRECTORY_ACCOUNT]: no('该登录凭证不属于小区里的任何账号，请联系物业', 'These credentials belong to no account of the community; ask the property office'),
} as const;

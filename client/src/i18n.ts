/**
 * @module client/i18n
 * Every visible string of the web app, in zh-CN (the default) and en, and the language choice.
 * Owns: the dictionary, placeholder filling, reading/persisting the choice, `<html lang>`.
 * Does not: translate server data (rooms send LocalizedText; `pick` chooses the side).
 * Concurrency: none; the App holds the current language in Preact state and passes it down by context.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const DEFAULT_LANG: Lang = 'zh-CN';
const STORAGE_KEY = 'linli.lang';

const zh = {
  appTitle: '邻里',
  langSwitch: 'English',
  langSwitchTitle: 'Switch to English',
  loading: '正在加载社区…',
  loadFailed: '社区数据加载失败：{error}',
  retry: '重试',
  mapTitle: '社区地图',
  mapAria: '社区地图：点击住宅楼进入该楼的聊天室',
  mapFailed: '地图无法显示：{error}',
  mapLegend: '车位占用',
  legendLow: '< 70%',
  legendMid: '70–90%',
  legendHigh: '≥ 90%',
  legendNone: '暂无数据',
  parkingTitle: '停车场',
  parkingFree: '空闲 {free}',
  parkingOf: '{occupied}/{capacity}',
  parkingNoData: '暂无数据',
  parkingEmpty: '本社区没有停车场',
  chatTitle: '邻里聊天',
  buildingLabel: '楼栋 / 群组',
  buildingPlaceholder: '选择楼栋…',
  buildingsGroup: '住宅楼',
  groupsGroup: '兴趣群组',
  online: '{n} 人在线',
  nameLabel: '我的昵称',
  chatEmpty: '还没有消息，来打个招呼吧。',
  chatPick: '在地图上点击你的住宅楼，或从上方选择楼栋或群组，进入邻里聊天。',
  chatPlaceholder: '输入消息，按回车发送',
  send: '发送',
  sending: '发送中…',
  notConnected: '尚未连接，请稍候再发送。',
  tooLong: '消息过长：最多 {max} 个字符。',
  counterTitle: '已输入字符数 / 上限 {max}',
  noticesTitle: '公告',
  you: '我',
  statusConnected: '已连接',
  statusConnecting: '连接中…',
  statusReconnecting: '连接中断，正在重连…',
  statusOffline: '离线，稍后重试',
  statusIdle: '未连接',
  dismiss: '关闭',
  attrOsm: '地图数据 © OpenStreetMap contributors (ODbL)',
  attrParking: '车位占用数据：Parking Birmingham，UCI 机器学习库，CC BY 4.0 — 回放并按比例缩放',
  dataSources: '数据来源',
  statusDenied: '无权进入',
  working: '处理中…',
  loadingShort: '加载中…',
  reload: '刷新',
  cancel: '取消',
  retryAfter: '请在 {s} 秒后再试。',
  signOut: '退出登录',
  noRoles: '暂无身份',
  panelsLabel: '功能',
  tabChat: '聊天',
  tabContact: '找邻居',
  tabProperty: '物业',
  tabMe: '我的',
  tabVotes: '表决',
  tabAccounts: '公示',
  chatNone: '你的身份没有可进入的聊天室。',
  authTitle: '登录邻里',
  authTabSignIn: '登录',
  authTabSignUp: '邀请码注册',
  authTabSetup: '设置管理员',
  authInviteCode: '邀请码',
  authSetupCode: '设置码',
  authSetupHint: '设置码由服务器启动时打印（npm start）。只能使用一次：首位物业管理员设置完成后即失效。',
  authPhone: '手机号',
  authPhoneHint: '11 位手机号',
  authName: '昵称（邻居看到的名字）',
  authPassword: '密码',
  authPasswordHint: '至少 8 个字符',
  authSubmitSignIn: '登录',
  authSubmitSignUp: '注册并登录',
  authSubmitSetup: '设置并登录',
  roleOwner: '业主',
  roleTenant: '租户',
  roleFamily: '家庭成员',
  rolePropertyStaff: '物业人员',
  rolePropertyAdmin: '物业管理员',
  roleGuard: '保安',
  roleMerchant: '商户',
  roleCarer: '护理员',
  roleAnalyst: '数据分析员',
  unitLabel: '{building} {entrance}单元 {room}',
  unitShort: '{entrance}单元 {room}',
  unitMembers: '{n} 位成员',
  noticeFormTitle: '发布公告',
  noticeTitleLabel: '标题',
  noticeBodyLabel: '内容',
  noticePost: '发布',
  noticePosted: '公告已发布。',
  propertyTitle: '物业',
  registerTitle: '导入房屋登记表',
  registerHint: 'CSV 文件，表头：building_id,entrance,floor,room,area_m2,owner_of_record。已有的房屋不会重复导入；文件有错误时不导入任何一行。',
  registerUpload: '上传并导入',
  registerDone: '共 {rows} 行：新导入 {imported} 套，已存在 {known} 套。',
  registerLine: '第 {line} 行（{column}）：{detail}',
  registerUnknownBuilding: '本小区没有楼栋 {building}',
  inviteTitle: '发放邀请码',
  inviteKind: '邀请类型',
  inviteKindUnit: '住户（按房屋）',
  inviteKindStaff: '工作人员（按身份）',
  inviteBuilding: '楼栋',
  inviteUnit: '房屋',
  inviteUnitPlaceholder: '选择房屋…',
  inviteNoUnits: '该楼栋尚未导入房屋',
  inviteRole: '身份',
  inviteTenancyEnd: '租期结束日',
  inviteIssue: '生成邀请码',
  inviteNoUnit: '本小区',
  inviteHandOver: '请把邀请码交给对方（{role}，{unit}）：',
  inviteExpires: '有效期至 {at}，只能使用一次。',
  accountsTitle: '账号',
  accountRevokedAt: '已于 {at} 停用',
  revokeAccount: '停用',
  revokeAccountTitle: '停用该账号：立即退出所有设备和房间',
  revokeConfirm: '确认停用',
  meTitle: '我的',
  meRoles: '身份',
  redeemTitle: '使用邀请码（新增房屋或身份）',
  redeemSubmit: '使用',
  redeemDone: '已添加。',
  sessionsTitle: '登录设备',
  sessionThis: '本设备',
  sessionUnknownDevice: '未知设备',
  sessionSeen: '登录于 {opened}，最近活动 {seen}',
  sessionRevoke: '退出该设备',
  contactTitle: '找邻居',
  contactHint: '通过车牌或房号联系邻居，双方都看不到对方的手机号；对方回复后你才会看到回复者的昵称。',
  platesTitle: '我的车牌',
  platePlaceholder: '如 京A12345',
  plateAdd: '登记',
  plateRemove: '删除车牌 {plate}',
  askTitle: '联系邻居',
  askByPlate: '按车牌',
  askByUnit: '按房号',
  askPlate: '车牌号',
  askEntrance: '单元',
  askRoom: '房号',
  askText: '留言',
  askTextHint: '例如：您的车挡住了消防通道，请尽快挪车，谢谢！',
  askSend: '发送',
  askSent: '已发送。如有邻居回复，会显示在下方“我发出的”。',
  inboxTitle: '收到的请求',
  inboxEmpty: '暂时没有人联系你。',
  answered: '已回复',
  answerPlaceholder: '回复内容',
  answerSend: '回复',
  outboxTitle: '我发出的',
  outboxEmpty: '你还没有发出请求。',
  noAnswerYet: '暂无回复',
  targetPlate: '车牌 {plate}',
  targetUnit: '房屋 {unit}',
};

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  appTitle: 'Linli',
  langSwitch: '中文',
  langSwitchTitle: '切换到中文',
  loading: 'Loading the community…',
  loadFailed: 'Could not load the community: {error}',
  retry: 'Retry',
  mapTitle: 'Community map',
  mapAria: 'Community map: click a residential building to open its chat',
  mapFailed: 'The map cannot be shown: {error}',
  mapLegend: 'Parking occupancy',
  legendLow: '< 70%',
  legendMid: '70–90%',
  legendHigh: '≥ 90%',
  legendNone: 'no data yet',
  parkingTitle: 'Parking',
  parkingFree: '{free} free',
  parkingOf: '{occupied}/{capacity}',
  parkingNoData: 'no data yet',
  parkingEmpty: 'This community has no car parks',
  chatTitle: 'Neighbour chat',
  buildingLabel: 'Building / group',
  buildingPlaceholder: 'Choose a building…',
  buildingsGroup: 'Residential buildings',
  groupsGroup: 'Interest groups',
  online: '{n} online',
  nameLabel: 'My name',
  chatEmpty: 'No messages yet. Say hello.',
  chatPick: 'Click your building on the map, or choose a building or group above, to chat with your neighbours.',
  chatPlaceholder: 'Type a message, Enter to send',
  send: 'Send',
  sending: 'sending…',
  notConnected: 'Not connected yet; try again in a moment.',
  tooLong: 'Too long: at most {max} characters.',
  counterTitle: 'Characters typed / limit of {max}',
  noticesTitle: 'Notices',
  you: 'me',
  statusConnected: 'Connected',
  statusConnecting: 'Connecting…',
  statusReconnecting: 'Connection lost, reconnecting…',
  statusOffline: 'Offline, retrying',
  statusIdle: 'Not connected',
  dismiss: 'Dismiss',
  attrOsm: 'Map data © OpenStreetMap contributors (ODbL)',
  attrParking: 'Parking occupancy: Parking Birmingham, UCI ML Repository, CC BY 4.0 — replayed and scaled',
  dataSources: 'Data sources',
  statusDenied: 'No access',
  working: 'Working…',
  loadingShort: 'Loading…',
  reload: 'Refresh',
  cancel: 'Cancel',
  retryAfter: 'Try again in {s} s.',
  signOut: 'Sign out',
  noRoles: 'no role yet',
  panelsLabel: 'Panels',
  tabChat: 'Chat',
  tabContact: 'Reach a neighbour',
  tabProperty: 'Property',
  tabMe: 'Me',
  tabVotes: 'Votes',
  tabAccounts: 'Accounts',
  chatNone: 'Your roles give you no chat room.',
  authTitle: 'Sign in to Linli',
  authTabSignIn: 'Sign in',
  authTabSignUp: 'Join with invite code',
  authTabSetup: 'Set up',
  authInviteCode: 'Invite code',
  authSetupCode: 'Setup code',
  authSetupHint: 'The setup code is printed when the server starts (npm start). It works once: it is spent when the first property administrator is set up.',
  authPhone: 'Phone number',
  authPhoneHint: '11-digit mobile number',
  authName: 'Display name (what neighbours see)',
  authPassword: 'Password',
  authPasswordHint: 'at least 8 characters',
  authSubmitSignIn: 'Sign in',
  authSubmitSignUp: 'Join and sign in',
  authSubmitSetup: 'Set up and sign in',
  roleOwner: 'Owner',
  roleTenant: 'Tenant',
  roleFamily: 'Family member',
  rolePropertyStaff: 'Property staff',
  rolePropertyAdmin: 'Property admin',
  roleGuard: 'Guard',
  roleMerchant: 'Merchant',
  roleCarer: 'Carer',
  roleAnalyst: 'Analyst',
  unitLabel: '{building}, entrance {entrance}, {room}',
  unitShort: 'Entrance {entrance}, {room}',
  unitMembers: '{n} members',
  noticeFormTitle: 'Post a notice',
  noticeTitleLabel: 'Title',
  noticeBodyLabel: 'Text',
  noticePost: 'Post',
  noticePosted: 'The notice is posted.',
  propertyTitle: 'Property office',
  registerTitle: 'Import the unit register',
  registerHint: 'A CSV file with the header building_id,entrance,floor,room,area_m2,owner_of_record. Known units are not imported twice; a file with errors imports nothing.',
  registerUpload: 'Upload and import',
  registerDone: '{rows} rows: {imported} units imported, {known} already known.',
  registerLine: 'Line {line} ({column}): {detail}',
  registerUnknownBuilding: 'This community has no building {building}',
  inviteTitle: 'Issue an invite code',
  inviteKind: 'Invite for',
  inviteKindUnit: 'A resident (by unit)',
  inviteKindStaff: 'Staff (by role)',
  inviteBuilding: 'Building',
  inviteUnit: 'Unit',
  inviteUnitPlaceholder: 'Choose a unit…',
  inviteNoUnits: 'No units imported for this building',
  inviteRole: 'Role',
  inviteTenancyEnd: 'Last day of the tenancy',
  inviteIssue: 'Issue code',
  inviteNoUnit: 'the community',
  inviteHandOver: 'Hand this code over ({role}, {unit}):',
  inviteExpires: 'Valid until {at}, once.',
  accountsTitle: 'Accounts',
  accountRevokedAt: 'revoked {at}',
  revokeAccount: 'Revoke',
  revokeAccountTitle: 'Revoke this account: signed out of every device and room at once',
  revokeConfirm: 'Confirm revoke',
  meTitle: 'Me',
  meRoles: 'Roles',
  redeemTitle: 'Use an invite code (another unit or role)',
  redeemSubmit: 'Use code',
  redeemDone: 'Added.',
  sessionsTitle: 'Signed-in devices',
  sessionThis: 'This device',
  sessionUnknownDevice: 'Unknown device',
  sessionSeen: 'signed in {opened}, last active {seen}',
  sessionRevoke: 'Sign out there',
  contactTitle: 'Reach a neighbour',
  contactHint: 'Reach a neighbour by plate or unit without either side seeing a phone number; you learn who answered only from their answer.',
  platesTitle: 'My plates',
  platePlaceholder: 'e.g. 京A12345',
  plateAdd: 'Register',
  plateRemove: 'Remove plate {plate}',
  askTitle: 'Contact a neighbour',
  askByPlate: 'By plate',
  askByUnit: 'By unit',
  askPlate: 'Plate number',
  askEntrance: 'Entrance',
  askRoom: 'Room',
  askText: 'Message',
  askTextHint: 'e.g. Your car is blocking the fire lane, please move it. Thanks!',
  askSend: 'Send',
  askSent: 'Sent. Any answer appears below under "My requests".',
  inboxTitle: 'Requests to me',
  inboxEmpty: 'Nobody has contacted you.',
  answered: 'Answered',
  answerPlaceholder: 'Your answer',
  answerSend: 'Answer',
  outboxTitle: 'My requests',
  outboxEmpty: 'You have not asked anyone yet.',
  noAnswerYet: 'No answer yet',
  targetPlate: 'plate {plate}',
  targetUnit: 'unit {unit}',
};

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const dict = DICTIONARIES[lang];
  return (key, params) => {
    const text = dict[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

/** Chooses the side of a server-sent `{ 'zh-CN', en }` text. */
export function pick(text: { readonly 'zh-CN': string; readonly en: string }, lang: Lang): string {
  return text[lang] || text['zh-CN'] || text.en;
}

function isLang(value: unknown): value is Lang {
  return LANGS.includes(value as Lang);
}

/** The stored choice, else zh-CN (the product's home language, not the browser's). */
export function initialLang(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): Lang {
  const stored = storage?.getItem(STORAGE_KEY);
  return isLang(stored) ? stored : DEFAULT_LANG;
}

export function applyLang(lang: Lang, storage: Pick<Storage, 'setItem'> | undefined = safeStorage()): void {
  document.documentElement.lang = lang;
  document.title = lang === 'en' ? 'Linli · neighbourhood' : '邻里 · 社区';
  storage?.setItem(STORAGE_KEY, lang);
}

/** localStorage, or undefined where it is blocked (private modes, sandboxed frames). */
export function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: choices simply do not persist
  }
}

export interface I18n {
  readonly lang: Lang;
  readonly t: Translate;
  setLang(lang: Lang): void;
}

export const I18nContext = createContext<I18n>({ lang: DEFAULT_LANG, t: translator(DEFAULT_LANG), setLang: () => {} });

export function useI18n(): I18n {
  return useContext(I18nContext);
}

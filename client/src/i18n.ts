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
  chatPick: '在地图上点击住宅楼，或从上方选择楼栋，进入邻里聊天。',
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
  chatPick: 'Click a residential building on the map, or choose one above, to chat with your neighbours.',
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

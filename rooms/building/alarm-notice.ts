/**
 * @module rooms/building/alarm-notice
 * The text of the notice a building gets when an alarm is raised or resolved in it, naming the
 * kind and the entrance only, never the unit or anyone living there. Written in both languages
 * (`i18n`, which the web client shows in its UI language) and, for clients and analytics that
 * read only `title`/`body`, once more as one combined "中文 / English" text.
 */
import type { NoticeI18n, NoticeText } from '../../actors/building/protocol.ts';

export const SECURITY_AUTHOR = { authorId: 'system:alarms', authorName: '安防系统 Security' } as const;

const KIND: Readonly<Record<string, readonly [string, string]>> = {
  smoke: ['烟雾报警', 'Smoke alarm'], gas: ['燃气报警', 'Gas alarm'], water: ['漏水报警', 'Water leak'],
  'forced-door': ['门禁被强行打开', 'Door forced open'], sos: ['紧急呼叫', 'Emergency call'],
};

export function alarmNotice(kind: string, entrance: string | null, step: 'raised' | 'resolved'): NoticeText & { readonly i18n: NoticeI18n } {
  const [zhKind, enKind] = KIND[kind] ?? ['报警', 'Alarm'];
  const zhWhere = entrance ? `${entrance}单元` : '本楼';
  const enWhere = entrance ? `Entrance ${entrance}` : 'This building';
  const i18n: NoticeI18n = step === 'raised'
    ? {
      'zh-CN': { title: zhKind, body: `${zhWhere}：保安已收到报警，正在处理。请保持冷静，听从工作人员指引。` },
      en: { title: enKind, body: `${enWhere}: guards have been alerted and are on their way; please stay calm and follow staff instructions.` },
    }
    : {
      'zh-CN': { title: `${zhKind}已处理`, body: `${zhWhere}：报警已处理完毕。` },
      en: { title: `${enKind} resolved`, body: `${enWhere}: the alarm has been dealt with.` },
    };
  const zh = i18n['zh-CN'];
  return { title: `${zh.title} / ${i18n.en.title}`, body: `${zh.body} / ${i18n.en.body}`, i18n };
}

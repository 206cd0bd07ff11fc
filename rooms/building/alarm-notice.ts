/**
 * @module rooms/building/alarm-notice
 * The text of the notice a building gets when an alarm is raised or resolved in it: bilingual
 * (the notice has one text for everyone), naming the kind and the entrance only, never the unit
 * or anyone living there.
 */
export const SECURITY_AUTHOR = { authorId: 'system:alarms', authorName: '安防系统 Security' } as const;

const KIND: Readonly<Record<string, readonly [string, string]>> = {
  smoke: ['烟雾报警', 'Smoke alarm'], gas: ['燃气报警', 'Gas alarm'], water: ['漏水报警', 'Water leak'],
  'forced-door': ['门禁被强行打开', 'Door forced open'], sos: ['紧急呼叫', 'Emergency call'],
};

export function alarmNotice(kind: string, entrance: string | null, step: 'raised' | 'resolved'): { title: string; body: string } {
  const [zh, en] = KIND[kind] ?? ['报警', 'Alarm'];
  const where = entrance ? `${entrance}单元 / entrance ${entrance}` : '本楼 / this building';
  return step === 'raised'
    ? { title: `${zh} / ${en}`, body: `${where}：保安已收到报警，正在处理。请保持冷静，听从工作人员指引。 / Guards have been alerted and are on their way; please stay calm and follow staff instructions.` }
    : { title: `${zh}已处理 / ${en} resolved`, body: `${where}：报警已处理完毕。 / The alarm has been dealt with.` };
}

/**
 * Tests of which text of a notice the page shows: a bilingual notice in the page's language only,
 * a one-language notice (staff's, or any stored before notices carried both) as written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alarmNotice } from '../../../rooms/building/alarm-notice.ts';
import { noticeText } from './notice-text.ts';

const CJK = /[\u3000-\u9fff\uff00-\uffef]/;

test('noticeText: an alarm notice in en → only English (no CJK); in zh-CN → only Chinese', () => {
  for (const step of ['raised', 'resolved'] as const) {
    const n = alarmNotice('smoke', '1', step);
    const en = noticeText(n, 'en');
    assert.ok(!CJK.test(en.title + en.body), `${en.title} ${en.body}`);
    assert.match(en.title, /^Smoke alarm/);
    assert.match(en.body, /^Entrance 1:/);
    const zh = noticeText(n, 'zh-CN');
    assert.ok(!/[A-Za-z]/.test(zh.title + zh.body), `${zh.title} ${zh.body}`);
    assert.match(zh.title, /^烟雾报警/);
    assert.match(zh.body, /^1单元：/);
  }
});

test('noticeText: a notice without i18n → its title and body in both languages', () => {
  const n = { title: '停水通知', body: '明天 9:00–12:00 停水' };
  assert.deepEqual(noticeText(n, 'en'), n);
  assert.deepEqual(noticeText(n, 'zh-CN'), n);
});

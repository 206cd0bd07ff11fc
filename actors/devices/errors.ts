/**
 * @module actors/devices/errors
 * Error codes of device input (why the gateway refused a reading: staff see them per device)
 * and of device commands. A refused reading's code is `DEVICE_<reason>` (catalog.rejectCode).
 */
import type { RejectReason } from './protocol.ts';

type Spec = { readonly retryable: boolean; readonly message: { readonly 'zh-CN': string; readonly en: string } };

export const READING_ERROR_SPECS: Readonly<Record<RejectReason, Spec>> = {
  too_large: { retryable: false, message: { 'zh-CN': '设备消息太大', en: 'The device message is too large' } },
  not_utf8: { retryable: false, message: { 'zh-CN': '设备消息不是 UTF-8 文本', en: 'The device message is not UTF-8 text' } },
  not_json: { retryable: false, message: { 'zh-CN': '设备消息不是 JSON', en: 'The device message is not JSON' } },
  bad_subject: { retryable: false, message: { 'zh-CN': '设备主题格式不正确', en: 'The device subject is malformed' } },
  unknown_device: { retryable: false, message: { 'zh-CN': '未登记的设备', en: 'The device is not registered' } },
  unknown_signal: { retryable: false, message: { 'zh-CN': '该类设备没有这个信号', en: 'This kind of device has no such signal' } },
  no_value: { retryable: false, message: { 'zh-CN': '读数缺少数值', en: 'The reading has no value' } },
  bad_value: { retryable: false, message: { 'zh-CN': '读数数值无效', en: 'The reading value is not a valid number' } },
  wrong_unit: { retryable: false, message: { 'zh-CN': '读数单位不正确', en: 'The reading is in the wrong unit' } },
  out_of_range: { retryable: false, message: { 'zh-CN': '读数超出量程', en: 'The reading is out of range' } },
  bad_data: { retryable: false, message: { 'zh-CN': '设备事件内容不符合格式', en: 'The device event does not match its schema' } },
  bad_time: { retryable: false, message: { 'zh-CN': '读数时间无效', en: 'The reading time is not valid' } },
  future_time: { retryable: false, message: { 'zh-CN': '读数时间超前于服务器时钟', en: 'The reading time is ahead of the server clock' } },
  stale_time: { retryable: false, message: { 'zh-CN': '读数时间太旧', en: 'The reading time is too far in the past' } },
  bad_seq: { retryable: false, message: { 'zh-CN': '读数序号无效', en: 'The reading sequence number is not valid' } },
  replayed_seq: { retryable: false, message: { 'zh-CN': '重复或过期的读数序号', en: 'The reading repeats an old sequence number' } },
  flood: { retryable: true, message: { 'zh-CN': '设备发送太频繁', en: 'The device sends too often' } },
};

export const DeviceError = {
  UNKNOWN: 'DEVICE_UNKNOWN_DEVICE',
  COMMAND_FORBIDDEN: 'DEVICE_COMMAND_FORBIDDEN',
  COMMAND_UNSUPPORTED: 'DEVICE_COMMAND_UNSUPPORTED',
  BAD_COMMAND: 'DEVICE_BAD_COMMAND',
  BAD_WINDOW: 'DEVICE_BAD_WINDOW',
  DUPLICATE_COMMAND: 'DEVICE_DUPLICATE_COMMAND',
  UNKNOWN_COMMAND: 'DEVICE_UNKNOWN_COMMAND',
  ALREADY_ACKNOWLEDGED: 'DEVICE_ALREADY_ACKNOWLEDGED',
} as const;
export type DeviceErrorCode = (typeof DeviceError)[keyof typeof DeviceError];

export const deviceErrorSpecs: Record<string, Spec> = {
  ...Object.fromEntries(Object.entries(READING_ERROR_SPECS).map(([reason, spec]) => [`DEVICE_${reason.toUpperCase()}`, spec])),
  [DeviceError.COMMAND_FORBIDDEN]: { retryable: false, message: { 'zh-CN': '你没有权限向该设备发送此命令', en: 'You may not send this command to that device' } },
  [DeviceError.COMMAND_UNSUPPORTED]: { retryable: false, message: { 'zh-CN': '该设备不支持此命令', en: 'That device does not take this command' } },
  [DeviceError.BAD_COMMAND]: { retryable: false, message: { 'zh-CN': '设备命令格式不正确', en: 'The device command is malformed' } },
  [DeviceError.BAD_WINDOW]: { retryable: false, message: { 'zh-CN': '授权时段无效（须在将来，且不超过上限）', en: 'The access window is not valid (it must lie ahead and within the limit)' } },
  [DeviceError.DUPLICATE_COMMAND]: { retryable: false, message: { 'zh-CN': '该命令已发送过', en: 'That command was already sent' } },
  [DeviceError.UNKNOWN_COMMAND]: { retryable: false, message: { 'zh-CN': '找不到该设备命令', en: 'No such device command' } },
  [DeviceError.ALREADY_ACKNOWLEDGED]: { retryable: false, message: { 'zh-CN': '设备已确认过该命令', en: 'The device already acknowledged that command' } },
};

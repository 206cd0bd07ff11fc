/**
 * @module engine/presence/errors
 * Codes the cluster presence and room cache raise (they reach Colyseus's matchmaker and any room
 * that uses `this.presence`); registered in the engine catalogue, listed in docs/errors.md.
 */
import { LinliError, registerErrors } from '../errors.ts';

export const PresenceError = {
  WRONG_TYPE: 'ENGINE_PRESENCE_WRONG_TYPE',
  NOT_INTEGER: 'ENGINE_PRESENCE_NOT_INTEGER',
  CONFLICT: 'ENGINE_PRESENCE_CONFLICT',
  UNAVAILABLE: 'ENGINE_PRESENCE_UNAVAILABLE',
  VALUE_TOO_LARGE: 'ENGINE_PRESENCE_VALUE_TOO_LARGE',
  BUSY: 'ENGINE_PRESENCE_BUSY',
} as const;

registerErrors({
  [PresenceError.WRONG_TYPE]: { retryable: false, message: { 'zh-CN': '该键存放的是另一种类型的数据', en: 'The key holds another kind of value' } },
  [PresenceError.NOT_INTEGER]: { retryable: false, message: { 'zh-CN': '该值不是整数', en: 'The value is not an integer' } },
  [PresenceError.CONFLICT]: { retryable: true, message: { 'zh-CN': '同一共享键的并发写入过多，请重试', en: 'Too many concurrent writes to one shared key; retry' } },
  [PresenceError.UNAVAILABLE]: { retryable: true, message: { 'zh-CN': '集群共享状态（NATS）暂时不可用，请稍后再试', en: 'The cluster state store (NATS) is unavailable; retry shortly' } },
  [PresenceError.BUSY]: { retryable: true, message: { 'zh-CN': '同一共享键上等待的操作过多，请稍后再试', en: 'Too many operations are waiting on one shared key; retry shortly' } },
  [PresenceError.VALUE_TOO_LARGE]: { retryable: false, message: { 'zh-CN': '共享状态的值超过了 NATS 消息的大小上限', en: 'The value is larger than a NATS message may be' } },
});

export function presenceError(code: string, details?: Record<string, unknown>, cause?: unknown): LinliError {
  return new LinliError(code, details, cause === undefined ? undefined : { cause });
}

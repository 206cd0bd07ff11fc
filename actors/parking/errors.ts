/**
 * @module actors/parking/errors
 * Error codes of the parking office (tariff, passes, gate sessions, payments) and of guidance
 * requests, with zh-CN and en messages.
 * Owns: the PARKING_* codes and their texts. Does not: register them (rooms/register-errors.ts does).
 * Concurrency: constants only.
 */
export const ParkingError = {
  BAD_PLATE: 'PARKING_BAD_PLATE',
  UNKNOWN_PLATE: 'PARKING_UNKNOWN_PLATE',
  NO_SESSION: 'PARKING_NO_SESSION',
  NOT_STAFF: 'PARKING_NOT_STAFF',
  NOT_RESIDENT: 'PARKING_NOT_RESIDENT',
  NOT_YOURS: 'PARKING_NOT_YOURS',
  BAD_TARIFF: 'PARKING_BAD_TARIFF',
  BAD_WINDOW: 'PARKING_BAD_WINDOW',
  TOO_MANY_PASSES: 'PARKING_TOO_MANY_PASSES',
  UNKNOWN_PASS: 'PARKING_UNKNOWN_PASS',
  PASS_REVOKED: 'PARKING_PASS_REVOKED',
  DUPLICATE_ID: 'PARKING_DUPLICATE_ID',
  WRONG_AMOUNT: 'PARKING_WRONG_AMOUNT',
  NOTHING_DUE: 'PARKING_NOTHING_DUE',
  BAD_PAYMENT: 'PARKING_BAD_PAYMENT',
  UNKNOWN_LOT: 'PARKING_UNKNOWN_LOT',
  UNKNOWN_GATE: 'PARKING_UNKNOWN_GATE',
  NO_FREE_BAY: 'PARKING_NO_FREE_BAY',
  ALREADY_HOLDING: 'PARKING_ALREADY_HOLDING',
  NO_HOLD: 'PARKING_NO_HOLD',
  BAD_HOLD: 'PARKING_BAD_HOLD',
} as const;
export type ParkingErrorCode = (typeof ParkingError)[keyof typeof ParkingError];

const E = ParkingError;
const no = (zh: string, en: string) => ({ retryable: false, message: { 'zh-CN': zh, en } }) as const;

export const parkingErrorSpecs = {
  [E.BAD_PLATE]: no('车牌号格式不正确', 'The licence plate is malformed'),
  [E.UNKNOWN_PLATE]: no('该车牌未登记，道闸不予放行', 'That plate is not registered; the gate stays closed'),
  [E.NO_SESSION]: no('该车辆没有入场记录', 'That car has no parking session'),
  [E.NOT_STAFF]: no('只有物业人员可以执行此操作', 'Only property staff can do this'),
  [E.NOT_RESIDENT]: no('只有本小区住户可以执行此操作', 'Only residents of this community can do this'),
  [E.NOT_YOURS]: no('这不是你的车辆或通行证', 'That is not your car or pass'),
  [E.BAD_TARIFF]: no('收费标准不正确：数值超出范围或类型不对，或未给出任何字段', 'The tariff update is not valid: a value out of range or of the wrong type, or no field given'),
  [E.BAD_WINDOW]: no('通行证时段无效（须尚未结束，且不超过上限）', 'The pass window is not valid (it must not have ended and must be within the limit)'),
  [E.TOO_MANY_PASSES]: no('本户的访客通行证已达上限', 'Your unit has as many visitor passes as it may hold'),
  [E.UNKNOWN_PASS]: no('找不到该通行证', 'No such pass'),
  [E.PASS_REVOKED]: no('该通行证已被撤销', 'That pass is already revoked'),
  [E.DUPLICATE_ID]: no('编号重复', 'That id is already used'),
  [E.WRONG_AMOUNT]: no('金额与应付金额不符', 'The amount differs from the amount due'),
  [E.NOTHING_DUE]: no('当前无需缴费', 'Nothing is due now'),
  [E.BAD_PAYMENT]: no('缴费信息不正确', 'The payment is malformed'),
  [E.UNKNOWN_LOT]: no('找不到该停车场', 'No such car park'),
  [E.UNKNOWN_GATE]: no('找不到该出入口', 'No such gate'),
  [E.NO_FREE_BAY]: no('暂无可分配的空车位', 'No free bay can be offered now'),
  [E.ALREADY_HOLDING]: no('你已有一个为你保留的车位，请先取消', 'A bay is already held for you; cancel it first'),
  [E.NO_HOLD]: no('当前没有为你保留的车位', 'No bay is held for you'),
  [E.BAD_HOLD]: no('车位保留请求不正确', 'The hold request is malformed'),
} as const;

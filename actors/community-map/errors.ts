/**
 * @module actors/community-map/errors
 * Error codes of the community-map actor.
 */
export const MapError = {
  UNKNOWN_LOT: 'MAP_UNKNOWN_LOT',
  UNKNOWN_BUILDING: 'MAP_UNKNOWN_BUILDING',
  BAD_OBSERVATION: 'MAP_BAD_OBSERVATION',
} as const;
export type MapErrorCode = (typeof MapError)[keyof typeof MapError];

export const mapErrorSpecs = {
  [MapError.UNKNOWN_LOT]: { retryable: false, message: { 'zh-CN': '地图上没有该停车场', en: 'No such parking lot on the map' } },
  [MapError.UNKNOWN_BUILDING]: { retryable: false, message: { 'zh-CN': '地图上没有该楼栋', en: 'No such building on the map' } },
  [MapError.BAD_OBSERVATION]: { retryable: false, message: { 'zh-CN': '地图数据无效', en: 'Invalid map observation' } },
} as const;

/**
 * @module importers/osm/names
 * Turns OSM name tags into a { zh-CN, en } pair. zh-CN: the first of name:zh-Hans, name:zh, name
 * written in Chinese. en: name:en, else a Latin-script name tag, else the rules and the small
 * hand-made glossary below, else "<kind> <osm number>" (so every feature has an English label).
 * Owns: naming policy and the kind labels. Does not: decide which features are imported.
 * Concurrency: pure functions over constant tables.
 */
import type { LocalizedName } from '../../actors/community/layout.ts';
import type { Tags } from './osm-xml.ts';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * English names for features near the default compound that OSM names only in Chinese.
 * 石科院 is the Sinopec Research Institute of Petroleum Processing (RIPP). Extend when importing
 * another compound; anything missing falls back to "<kind> <osm number>".
 */
export const GLOSSARY: Readonly<Record<string, string>> = {
  石科院生活区: 'Shikeyuan Residential Compound',
  石科院职工食堂: 'RIPP Staff Canteen',
  二食堂: 'Canteen No. 2',
  科技活动中心: 'Science and Technology Activity Centre',
  招待所: 'Guesthouse',
  动力楼: 'Power House',
  条件技安处: 'Facilities and Safety Office',
  石化楼: 'Petrochemical Building',
  培训楼: 'Training Building',
  原幼儿园停车场: 'Former Kindergarten Car Park',
  地下停车场: 'Underground Car Park',
  石科院小卖部: 'RIPP Shop',
  多用厅: 'Multi-purpose Hall',
  图书馆: 'Library',
  社区健身器材: 'Community Fitness Corner',
  畅乐园: 'Changle Garden',
  石科院北门: 'RIPP North Gate',
  石科院工作区南门: 'RIPP Work Area South Gate',
  工作区东门: 'Work Area East Gate',
  东南门: 'South-east Gate',
  六道口岗楼: 'Liudaokou Public Toilet',
  二里庄车站: 'Erlizhuang Station Public Toilet',
  北京石油学院附属中学: 'Beijing Petroleum Institute Affiliated Middle School',
};

/** zh-CN and en labels per OSM kind value, used for unnamed features. */
const KIND_LABELS: Readonly<Record<string, readonly [string, string]>> = {
  residential: ['小区', 'Residential compound'],
  building: ['建筑', 'Building'],
  parking: ['停车场', 'Car park'],
  entrance: ['出入口', 'Entrance'],
  gate: ['大门', 'Gate'],
  lift_gate: ['道闸', 'Barrier gate'],
  atm: ['自动取款机', 'ATM'],
  bakery: ['面包店', 'Bakery'],
  bank: ['银行', 'Bank'],
  beauty: ['美容店', 'Beauty salon'],
  bicycle: ['自行车店', 'Bicycle shop'],
  books: ['书店', 'Bookshop'],
  cafe: ['咖啡馆', 'Café'],
  clinic: ['诊所', 'Clinic'],
  clothes: ['服装店', 'Clothes shop'],
  college: ['学院', 'College'],
  convenience: ['便利店', 'Convenience store'],
  dentist: ['牙科诊所', 'Dentist'],
  doctors: ['诊所', 'Doctor'],
  fast_food: ['快餐店', 'Fast food'],
  fitness_centre: ['健身中心', 'Fitness centre'],
  fitness_station: ['健身器材', 'Fitness station'],
  florist: ['花店', 'Florist'],
  fuel: ['加油站', 'Petrol station'],
  garden: ['花园', 'Garden'],
  hairdresser: ['理发店', 'Hairdresser'],
  hospital: ['医院', 'Hospital'],
  kindergarten: ['幼儿园', 'Kindergarten'],
  kiosk: ['报刊亭', 'Kiosk'],
  laundry: ['洗衣店', 'Laundry'],
  library: ['图书馆', 'Library'],
  marketplace: ['市场', 'Market'],
  optician: ['眼镜店', 'Optician'],
  park: ['公园', 'Park'],
  pharmacy: ['药店', 'Pharmacy'],
  pitch: ['运动场', 'Sports pitch'],
  playground: ['儿童游乐场', 'Playground'],
  police: ['警务站', 'Police'],
  restaurant: ['餐馆', 'Restaurant'],
  school: ['学校', 'School'],
  social_centre: ['活动中心', 'Social centre'],
  sports_centre: ['体育中心', 'Sports centre'],
  supermarket: ['超市', 'Supermarket'],
  swimming_pool: ['游泳池', 'Swimming pool'],
  toilets: ['公共厕所', 'Public toilet'],
};

/** Labels for a kind value; unknown kinds get a generic zh label and the value in words. */
export function kindLabel(kind: string): readonly [string, string] {
  const known = KIND_LABELS[kind];
  if (known) return known;
  const words = kind.replace(/_/g, ' ');
  return ['设施', words.charAt(0).toUpperCase() + words.slice(1)];
}

function firstNonEmpty(values: readonly (string | undefined)[]): string | undefined {
  return values.map((v) => v?.trim()).find((v) => v !== undefined && v !== '');
}

/** Rule-based English for common Chinese name shapes, or undefined. */
export function translateName(zh: string): string | undefined {
  const glossary = GLOSSARY[zh];
  if (glossary) return glossary;
  const block = /(\d+)号楼$/.exec(zh);
  if (block) return `Building ${block[1]}`;
  return undefined;
}

/**
 * The localized name of a feature.
 * @example localizedName({ name: '1号楼' }, 'building', 594889490) // { 'zh-CN': '1号楼', en: 'Building 1' }
 */
export function localizedName(tags: Tags, kind: string, osmNumber: number): LocalizedName {
  const candidates = [tags['name:zh-Hans'], tags['name:zh'], tags['name']];
  const [kindZh, kindEn] = kindLabel(kind);
  const zh = candidates.find((v) => v !== undefined && CJK.test(v))?.trim() ?? firstNonEmpty([tags['name'], ...candidates]);
  const latin = candidates.find((v) => v !== undefined && v.trim() !== '' && !CJK.test(v))?.trim();
  const en = firstNonEmpty([tags['name:en']]) ?? latin ?? (zh !== undefined ? translateName(zh) : undefined);
  return {
    'zh-CN': zh ?? `${kindZh} ${osmNumber}`,
    en: en ?? `${kindEn} ${osmNumber}`,
  };
}

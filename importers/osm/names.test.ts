/**
 * @module importers/osm/names.test
 * Naming policy: Chinese first for zh-CN, name:en or a Latin tag or the rules for en, then kind + id.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localizedName } from './names.ts';

test('localizedName: numbered block 1号楼 → "Building 1"', () => {
  assert.deepEqual(localizedName({ name: '1号楼', 'name:zh-Hant': '1號樓' }, 'building', 594889490), { 'zh-CN': '1号楼', en: 'Building 1' });
});

test('localizedName: name:en present → used as en', () => {
  assert.deepEqual(localizedName({ name: '星巴克', 'name:en': 'Starbucks' }, 'cafe', 297113664), { 'zh-CN': '星巴克', en: 'Starbucks' });
});

test('localizedName: English written in name:zh (a real OSM mistake) → zh from name, en from name:zh', () => {
  const name = localizedName({ name: '中国农业大学东区社区卫生服务中心', 'name:zh': 'East Campus Community Health Service Center' }, 'hospital', 1);
  assert.deepEqual(name, { 'zh-CN': '中国农业大学东区社区卫生服务中心', en: 'East Campus Community Health Service Center' });
});

test('localizedName: glossary name → glossary English', () => {
  assert.equal(localizedName({ name: '东南门' }, 'entrance', 5671590330).en, 'South-east Gate');
});

test('localizedName: unnamed feature → kind label and OSM number in both languages', () => {
  assert.deepEqual(localizedName({ amenity: 'parking' }, 'parking', 595098587), { 'zh-CN': '停车场 595098587', en: 'Car park 595098587' });
});

test('localizedName: Chinese name unknown to the rules → kind label and OSM number in en', () => {
  assert.deepEqual(localizedName({ name: '晋风庄园' }, 'restaurant', 3698246732), { 'zh-CN': '晋风庄园', en: 'Restaurant 3698246732' });
});

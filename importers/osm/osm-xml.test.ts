/**
 * @module importers/osm/osm-xml.test
 * The OSM XML reader on the committed test cut and on hand-broken documents.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { OsmXmlError, parseOsmXml } from './osm-xml.ts';

const MINI = readFileSync(new URL('./testdata/shikeyuan-mini.osm', import.meta.url), 'utf8');

function doc(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">\n${body}\n</osm>\n`;
}

describe('parseOsmXml', () => {
  test('parseOsmXml: test cut of the real export → nodes, ways with refs and tags', () => {
    const data = parseOsmXml(MINI);
    assert.equal(data.ways.size, 5);
    assert.equal(data.relations.size, 0);
    const compound = data.ways.get(595108678);
    assert.equal(compound?.tags['name'], '石科院生活区');
    assert.equal(compound?.refs[0], compound?.refs[compound.refs.length - 1]);
    const gate = data.nodes.get(5671590330);
    assert.equal(gate?.tags['entrance'], 'yes');
    assert.equal(gate?.lat, 39.9967588);
    assert.equal(gate?.lon, 116.3543933);
    assert.match(data.generator ?? '', /openstreetmap-cgimap/);
  });

  test('parseOsmXml: entities, single quotes and ">" inside values → decoded values', () => {
    const data = parseOsmXml(doc(`<node id="1" lat="1" lon="2"><tag k='name' v="A &amp; B &lt;3 &#x4E2D;&#25991; x>y"/></node>`));
    assert.equal(data.nodes.get(1)?.tags['name'], 'A & B <3 中文 x>y');
  });

  test('parseOsmXml: relation members → typed members with roles', () => {
    const data = parseOsmXml(doc(`<relation id="7"><member type="way" ref="3" role="outer"/><member type="node" ref="4" role=""/><tag k="type" v="multipolygon"/></relation>`));
    assert.deepEqual(data.relations.get(7)?.members, [{ type: 'way', ref: 3, role: 'outer' }, { type: 'node', ref: 4, role: '' }]);
  });

  const broken: [string, string, RegExp][] = [
    ['mismatched closing tag', doc('<way id="1">\n<nd ref="2"/>\n</node>'), /line 5: <\/node> closes <way>/],
    ['unclosed element', `<osm>\n<way id="1">\n`, /unclosed <way>/],
    ['text between tags', doc('hello'), /line 3: unexpected text/],
    ['latitude out of range', doc('<node id="1" lat="91" lon="0"/>'), /bad lat="91"/],
    ['id that is not a number', doc('<node id="x1" lat="1" lon="0"/>'), /bad id="x1"/],
    ['root that is not <osm>', '<gpx></gpx>', /root element is <gpx>/],
    ['empty input', '', /no <osm> root/],
    ['tag outside an element', doc('<tag k="a" v="b"/>'), /<tag> outside a node/],
    ['unknown entity', doc('<node id="1" lat="1" lon="0"><tag k="a" v="&nbsp;"/></node>'), /unknown entity &nbsp;/],
    ['unterminated attribute', doc('<node id="1 lat="1" lon="0"/>'), /bad attribute or unterminated tag/],
    ['duplicate node', doc('<node id="1" lat="1" lon="0"/>\n<node id="1" lat="1" lon="0"/>'), /duplicate node 1/],
  ];
  for (const [what, text, message] of broken) {
    test(`parseOsmXml: ${what} → OsmXmlError naming the problem`, () => {
      assert.throws(() => parseOsmXml(text), (err: unknown) => err instanceof OsmXmlError && message.test(err.message));
    });
  }
});

/**
 * @module importers/osm/osm-xml
 * A small reader for OSM XML 0.6 exports (<osm>, <node>, <way><nd/><tag/></way>, <relation>).
 * Owns: tokenising, well-formedness (nesting, attributes, entities) and the element model.
 * Does not: interpret tags or geometry (see community.ts), stream (the export is a few MB at most).
 * Concurrency: pure and synchronous. Malformed input throws OsmXmlError with a line number.
 */
import { ImportError } from '../errors.ts';

export type Tags = Readonly<Record<string, string>>;

export interface OsmNode {
  readonly type: 'node';
  readonly id: number;
  readonly lat: number;
  readonly lon: number;
  readonly tags: Tags;
}

export interface OsmWay {
  readonly type: 'way';
  readonly id: number;
  readonly refs: readonly number[];
  readonly tags: Tags;
}

export interface OsmMember {
  readonly type: 'node' | 'way' | 'relation';
  readonly ref: number;
  readonly role: string;
}

export interface OsmRelation {
  readonly type: 'relation';
  readonly id: number;
  readonly members: readonly OsmMember[];
  readonly tags: Tags;
}

export type OsmElement = OsmNode | OsmWay | OsmRelation;

export interface OsmData {
  readonly generator: string | null;
  readonly nodes: ReadonlyMap<number, OsmNode>;
  readonly ways: ReadonlyMap<number, OsmWay>;
  readonly relations: ReadonlyMap<number, OsmRelation>;
}

/** Thrown for input that is not well-formed OSM XML; `line` is 1-based. */
export class OsmXmlError extends ImportError {
  override readonly name = 'OsmXmlError';
  constructor(readonly line: number, detail: string) {
    super(`malformed OSM XML at line ${line}: ${detail}`);
  }
}

const NAME = /[A-Za-z_:][\w:.-]*/y;
const ATTR = /\s+([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const TAG_END = /\s*(\/?)>/y;
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

interface PendingElement {
  kind: 'node' | 'way' | 'relation';
  id: number;
  lat: number;
  lon: number;
  refs: number[];
  members: OsmMember[];
  tags: Record<string, string>;
}

/**
 * Parses an OSM XML document. Elements other than node/way/relation (bounds, note, meta, …) are
 * checked for well-formedness and otherwise ignored.
 */
export function parseOsmXml(text: string): OsmData {
  const lineAt = (index: number): number => {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
    return line;
  };
  const fail = (index: number, detail: string): never => {
    throw new OsmXmlError(lineAt(index), detail);
  };
  const decode = (raw: string, at: number): string =>
    raw.indexOf('&') === -1
      ? raw
      : raw.replace(ENTITY, (_m, body: string) => {
          if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
          if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
          const named = NAMED_ENTITIES[body];
          return named ?? fail(at, `unknown entity &${body};`);
        });

  const nodes = new Map<number, OsmNode>();
  const ways = new Map<number, OsmWay>();
  const relations = new Map<number, OsmRelation>();
  let generator: string | null = null;
  const stack: string[] = [];
  let sawRoot = false;
  let current = null as PendingElement | null;

  const finish = (at: number): void => {
    const b = current!;
    current = null;
    const tags = b.tags;
    if (b.kind === 'node') {
      if (nodes.has(b.id)) fail(at, `duplicate node ${b.id}`);
      nodes.set(b.id, { type: 'node', id: b.id, lat: b.lat, lon: b.lon, tags });
    } else if (b.kind === 'way') {
      if (ways.has(b.id)) fail(at, `duplicate way ${b.id}`);
      ways.set(b.id, { type: 'way', id: b.id, refs: b.refs, tags });
    } else {
      if (relations.has(b.id)) fail(at, `duplicate relation ${b.id}`);
      relations.set(b.id, { type: 'relation', id: b.id, members: b.members, tags });
    }
  };

  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    for (let k = i; k < textEnd; k++) {
      const c = text.charCodeAt(k);
      // OSM XML carries everything in attributes; only whitespace (and a BOM) may sit between tags.
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) fail(k, 'unexpected text outside a tag');
    }
    if (lt === -1) break;
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) fail(lt, 'unterminated processing instruction');
      i = end + 2;
      continue;
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end === -1) fail(lt, 'unterminated comment');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<!', lt)) fail(lt, 'DOCTYPE and CDATA are not supported');
    if (text.startsWith('</', lt)) {
      NAME.lastIndex = lt + 2;
      const m = NAME.exec(text);
      if (!m) fail(lt, 'bad closing tag');
      const name = m![0];
      TAG_END.lastIndex = NAME.lastIndex;
      const end = TAG_END.exec(text);
      if (!end || end[1] === '/') fail(lt, `bad closing tag </${name}`);
      const open = stack.pop();
      if (open !== name) fail(lt, open === undefined ? `unexpected </${name}>` : `</${name}> closes <${open}>`);
      if (current && name === current.kind && stack.length === 1) finish(lt);
      i = TAG_END.lastIndex;
      continue;
    }
    NAME.lastIndex = lt + 1;
    const m = NAME.exec(text);
    if (!m) fail(lt, 'bad tag');
    const name = m![0];
    const attrs: Record<string, string> = Object.create(null);
    let pos = NAME.lastIndex;
    for (;;) {
      ATTR.lastIndex = pos;
      const a = ATTR.exec(text);
      if (!a) break;
      attrs[a[1]!] = decode(a[2] ?? a[3] ?? '', lt);
      pos = ATTR.lastIndex;
    }
    TAG_END.lastIndex = pos;
    const end = TAG_END.exec(text);
    if (!end) fail(pos, `bad attribute or unterminated tag <${name}`);
    const selfClosing = end![1] === '/';
    i = TAG_END.lastIndex;

    if (stack.length === 0) {
      if (sawRoot) fail(lt, 'more than one root element');
      if (name !== 'osm') fail(lt, `root element is <${name}>, expected <osm>`);
      sawRoot = true;
      generator = attrs['generator'] ?? null;
    } else {
      handleElement(name, attrs, lt);
    }
    if (!selfClosing) stack.push(name);
    else if (current && name === current.kind && stack.length === 1) finish(lt);
  }
  if (!sawRoot) fail(n, 'no <osm> root element');
  if (stack.length > 0) fail(n, `unclosed <${stack[stack.length - 1]}>`);
  return { generator, nodes, ways, relations };

  function handleElement(name: string, attrs: Record<string, string>, at: number): void {
    const parent = stack[stack.length - 1];
    const depth = stack.length;
    if (name === 'node' || name === 'way' || name === 'relation') {
      if (depth !== 1) fail(at, `<${name}> nested inside <${parent}>`);
      const id = int(attrs['id'], 'id', name, at);
      const el: PendingElement = { kind: name, id, lat: 0, lon: 0, refs: [], members: [], tags: Object.create(null) };
      if (name === 'node') {
        el.lat = coord(attrs['lat'], 'lat', -90, 90, at);
        el.lon = coord(attrs['lon'], 'lon', -180, 180, at);
      }
      current = el;
      return;
    }
    if (name === 'nd' || name === 'tag' || name === 'member') {
      if (!current || depth !== 2) fail(at, `<${name}> outside a node, way or relation`);
      const el = current!;
      if (name === 'tag') {
        const k = attrs['k'];
        const v = attrs['v'];
        if (k === undefined || v === undefined) fail(at, '<tag> needs k and v');
        el.tags[k!] = v!;
      } else if (name === 'nd') {
        if (el.kind !== 'way') fail(at, `<nd> inside <${el.kind}>`);
        el.refs.push(int(attrs['ref'], 'ref', 'nd', at));
      } else {
        if (el.kind !== 'relation') fail(at, `<member> inside <${el.kind}>`);
        const type = attrs['type'];
        if (type !== 'node' && type !== 'way' && type !== 'relation') fail(at, `<member> has bad type "${type ?? ''}"`);
        el.members.push({ type: type as OsmMember['type'], ref: int(attrs['ref'], 'ref', 'member', at), role: attrs['role'] ?? '' });
      }
    }
    // Anything else (bounds, note, meta, unknown extensions) is only checked for nesting.
  }

  function int(raw: string | undefined, attr: string, el: string, at: number): number {
    if (raw === undefined || !/^-?\d{1,16}$/.test(raw)) fail(at, `<${el}> has bad ${attr}="${raw ?? ''}"`);
    return Number(raw);
  }

  function coord(raw: string | undefined, attr: string, min: number, max: number, at: number): number {
    const v = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(v) || v < min || v > max) fail(at, `<node> has bad ${attr}="${raw ?? ''}"`);
    return v;
  }
}

/** `way/123` style id of an element. */
export function osmRef(el: OsmElement): string {
  return `${el.type}/${el.id}`;
}

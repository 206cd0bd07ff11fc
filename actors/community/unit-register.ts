/**
 * @module actors/community/unit-register
 * The unit register (房屋登记表) as CSV: parsing it into UnitRow values with every problem of every
 * bad line (each bad field, a building the community does not have), and the checks a unit row
 * must pass wherever it comes from.
 * Owns: the register's columns and field formats, unit ids. Does not: read files, or know which
 * buildings exist (the caller passes their ids).
 * Concurrency: pure functions; never throws. Lines starting with `#` are comments.
 * Overflow: past `maxRows` data rows, parsing stops with one DIRECTORY_REGISTER_TOO_MANY_ROWS error.
 */
import { cleanText, codePointLength, hasLoneSurrogate } from '../_kit/index.ts';
import { DirectoryError } from './directory-errors.ts';
import type { UnitRow } from './directory-protocol.ts';

export const REGISTER_COLUMNS = ['building_id', 'entrance', 'floor', 'room', 'area_m2', 'owner_of_record'] as const;
export type RegisterColumn = (typeof REGISTER_COLUMNS)[number];
export const DEFAULT_REGISTER_MAX_ROWS = 20_000;
export const MAX_OWNER_CHARS = 64;
const MIN_FLOOR = -9;
const MAX_FLOOR = 200;
const MAX_AREA_M2 = 10_000;

export type RegisterErrorCode =
  | typeof DirectoryError.REGISTER_BAD_HEADER
  | typeof DirectoryError.REGISTER_BAD_ROW
  | typeof DirectoryError.REGISTER_BAD_FIELD
  | typeof DirectoryError.REGISTER_DUPLICATE_UNIT
  | typeof DirectoryError.REGISTER_UNKNOWN_BUILDING
  | typeof DirectoryError.REGISTER_TOO_MANY_ROWS;

/** One problem on one line (1-based, counting comments and blank lines), with the column when known. */
export interface RegisterLineError {
  readonly line: number;
  readonly code: RegisterErrorCode;
  readonly column: RegisterColumn | null;
  /** What was wrong, in English, for the staff member fixing the file. */
  readonly detail: string;
}

export interface ParsedRegister {
  readonly rows: readonly UnitRow[];
  readonly errors: readonly RegisterLineError[];
  /** Building ids the file names that are not among the known ones, in order of first mention (empty when none were given). */
  readonly unknownBuildings: readonly string[];
}

const ID_PART = /^[A-Za-z0-9]{1,12}$/;
const BUILDING_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The unit id `<building>-<entrance>-<room>`; entrance and room hold no `-`, so the id is unambiguous from the right. */
export function unitIdOf(row: Pick<UnitRow, 'buildingId' | 'entrance' | 'room'>): string {
  return `${row.buildingId}-${row.entrance}-${row.room}`;
}

/** Every column whose value breaks the unit-row rules, in column order; empty when the row is valid. */
export function unitRowProblems(row: UnitRow): { column: RegisterColumn; detail: string }[] {
  const problems: { column: RegisterColumn; detail: string }[] = [];
  if (typeof row.buildingId !== 'string' || !BUILDING_ID.test(row.buildingId)) problems.push({ column: 'building_id', detail: 'expected letters, digits, - or _' });
  if (typeof row.entrance !== 'string' || !ID_PART.test(row.entrance)) problems.push({ column: 'entrance', detail: 'expected 1–12 letters or digits' });
  if (!Number.isInteger(row.floor) || row.floor < MIN_FLOOR || row.floor > MAX_FLOOR || Object.is(row.floor, -0)) {
    problems.push({ column: 'floor', detail: `expected an integer from ${MIN_FLOOR} to ${MAX_FLOOR}` });
  }
  if (typeof row.room !== 'string' || !ID_PART.test(row.room)) problems.push({ column: 'room', detail: 'expected 1–12 letters or digits' });
  if (typeof row.areaM2 !== 'number' || !Number.isFinite(row.areaM2) || row.areaM2 <= 0 || row.areaM2 > MAX_AREA_M2) {
    problems.push({ column: 'area_m2', detail: `expected a number above 0 and at most ${MAX_AREA_M2}` });
  }
  const owner = row.ownerOfRecord;
  if (owner !== null && (typeof owner !== 'string' || hasLoneSurrogate(owner) || owner !== cleanText(owner)
    || owner.length === 0 || codePointLength(owner) > MAX_OWNER_CHARS)) {
    problems.push({ column: 'owner_of_record', detail: `expected clean text of 1–${MAX_OWNER_CHARS} characters, or empty` });
  }
  return problems;
}

/** The first column whose value breaks the unit-row rules, or null when the row is valid. */
export function unitRowProblem(row: UnitRow): { column: RegisterColumn; detail: string } | null {
  return unitRowProblems(row)[0] ?? null;
}

/** Splits one CSV line (RFC 4180 quoting, `""` for a quote); null when a quote is left open. */
function splitCsvLine(line: string): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '' && !wasQuoted) { quoted = true; wasQuoted = true; cell = ''; }
    else if (ch === ',') { cells.push(cell); cell = ''; wasQuoted = false; }
    else cell += ch;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}

/** NFKC turns full-width digits and letters (１２０２, Ａ) into ASCII, as spreadsheets in zh-CN often hold them. */
const cellText = (raw: string) => cleanText(raw.normalize('NFKC'));

function parseNumber(raw: string, suffixes: RegExp): number | null {
  const s = cellText(raw).replace(suffixes, '').trim();
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Object.is(n, -0) ? 0 : n;
}

/**
 * Parses a unit register. The first non-comment, non-blank line is the header and must name the
 * six columns (any order). Accepts a BOM, CRLF, quoted cells, and common suffixes (`1单元`, `12层`,
 * `1202室`, `89.5㎡`). Bad lines are reported with every problem they have (each bad field; a
 * building not in `buildings`, when given) and skipped; good lines are returned in file order.
 * @example parseUnitRegister('building_id,entrance,floor,room,area_m2,owner_of_record\nbldg-1,1,12,1202,89.5,张三')
 */
export function parseUnitRegister(text: string, maxRows: number = DEFAULT_REGISTER_MAX_ROWS, buildings?: ReadonlySet<string>): ParsedRegister {
  const rows: UnitRow[] = [];
  const errors: RegisterLineError[] = [];
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  let columns: Map<RegisterColumn, number> | null = null;
  const seen = new Map<string, number>();
  let dataLines = 0;
  const unknownBuildings = new Set<string>();
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const cells = splitCsvLine(raw);
    if (cells === null) {
      errors.push({ line, code: DirectoryError.REGISTER_BAD_ROW, column: null, detail: 'unterminated quote (cells cannot span lines)' });
      if (columns === null) return { rows, errors, unknownBuildings: [...unknownBuildings] };
      continue;
    }
    if (columns === null) {
      const header = cells.map((c) => cellText(c).toLowerCase());
      const unknown = header.filter((h) => !(REGISTER_COLUMNS as readonly string[]).includes(h));
      const missing = REGISTER_COLUMNS.filter((c) => !header.includes(c));
      const dup = header.filter((h, j) => header.indexOf(h) !== j);
      if (unknown.length > 0 || missing.length > 0 || dup.length > 0) {
        const parts = [missing.length ? `missing ${missing.join(', ')}` : '', unknown.length ? `unknown ${unknown.join(', ')}` : '', dup.length ? `repeated ${dup.join(', ')}` : ''];
        errors.push({ line, code: DirectoryError.REGISTER_BAD_HEADER, column: null, detail: `${parts.filter(Boolean).join('; ')}; expected ${REGISTER_COLUMNS.join(',')}` });
        return { rows, errors, unknownBuildings: [...unknownBuildings] };
      }
      columns = new Map(REGISTER_COLUMNS.map((c) => [c, header.indexOf(c)]));
      continue;
    }
    if (dataLines >= maxRows) {
      errors.push({ line, code: DirectoryError.REGISTER_TOO_MANY_ROWS, column: null, detail: `more than ${maxRows} rows; split the file` });
      break;
    }
    dataLines++;
    if (cells.length !== REGISTER_COLUMNS.length) {
      errors.push({ line, code: DirectoryError.REGISTER_BAD_ROW, column: null, detail: `expected ${REGISTER_COLUMNS.length} cells, found ${cells.length}` });
      continue;
    }
    const get = (c: RegisterColumn) => cells[columns!.get(c)!];
    const owner = cellText(get('owner_of_record'));
    const row: UnitRow = {
      buildingId: cellText(get('building_id')),
      entrance: cellText(get('entrance')).replace(/\s*单元$/u, ''),
      floor: parseNumber(get('floor'), /\s*(层|楼|f)$/iu) ?? Number.NaN,
      room: cellText(get('room')).replace(/\s*(室|号)$/u, ''),
      areaM2: parseNumber(get('area_m2'), /\s*(m2|m²|平方米|平米)$/iu) ?? Number.NaN,
      ownerOfRecord: owner === '' ? null : owner,
    };
    const problems = unitRowProblems(row);
    for (const p of problems) errors.push({ line, code: DirectoryError.REGISTER_BAD_FIELD, column: p.column, detail: `${p.detail}, found ${JSON.stringify(get(p.column))}` });
    const wellFormedBuilding = !problems.some((p) => p.column === 'building_id');
    if (buildings && wellFormedBuilding && !buildings.has(row.buildingId)) {
      unknownBuildings.add(row.buildingId);
      errors.push({ line, code: DirectoryError.REGISTER_UNKNOWN_BUILDING, column: 'building_id', detail: `no building ${JSON.stringify(row.buildingId)} in this community` });
      continue;
    }
    if (problems.length > 0) continue;
    const id = unitIdOf(row);
    const first = seen.get(id);
    if (first !== undefined) {
      errors.push({ line, code: DirectoryError.REGISTER_DUPLICATE_UNIT, column: null, detail: `unit ${id} already on line ${first}` });
      continue;
    }
    seen.set(id, line);
    rows.push(row);
  }
  if (columns === null && errors.length === 0) {
    errors.push({ line: 1, code: DirectoryError.REGISTER_BAD_HEADER, column: null, detail: `no header; expected ${REGISTER_COLUMNS.join(',')}` });
  }
  return { rows, errors, unknownBuildings: [...unknownBuildings] };
}

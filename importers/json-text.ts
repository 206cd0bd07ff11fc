/**
 * @module importers/json-text
 * Deterministic, diff-friendly JSON for fixtures: two-space indent, but arrays of numbers and
 * arrays of coordinate pairs on one line, and small flat objects (names) on one line.
 * Owns: fixture formatting only. Does not: sort keys (callers build objects in a fixed order).
 * Concurrency: pure.
 */
const isPrimitive = (v: unknown): boolean => v === null || typeof v !== 'object';

function inline(v: unknown): boolean {
  if (isPrimitive(v)) return true;
  if (Array.isArray(v)) return v.every((x) => typeof x === 'number' || (Array.isArray(x) && x.every((y) => typeof y === 'number')));
  const values = Object.values(v as object);
  return values.length <= 4 && values.every(isPrimitive);
}

function render(v: unknown, indent: string): string {
  if (inline(v)) {
    if (Array.isArray(v)) return `[${v.map((x) => JSON.stringify(x)).join(',')}]`;
    if (isPrimitive(v)) return JSON.stringify(v);
    if (Object.keys(v as object).length === 0) return '{}';
    return `{ ${Object.entries(v as object).map(([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`).join(', ')} }`;
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + render(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as object).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${render(x, inner)}`).join(',\n')}\n${indent}}`;
}

/** JSON text with a trailing newline; `JSON.parse(fixtureJson(v))` deep-equals `v`. */
export function fixtureJson(value: unknown): string {
  return `${render(value, '')}\n`;
}

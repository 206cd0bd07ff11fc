/**
 * Enforces the dependency direction of STYLE.md §1 by reading every import in the tree:
 * actors/ imports only actors/ (and nothing with I/O); engine/ never imports a concrete actor
 * (only actors/_kit and the layout types); client/ imports actors/ and rooms/ as types only
 * (and the close-code constants);
 * nothing imports bench/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (['node_modules', 'dist', 'testdata'].includes(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

interface Import { from: string; to: string; typeOnly: boolean }

function imports(area: string): Import[] {
  const out: Import[] = [];
  for (const f of files(join(ROOT, area))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/^\s*import\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[2];
      const to = spec.startsWith('.') ? relative(ROOT, resolve(dirname(f), spec)) : spec;
      out.push({ from: relative(ROOT, f), to, typeOnly: Boolean(m[1]) });
    }
  }
  return out;
}

test('architecture: actors/ → imports only actors/ and no node or network modules', () => {
  // scenario.ts is the actors' test kit and may use node:assert.
  const bad = imports('actors').filter((i) => !i.from.endsWith('.test.ts') && i.from !== 'actors/_kit/scenario.ts' && !i.to.startsWith('actors/'));
  assert.deepEqual(bad, []);
});

test('architecture: engine/ → never imports a concrete actor, rooms/ or devices/ internals', () => {
  const allowed = (to: string) => to.startsWith('actors/_kit') || to === 'actors/community/layout.ts';
  const bad = imports('engine').filter((i) => {
    if (i.from.startsWith('engine/testing/')) return false;
    if (i.from === 'engine/community-server.ts') return i.to.startsWith('actors/') && !allowed(i.to);
    if (i.to.startsWith('actors/')) return !allowed(i.to);
    return i.to.startsWith('rooms/') || i.to.startsWith('devices/') || i.to.startsWith('analytics/') || i.to.startsWith('services/') || i.to.startsWith('bench/');
  });
  assert.deepEqual(bad, []);
});

test('architecture: services/ → builds on engine/ and actors/, never on rooms/, devices/ or client/', () => {
  const bad = imports('services').filter((i) => ['rooms/', 'devices/', 'client/', 'bench/'].some((p) => i.to.startsWith(p)));
  assert.deepEqual(bad, []);
});

test('architecture: client/ → imports actors/ and rooms/ as types only, never engine/', () => {
  const bad = imports('client').filter((i) => {
    if (i.from.endsWith('.test.ts')) return false;
    // Close codes are pure protocol constants the browser must know to decide whether to reconnect.
    if (i.to === 'engine/transport/close-codes.ts') return false;
    // The failure wire shape is shared as a type.
    if (i.to === 'engine/errors.ts') return !i.typeOnly;
    if (i.to.startsWith('engine/')) return true;
    return (i.to.startsWith('actors/') || i.to.startsWith('rooms/')) && !i.typeOnly;
  });
  assert.deepEqual(bad, []);
});

test('architecture: nothing outside bench/ → imports bench/', () => {
  const bad = ['actors', 'engine', 'services', 'rooms', 'analytics', 'client', 'devices', 'importers'].flatMap(imports).filter((i) => i.to.startsWith('bench/'));
  assert.deepEqual(bad, []);
});

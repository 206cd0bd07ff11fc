/**
 * @module engine/http/static-files
 * Serves the built web client (client/dist) at `/`: safe path resolution (no escape from the
 * root), content types, long caching for hashed assets, and index.html for unknown page paths.
 * Owns: file lookup and headers. Does not: build the client.
 * Concurrency: reads files per request; the set of files is checked at startup only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { HttpRequest, HttpResponse } from './contract.ts';
import { json } from './contract.ts';
import { EngineError, failure } from '../errors.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json; charset=utf-8',
};

export function staticFiles(root: string): (req: HttpRequest) => HttpResponse {
  const index = join(root, 'index.html');
  const missing: HttpResponse = {
    status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: 'The web client is not built. Run `npm run build:client` (npm start does it for you).\n网页客户端尚未构建，请运行 npm run build:client。\n',
  };
  return (req) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) return json(404, failure(EngineError.NOT_FOUND, { path: req.path.slice(0, 200) }));
    if (!existsSync(index)) return missing;
    let rel: string;
    try { rel = decodeURIComponent(req.path); } catch { return { status: 400, body: 'bad path' }; } // malformed %-escapes
    const file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) return { status: 404, body: 'not found' };
    if (existsSync(file) && statSync(file).isFile()) {
      const hashed = rel.startsWith('/assets/');
      return {
        status: 200,
        headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache' },
        body: readFileSync(file),
      };
    }
    if (extname(rel) !== '') return { status: 404, body: 'not found' };
    return { status: 200, headers: { 'content-type': TYPES['.html'], 'cache-control': 'no-cache' }, body: readFileSync(index) };
  };
}

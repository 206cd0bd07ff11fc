/**
 * @module engine/testing/http-methods
 * One check of the HTTP method rules, run by the identity tests on each transport (uWS and ws):
 * a method a known path does not serve is 405 with `Allow` and ENGINE_METHOD_NOT_ALLOWED; GET
 * routes still answer; an unknown API path is 404 ENGINE_NOT_FOUND; other methods elsewhere are
 * 405 with `Allow: GET, HEAD`.
 */
import assert from 'node:assert/strict';
import { adminOf, api, type ServerRef } from './accounts.ts';

const POST_ONLY = ['/api/auth/setup', '/api/auth/signin', '/api/directory/invites', '/api/parking/payments'];

export async function checkMethodRules(srv: ServerRef): Promise<void> {
  const ask = (path: string, method: string) => fetch(`${srv.url}${path}`, { method, signal: AbortSignal.timeout(5000) });
  for (const path of POST_ONLY) {
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE']) {
      const r = await ask(path, method);
      assert.deepEqual([r.status, r.headers.get('allow')], [405, 'POST'], `${method} ${path}`);
      if (method !== 'HEAD') assert.equal((await r.json() as { code: string }).code, 'ENGINE_METHOD_NOT_ALLOWED');
      else await r.arrayBuffer();
    }
  }
  const units = await ask('/api/directory/units', 'PATCH');
  assert.deepEqual([units.status, units.headers.get('allow')], [405, 'GET, HEAD, POST']);
  const admin = await adminOf(srv);
  assert.equal((await api(srv, '/api/directory/units', undefined, admin.accessToken)).status, 200, 'a GET route still answers');
  assert.equal((await api(srv, '/api/health')).status, 200);
  const missing = await api(srv, '/api/does-not-exist');
  assert.deepEqual([missing.status, missing.json.code], [404, 'ENGINE_NOT_FOUND']);
  const nowhere = await ask('/nope', 'POST');
  assert.deepEqual([nowhere.status, nowhere.headers.get('allow')], [405, 'GET, HEAD']);
}

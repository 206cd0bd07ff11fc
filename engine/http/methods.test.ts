/**
 * The Allow list and the 405 both HTTP dispatchers answer for a known path asked with a method it
 * does not serve; paths no route names stay the static site's (GET and HEAD).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedMethods, methodNotAllowed, refuseMethod } from './methods.ts';

const ROUTES = [
  { method: 'POST', path: '/api/auth/setup' },
  { method: 'GET', path: '/api/directory/units' },
  { method: 'POST', path: '/api/directory/units' },
  { method: 'GET', path: '/api/health' },
] as const;

test('http methods: allowedMethods → the routes\' methods at that exact path, GET bringing HEAD; null for a path no route names', () => {
  assert.deepEqual(allowedMethods(ROUTES, '/api/auth/setup'), ['POST']);
  assert.deepEqual(allowedMethods(ROUTES, '/api/directory/units'), ['GET', 'HEAD', 'POST']);
  assert.deepEqual(allowedMethods(ROUTES, '/api/health'), ['GET', 'HEAD']);
  assert.equal(allowedMethods(ROUTES, '/api/auth/setup/'), null);
  assert.equal(allowedMethods(ROUTES, '/'), null);
});

test('http methods: GET or HEAD on a POST-only path → 405 ENGINE_METHOD_NOT_ALLOWED with Allow: POST; a served method → passes on', () => {
  for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH']) {
    const r = refuseMethod(ROUTES, method, '/api/auth/setup');
    assert.ok(r, method);
    assert.equal(r.status, 405);
    assert.equal(r.headers?.allow, 'POST');
    const body = JSON.parse(String(r.body));
    assert.equal(body.code, 'ENGINE_METHOD_NOT_ALLOWED');
    assert.deepEqual(body.details, { method, allow: ['POST'] });
    assert.equal(body.retryable, false);
  }
  assert.equal(refuseMethod(ROUTES, 'POST', '/api/auth/setup'), null);
  assert.equal(refuseMethod(ROUTES, 'HEAD', '/api/health'), null);
  assert.equal(refuseMethod(ROUTES, 'PUT', '/api/health')?.headers?.allow, 'GET, HEAD');
});

test('http methods: a path no route names → GET and HEAD pass on to the site; any other method → 405 with Allow: GET, HEAD', () => {
  assert.equal(refuseMethod(ROUTES, 'GET', '/api/does-not-exist'), null);
  assert.equal(refuseMethod(ROUTES, 'HEAD', '/index.html'), null);
  const r = refuseMethod(ROUTES, 'POST', '/nope');
  assert.deepEqual([r?.status, r?.headers?.allow], [405, 'GET, HEAD']);
  assert.equal(String(methodNotAllowed('X'.repeat(40), ['GET']).body).includes('X'.repeat(17)), false, 'the method echoed is bounded');
});

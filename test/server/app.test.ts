import { request as httpRequest } from 'node:http';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../support/test-database.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PROBLEM_JSON = /^application\/problem\+json/;

describe(`HTTP application on ${backend}`, () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp({
      env: { UCP_MAX_BODY_BYTES: '2048' },
      extend(app) {
        // Stand-ins for the API's write routes, to exercise request handling shared by all of them.
        const testRoute = { policy: { kind: 'public' as const, reason: 'a test route' } };
        app.post(
          '/api/test/echo',
          {
            config: testRoute,
            schema: { body: Type.Object({ name: Type.String({ minLength: 1 }), age: Type.Integer() }, { additionalProperties: false }) },
          },
          async (request) => request.body,
        );
        app.get('/api/test/explode', { config: testRoute }, async () => {
          throw new Error('secret internal detail: connection to 10.0.0.7 refused');
        });
        app.get('/api/test/person/:nhsNumber', { config: testRoute }, async () => ({ ok: true }));
      },
    });
  });
  afterAll(() => test.close());

  it('answers /healthz', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with the backend and schema version', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ready', database: backend });
  });

  it('describes its API as OpenAPI 3.1 at /docs/json and serves the viewer at /docs', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/api/system']));
    // OpenAPI forbids paths that differ only in the names of their parameters.
    const shapes = Object.keys(document.paths).map((path) => path.replace(/\{[^}]+\}/g, '{}'));
    expect(shapes.filter((shape, index) => shapes.indexOf(shape) !== index)).toEqual([]);
    const page = await test.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers an unknown route with problem+json naming the method and path', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.json()).toMatchObject({
      type: 'urn:ucp:error:route-not-found',
      status: 404,
      code: 'route-not-found',
      instance: '/api/nothing-here',
      detail: expect.stringContaining('GET /api/nothing-here'),
      requestId: response.headers['x-request-id'],
    });
  });

  it('keeps a safe caller-supplied request id and replaces an unsafe one', async () => {
    const kept = await test.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'gw-1234.abc' } });
    expect(kept.headers['x-request-id']).toBe('gw-1234.abc');
    const replaced = await test.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'evil"\n{"level":60}' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Ada", ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.json()).toMatchObject({ code: 'malformed-json' });
  });

  it('refuses an empty JSON body with 400', async () => {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'malformed-json' });
  });

  it('refuses a body that does not match the schema, listing every problem', async () => {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: { name: '', age: 'old', extra: true },
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json<{ code: string; errors: { path: string; message: string }[] }>();
    expect(problem.code).toBe('invalid-request');
    const paths = problem.errors.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body/name', 'body/age', 'body']));
    expect(problem.errors.find((issue) => issue.path === 'body')?.message).toContain("'extra'");
  });

  it('refuses a wrong content type with 415', async () => {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<name>Ada</name>',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'unsupported-media-type' });
  });

  it('refuses an oversized body with 413', async () => {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: { name: 'x'.repeat(4096), age: 1 },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'payload-too-large' });
  });

  it('answers an unexpected failure with 500 and no internals', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/test/explode' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).not.toContain('10.0.0.7');
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
    expect(response.json()).toMatchObject({ code: 'internal', requestId: response.headers['x-request-id'] });
  });

  it('accepts well-formed requests', async () => {
    const response = await test.app.inject({ method: 'POST', url: '/api/test/echo', payload: { name: 'Ada', age: 36 } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ name: 'Ada', age: 36 });
  });

  it('logs every request line with its request id and no NHS numbers or query strings', async () => {
    test.logLines.length = 0;
    await test.app.inject({ method: 'GET', url: '/api/test/person/943 476 5919?subject_id=9434765919&name=Smith' });
    await test.app.inject({ method: 'GET', url: '/api/test/person/9434765919' });
    const requestLines = test.logLines.filter((line) => line['req'] !== undefined || line['res'] !== undefined);
    expect(requestLines.length).toBeGreaterThanOrEqual(4);
    for (const line of requestLines) expect(line['reqId']).toEqual(expect.any(String));
    const all = JSON.stringify(test.logLines);
    expect(all).not.toMatch(/943\D?476\D?5919/);
    expect(all).not.toContain('Smith');
    expect(all).toContain('/api/test/person/##########');
  });

  it('reports the installation at /api/system', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/system' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Urgent Care Plan', database: backend, systemId: 'ucp.local' });
  });
});

describe(`readiness on ${backend}`, () => {
  it('is not ready while the database schema is behind this build', async () => {
    const test = await createTestApp({ schemaVersion: 999 });
    try {
      const response = await test.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'unavailable', detail: expect.stringContaining('needs 999') });
    } finally {
      await test.close();
    }
  });

  it('is not ready when the database cannot be reached', async () => {
    const test = await createTestApp();
    await test.database.db.close();
    const response = await test.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'unavailable', detail: 'The database is not reachable.' });
    await test.app.close();
    await test.database.drop().catch(() => undefined);
  });
});

describe(`graceful shutdown on ${backend}`, () => {
  it('finishes in-flight requests and refuses new connections once closing', async () => {
    let started = false;
    let release: () => void = () => undefined;
    const test = await createTestApp({
      extend(app) {
        app.get('/api/test/slow', { config: { policy: { kind: 'public', reason: 'a test route' } } }, async () => {
          started = true;
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          return { finished: true };
        });
      },
    });
    const address = await test.app.listen({ port: 0, host: '127.0.0.1' });
    const inFlight = getJson(`${address}/api/test/slow`);
    await expect.poll(() => started).toBe(true);
    const closing = test.app.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const refused = await getJson(`${address}/healthz`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    release();
    await expect(inFlight).resolves.toEqual({ status: 200, body: { finished: true } });
    await closing;
    await test.database.drop();
  });
});

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { agent: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    request.on('error', reject);
    request.end();
  });
}

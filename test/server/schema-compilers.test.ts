import Fastify from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LazySchemaCompilers } from '../../src/server/lazy-schema-compilers.js';
import { backend } from '../support/test-database.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe(`route schemas built on first use, on ${backend}`, () => {
  const compilers = new LazySchemaCompilers();
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp({
      schemaCompilers: compilers,
      extend(app) {
        const config = { policy: { kind: 'public' as const, reason: 'a test route' } };
        app.get(
          '/api/test/lazy/:n',
          {
            config,
            schema: {
              params: Type.Object({ n: Type.Integer() }),
              querystring: Type.Object({ tag: Type.Array(Type.String()) }),
              headers: Type.Object({ 'x-test': Type.Optional(Type.String()) }),
              response: { 200: Type.Object({ n: Type.Integer(), tags: Type.Array(Type.String()) }) },
            },
          },
          async (request) => ({ n: request.params.n, tags: request.query.tag, secret: 'left out by the response schema' }),
        );
      },
    });
  });
  afterAll(() => test.close());

  it('validates, coerces and serializes as the eager compilers do', async () => {
    // One value where the schema wants an array: coerced (Ajv replaces the root value of the part).
    const ok = await test.app.inject({ method: 'GET', url: '/api/test/lazy/7?tag=a', headers: { 'X-Test': 'yes' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ n: 7, tags: ['a'] });
    const bad = await test.app.inject({ method: 'GET', url: '/api/test/lazy/seven?tag=a' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/must be integer/);
  });

  it('builds every route’s request validators and response serializers without error', () => {
    const built = compilers.compileAll();
    // Hundreds of routes, each with a response schema at least: all of them compile.
    expect(built).toBeGreaterThan(300);
    expect(compilers.compileAll()).toBe(0);
  });

  it('refuses a header schema that names a header in capitals, which would never match', async () => {
    const app = Fastify({ schemaController: { compilersFactory: new LazySchemaCompilers() } });
    app.get('/capitals', { schema: { headers: Type.Object({ 'X-Test': Type.String() }) } }, async () => ({}));
    await expect(app.ready()).rejects.toThrow(/header schema names "X-Test"; name headers in lower case/);
    await app.close();
  });
});

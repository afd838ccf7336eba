import Fastify from 'fastify';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemJsonNotFoundHandler } from '../../src/http/problem-json-handlers.js';
import { webAppBuilt, webAppPlugin } from '../../src/web/web-app-plugin.js';

describe('serving the web app', () => {
  let root: string;
  const app = Fastify();
  const routes: { url: string; config?: { policy?: { kind: string } } }[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route as (typeof routes)[number]);
  });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ucp-web-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(root, 'assets', 'app-abc123.js'), 'console.log(1)');
    await writeFile(join(root, 'favicon.svg'), '<svg/>');
    app.setNotFoundHandler(problemJsonNotFoundHandler);
    await app.register(webAppPlugin, { root });
    app.get('/api/known', { config: { policy: { kind: 'public', reason: 'test' } } }, async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  it('knows whether there is a build', () => {
    expect(webAppBuilt(root)).toBe(true);
    expect(webAppBuilt(join(root, 'assets'))).toBe(false);
  });

  it('answers a deep link with the page, checked again on every visit', async () => {
    for (const url of ['/', '/people/9990000018', '/people/9990000018/plan/respect?x=1', '/audit/break-glass']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<title>app</title>');
    }
  });

  it('lets browsers keep hashed files for a year, and revalidate the others', async () => {
    const asset = await app.inject({ url: '/assets/app-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('never answers an API path or a missing file with the page', async () => {
    for (const url of ['/api/unknown', '/openehr/v1/nothing', '/auth/nothing', '/fhir/Patient', '/assets/missing.js', '/healthz']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toContain('application/problem+json');
    }
    expect((await app.inject({ url: '/api/known' })).json()).toEqual({ ok: true });
  });

  it('declares a public policy on every route it adds (the policy point refuses routes without one)', () => {
    const own = routes.filter((route) => !route.url.startsWith('/api/'));
    expect(own.map((route) => route.url)).toEqual(expect.arrayContaining(['/', '/*', '/index.html', '/assets/app-abc123.js']));
    for (const route of own) expect(route.config?.policy?.kind, route.url).toBe('public');
  });
});

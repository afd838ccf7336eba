import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend } from '../support/test-database.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe(`security headers on ${backend}`, () => {
  describe('over plain http, embedded by no one', () => {
    let test: TestApp;
    beforeAll(async () => {
      test = await createTestApp();
    });
    afterAll(() => test.close());

    it('sends a CSP without inline scripts, framing by no one, and no HSTS', async () => {
      const response = await test.app.inject({ method: 'GET', url: '/healthz' });
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['strict-transport-security']).toBeUndefined();
    });

    it('sends the headers on refusals too', async () => {
      const response = await test.app.inject({ method: 'GET', url: '/api/no-such-thing' });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    });

    it('gives Swagger UI its own policy, still without inline scripts', async () => {
      const response = await test.app.inject({ method: 'GET', url: '/docs/' });
      expect(response.statusCode).toBe(200);
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain('validator.swagger.io');
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).not.toContain('upgrade-insecure-requests');
    });
  });

  describe('behind TLS, embedded by a configured record system', () => {
    let test: TestApp;
    beforeAll(async () => {
      test = await createTestApp({
        env: { UCP_PUBLIC_URL: 'https://ucp.example.nhs.uk', UCP_FRAME_ANCESTORS: 'https://epr.ambulance.example https://gp.example' },
      });
    });
    afterAll(() => test.close());

    it('sends HSTS and lets only the configured origins frame the app', async () => {
      const response = await test.app.inject({ method: 'GET', url: '/healthz' });
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(String(response.headers['content-security-policy'])).toContain(
        'frame-ancestors https://epr.ambulance.example https://gp.example',
      );
      expect(response.headers['x-frame-options']).toBeUndefined();
    });
  });
});

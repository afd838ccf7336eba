import type { CapabilityStatement } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/test-app.js';
import { backend } from '../support/test-database.js';

describe(`the app's one clock on ${backend}`, () => {
  it('dates the FHIR capability statement, not the system clock', async () => {
    const started = new Date('2031-05-06T07:08:09.000Z');
    const test = await createTestApp({ clock: () => started });
    try {
      const response = await test.inject({ method: 'GET', url: '/fhir/metadata' });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<CapabilityStatement>().date).toBe(started.toISOString());
    } finally {
      await test.close();
    }
  });
});

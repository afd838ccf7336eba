import { describe, expect, it } from 'vitest';
import { versionHeaders } from '../../src/openehr/rest/openehr-headers.js';

describe('openEHR request headers at the size limit', () => {
  it('parses a 16 KB header in linear time (it took 1.7 s of the event loop before)', () => {
    for (const header of ['a'.repeat(16_000), `${'a'.repeat(8_000)} ${'b'.repeat(8_000)}=`, `code_string=${'"'.repeat(16_000)}`]) {
      const started = performance.now();
      expect(() => versionHeaders({ 'openehr-version.lifecycle_state': header })).toThrow();
      expect(performance.now() - started).toBeLessThan(100);
    }
    expect(
      versionHeaders({
        'openehr-version.lifecycle_state': 'code_string="553"',
        'openehr-audit_details.change_type': 'code_string = "250"',
      }),
    ).toEqual({
      lifecycleState: 'incomplete',
      changeType: 'amendment',
    });
  });
});

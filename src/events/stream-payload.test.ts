import { describe, expect, it } from 'vitest';
import { streamPayload } from './stream-payload.js';

describe('streamed event payloads', () => {
  it('keeps identifiers and drops clinical content and anything unknown', () => {
    const published = {
      ehrId: 'e1',
      nhsNumber: '9990000018',
      planVersion: 3,
      revision: 7,
      modules: { respect: 'uid::ucp.local::2' },
      pathways: ['sickle-cell'],
      reviewDate: '2027-01-01',
      cpr: { code: '450476008', notForCpr: true },
      approvedBy: { name: 'Dr Someone', odsCode: 'X1' },
    };
    expect(streamPayload(published)).toEqual({
      ehrId: 'e1',
      nhsNumber: '9990000018',
      planVersion: 3,
      revision: 7,
      modules: { respect: 'uid::ucp.local::2' },
    });
    expect(streamPayload({ ehrId: 'e1', dateOfDeath: '2026-11-30', place: 'home' })).toEqual({ ehrId: 'e1' });
    expect(streamPayload('text')).toEqual({});
    expect(streamPayload(null)).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { CAREPLAN_PUBLISHED_TOPIC } from '../careplan/care-plan-service.js';
import { MENTAL_HEALTH_CRISIS_PATHWAY } from '../demo/demo-pathways.js';
import { NRL_TYPES } from './nrl-client.js';
import { pointerChangeFor } from './nrl-pointer-plan.js';

const published = (payload: Record<string, unknown>) => ({
  seq: 1,
  occurredAt: '2026-12-07T10:00:00.000Z',
  topic: CAREPLAN_PUBLISHED_TOPIC,
  payload: { ehrId: 'e1', nhsNumber: '9990000018', planVersion: 2, modules: {}, ...payload },
});
const codes = (payload: Record<string, unknown>) => pointerChangeFor(published(payload))?.current.map((type) => type.code);

describe('the pointers a published plan calls for', () => {
  it("lists a plan of the fifth pathway under the pathway's own record type, not a fixed one", () => {
    const recordType = MENTAL_HEALTH_CRISIS_PATHWAY.recordType;
    const change = pointerChangeFor(published({ pathways: ['mental-health-crisis'], recordTypes: { 'mental-health-crisis': recordType } }));
    expect(change?.current).toEqual([
      NRL_TYPES.endOfLifeCareCoordinationSummary,
      { code: '736253002', display: 'Mental health crisis plan' },
    ]);
    // Without its record type in the event the pathway calls for no type of its own.
    expect(codes({ pathways: ['mental-health-crisis'] })).toEqual([NRL_TYPES.endOfLifeCareCoordinationSummary.code]);
  });

  it('keeps the emergency health care plan for a condition pathway naming no type, and a named type replaces it', () => {
    expect(codes({ pathways: ['sickle-cell', 'frailty'] })).toEqual(['861421000000109', '887701000000100']);
    const own = { system: 'http://snomed.info/sct', code: '1234567', display: 'Sickle cell crisis plan' };
    expect(codes({ pathways: ['sickle-cell'], recordTypes: { 'sickle-cell': own } })).toEqual(['861421000000109', '1234567']);
  });

  it('leaves out a record type that is not a code with a display, and lists a type two pathways share once', () => {
    const shared = { code: '736253002', display: 'Mental health crisis plan' };
    expect(
      codes({
        pathways: ['a', 'b', 'c'],
        recordTypes: { a: shared, b: shared, c: { code: 42, display: 'not a code' } },
      }),
    ).toEqual(['861421000000109', '736253002']);
    expect(codes({ pathways: ['a'], recordTypes: 'not an object' })).toEqual(['861421000000109']);
  });
});

import { describe, expect, it } from 'vitest';
import { checkBreakGlassReason } from './break-glass-reason.js';

describe('break-glass reasons', () => {
  it('accepts a code from the list with an explanation a reviewer can check', () => {
    expect(checkBreakGlassReason('unable-to-consent: found unconscious at home, no records to hand')).toEqual({
      ok: true,
      code: 'unable-to-consent',
      text: 'found unconscious at home, no records to hand',
    });
    expect(checkBreakGlassReason(' safeguarding :  concern raised by the crew about   bruising ')).toMatchObject({
      ok: true,
      code: 'safeguarding',
    });
  });

  it.each([
    ['no code', 'Patient admitted unconscious to our inpatient unit'],
    ['an unknown code', 'curiosity: wanted to see what the plan says'],
    ['ten a-s', 'emergency-treatment: aaaaaaaaaaaaaaaaaaaa'],
    ['filler', 'emergency-treatment: test test test test test'],
    ['too short', 'emergency-treatment: urgent'],
    ['one word repeated', 'other: emergency emergency emergency emergency emergency emergency'],
    ['nothing', undefined],
    ['"other" without a full explanation', 'other: needed to see the plan now'],
  ])('refuses %s', (_, reason) => {
    expect(checkBreakGlassReason(reason)).toMatchObject({ ok: false, problem: expect.any(String) });
  });
});

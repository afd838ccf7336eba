import { describe, expect, it } from 'vitest';
import { BREAK_GLASS_REASONS, checkBreakGlassReason } from '../../src/access/break-glass-reason.js';
import { RELATIONSHIP_REASONS } from '../../src/access/relationship-reason.js';
import { BREAK_GLASS_REASON_CHOICES, minimumExplanation, statedReason } from '../../web/src/api/break-glass-reasons.js';
import { RELATIONSHIP_REASON_CHOICES } from '../../web/src/api/relationship-reasons.js';

describe("the web app's break-glass reasons", () => {
  it('are the codes the policy point accepts, all of them', () => {
    expect(BREAK_GLASS_REASON_CHOICES.map((choice) => choice.code).sort()).toEqual(Object.keys(BREAK_GLASS_REASONS).sort());
  });

  it('state a reason the policy point accepts once the explanation is as long as the form asks', () => {
    for (const { code } of BREAK_GLASS_REASON_CHOICES) {
      const words = 'attending the person at home after a call from their daughter tonight';
      const explanation = words.slice(0, Math.max(minimumExplanation(code), words.indexOf(' ', minimumExplanation(code))));
      expect(checkBreakGlassReason(statedReason(code, explanation))).toMatchObject({ ok: true, code });
      expect(checkBreakGlassReason(statedReason(code, explanation.slice(0, minimumExplanation(code) - 1))).ok).toBe(false);
    }
  });
});

describe("the web app's reasons for declaring a relationship", () => {
  it('are the codes the server accepts, all of them', () => {
    expect(RELATIONSHIP_REASON_CHOICES.map((choice) => choice.code).sort()).toEqual(Object.keys(RELATIONSHIP_REASONS).sort());
  });
});

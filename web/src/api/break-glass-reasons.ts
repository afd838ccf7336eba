/**
 * The reasons the policy point accepts for breaking the glass, in the words a reader sees. The
 * server's list (src/access/break-glass-reason.ts) is the rule; test/web/coded-reasons.test.ts
 * keeps this copy equal to it, since the web app is built apart from the server's code.
 */
export const BREAK_GLASS_REASON_CHOICES = [
  { code: 'emergency-treatment', text: 'The person needs urgent treatment now', hint: 'The plan may change what you do next' },
  { code: 'unable-to-consent', text: 'The person cannot take part', hint: 'For example unconscious, confused or lacking capacity' },
  { code: 'safeguarding', text: 'A safeguarding concern', hint: 'About the person or someone else' },
  {
    code: 'care-relationship-not-recorded',
    text: 'I care for this person but it is not recorded yet',
    hint: 'For example a new admission or referral',
  },
  { code: 'other', text: 'Another reason', hint: 'Explain it in full' },
] as const;

export type BreakGlassReasonCode = (typeof BREAK_GLASS_REASON_CHOICES)[number]['code'];

/** The shortest explanation the server accepts for a code: "other" must say twice as much. */
export function minimumExplanation(code: BreakGlassReasonCode): number {
  return code === 'other' ? 30 : 15;
}

/** The reason as the policy point reads it: `<code>: <explanation>`. */
export function statedReason(code: BreakGlassReasonCode, explanation: string): string {
  return `${code}: ${explanation.trim().replace(/\s+/g, ' ')}`;
}

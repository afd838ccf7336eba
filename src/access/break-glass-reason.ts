/**
 * A break-glass reason is chosen from a short list and explained in the person's own words:
 * `<code>: <free text>`, e.g. `unable-to-consent: found unconscious at home, no records to hand`.
 * The code makes break-glass accesses countable and reviewable; the text must say something a
 * reviewer can check, so "aaaaaaaaaa", "test test" or "x" are refused. Every break-glass access
 * is audited and listed for its organisation's auditors to follow up (break-glass reviews).
 */
export const BREAK_GLASS_REASONS = {
  'emergency-treatment': 'the person needs urgent treatment now and the plan may change it',
  'unable-to-consent': 'the person cannot take part (unconscious, confused, lacks capacity)',
  safeguarding: 'a safeguarding concern about the person or someone else',
  'care-relationship-not-recorded': 'the caller cares for the person but the relationship is not recorded yet',
  other: 'anything else, explained in full',
} as const;

export type BreakGlassReasonCode = keyof typeof BREAK_GLASS_REASONS;

export const MIN_REASON_TEXT = 15;
const MAX_REASON_TEXT = 500;

export type CodedReasonCheck<C extends string> = { ok: true; code: C; text: string } | { ok: false; problem: string };
export type BreakGlassReasonCheck = CodedReasonCheck<BreakGlassReasonCode>;

/** Pure: the code and text of a stated break-glass reason, or what is wrong with it. */
export function checkBreakGlassReason(stated: string | undefined): BreakGlassReasonCheck {
  return checkCodedReason(stated, BREAK_GLASS_REASONS);
}

/**
 * Pure: a reason stated as `<code>: <explanation>` with a code from `reasons`, whose explanation
 * a reviewer can check ("other" must say twice as much). Used wherever someone widens who may see
 * a record: breaking the glass, declaring a relationship.
 */
export function checkCodedReason<C extends string>(stated: string | undefined, reasons: Readonly<Record<C, string>>): CodedReasonCheck<C> {
  const match = /^\s*([a-z-]+)\s*:\s*([\s\S]*)$/.exec(stated ?? '');
  const code = match?.[1];
  if (!match || code === undefined || !Object.hasOwn(reasons, code)) {
    return {
      ok: false,
      problem: `start the reason with one of ${Object.keys(reasons).join(', ')}, then a colon and your explanation`,
    };
  }
  const text = (match[2] ?? '').trim().replace(/\s+/g, ' ');
  const minimum = code === 'other' ? MIN_REASON_TEXT * 2 : MIN_REASON_TEXT;
  if (text.length < minimum) return { ok: false, problem: `explain the reason in at least ${minimum} characters` };
  if (text.length > MAX_REASON_TEXT) return { ok: false, problem: `keep the explanation under ${MAX_REASON_TEXT} characters` };
  if (!readsLikeAnExplanation(text)) {
    return { ok: false, problem: 'explain the reason in words a reviewer can check (not repeated characters or filler)' };
  }
  return { ok: true, code: code as C, text };
}

/** At least three different words of two letters or more, and no one character making up most of it. */
function readsLikeAnExplanation(text: string): boolean {
  const words = new Set((text.toLowerCase().match(/\p{L}{2,}/gu) ?? []).filter((word) => new Set(word).size > 1));
  if (words.size < 3) return false;
  const letters = [...text.toLowerCase()].filter((c) => /\p{L}/u.test(c));
  const counts = new Map<string, number>();
  for (const letter of letters) counts.set(letter, (counts.get(letter) ?? 0) + 1);
  const commonest = Math.max(...counts.values());
  return counts.size >= 6 && commonest <= letters.length / 3;
}

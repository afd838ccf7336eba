import { describe, expect, it } from 'vitest';
import { reviewedBy, type ReviewedVersion } from '../../web/src/pages/designer/reviewed-by.js';

const at = '2026-12-07T10:00:00.000Z';
const version = (number: number, facts: Partial<ReviewedVersion> = {}): ReviewedVersion => ({
  id: `v${number}`,
  version: number,
  basedOn: null,
  publishedAt: at,
  review: null,
  ...facts,
});

describe('who reviewed a pathway version, as the designer reads it', () => {
  const reviewed = version(1, { review: { outcome: 'approved', reviewer: { name: 'Kim Reviewer' } } });

  it('names the reviewer and the outcome of a reviewed version', () => {
    expect(reviewedBy(reviewed, [reviewed])).toBe('Kim Reviewer (approved)');
  });

  it('says a roll-back restores a version, and who reviewed that one', () => {
    const rolledBack = version(3, { basedOn: 'v1' });
    expect(reviewedBy(rolledBack, [rolledBack, version(2), reviewed])).toBe('Roll-back to version 1, reviewed by Kim Reviewer');
  });

  it('says nothing of a draft copied from a version, nor of a version that was never reviewed', () => {
    expect(reviewedBy(version(4, { basedOn: 'v1', publishedAt: null }), [reviewed])).toBe('—');
    expect(reviewedBy(version(1), [])).toBe('—');
  });
});

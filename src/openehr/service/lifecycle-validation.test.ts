import { describe, expect, it } from 'vitest';
import { lifecycleValidation, type TemplateIssue } from './lifecycle-validation.js';

const missing: TemplateIssue = { path: '/content[x]', message: 'x is mandatory (1..1) but missing', missing: true };
const wrong: TemplateIssue = { path: '/content[y]/value/magnitude', message: 'magnitude 500 is outside 0..300' };

describe('the validation policy of a version by its lifecycle state', () => {
  it('refuses a complete version for anything missing or wrong', () => {
    expect(lifecycleValidation([missing, wrong], 'complete')).toEqual({
      refused: [
        { path: missing.path, message: missing.message },
        { path: wrong.path, message: wrong.message },
      ],
      outstanding: [],
    });
  });

  it('lets an incomplete version lack required content, but never hold anything wrong', () => {
    expect(lifecycleValidation([missing, wrong], 'incomplete')).toEqual({
      refused: [{ path: wrong.path, message: wrong.message }],
      outstanding: [{ path: missing.path, message: missing.message }],
    });
    expect(lifecycleValidation([missing], 'incomplete').refused).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { formPaths } from './form-definition.js';
import { EMERGENCY_SUMMARY_PATHS } from './emergency-summary-paths.js';
import { loadPathways } from './load-pathways.js';

describe('EMERGENCY_SUMMARY_PATHS', () => {
  it('names fields that the committed templates have', async () => {
    const { forms } = await loadPathways();
    const missing = Object.entries(EMERGENCY_SUMMARY_PATHS).filter(([, { templateId, path }]) => {
      const form = forms.get(templateId);
      return form === undefined || !formPaths(form).includes(path);
    });
    expect(missing.map(([name]) => name)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { EMERGENCY_SUMMARY_PATHS } from '../pathway/emergency-summary-paths.js';
import { qualityWarnings } from './quality-warnings.js';

const { templateId, path } = EMERGENCY_SUMMARY_PATHS.preferredPlaceOfDeath;

describe('the quality warnings at submit', () => {
  it('asks for the preferred place of death until any instance of it is recorded in its template', () => {
    expect(qualityWarnings({ modules: [{ templateId, title: 'Preferences', flat: {} }] })).toHaveLength(1);
    // The same path under another template is not the person's preferred place of death.
    expect(qualityWarnings({ modules: [{ templateId: 'Other.v1', title: 'Other', flat: { [`${path}|value`]: 'Home' } }] })).toHaveLength(1);
    const second = path.replace(/:0$/, ':1');
    expect(
      qualityWarnings({
        modules: [{ templateId, title: 'Preferences', flat: { [`${second}|code`]: 'at0003', [`${second}|value`]: 'Home' } }],
      }),
    ).toEqual([]);
  });
});

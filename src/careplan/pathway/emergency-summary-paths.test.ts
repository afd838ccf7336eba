import { describe, expect, it } from 'vitest';
import { formPaths } from './form-definition.js';
import { PATHWAY_HIGHLIGHTS } from '../catalogue/core-catalogue.js';
import {
  EMERGENCY_SUMMARY_ALLERGIES,
  EMERGENCY_SUMMARY_CONTACTS,
  EMERGENCY_SUMMARY_FACTS,
  EMERGENCY_SUMMARY_PATHS,
} from './emergency-summary-paths.js';
import { loadPathways } from './load-pathways.js';
import { qualityGateNodes } from './quality-gate-paths.js';

describe('EMERGENCY_SUMMARY_PATHS', () => {
  it('names fields that the committed templates have', async () => {
    const { forms } = await loadPathways();
    const missing = Object.entries(EMERGENCY_SUMMARY_PATHS).filter(([, { templateId, path }]) => {
      const form = forms.get(templateId);
      return form === undefined || !formPaths(form).includes(path);
    });
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  it('declares every summary fact, entry part, pathway highlight and quality gate at nodes the committed templates have', async () => {
    const { forms } = await loadPathways();
    const has = (templateId: string, path: string) => {
      const form = forms.get(templateId);
      return form !== undefined && formPaths(form).includes(path);
    };
    const declared = [
      ...Object.values(EMERGENCY_SUMMARY_FACTS).flat(),
      ...[...EMERGENCY_SUMMARY_CONTACTS, ...EMERGENCY_SUMMARY_ALLERGIES].flatMap((entry) => [
        { templateId: entry.templateId, path: entry.path },
        ...Object.values<readonly string[]>(entry.parts)
          .flat()
          .map((part) => ({ templateId: entry.templateId, path: `${entry.path}/${part}` })),
      ]),
      ...Object.entries(PATHWAY_HIGHLIGHTS).flatMap(([templateId, paths]) => paths.map((path) => ({ templateId, path }))),
      ...qualityGateNodes(),
    ];
    expect(qualityGateNodes().length).toBeGreaterThan(7);
    expect(declared.length).toBeGreaterThan(48);
    expect(declared.filter(({ templateId, path }) => !has(templateId, path))).toEqual([]);
  });
});

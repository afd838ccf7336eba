import { describe, expect, it } from 'vitest';
import { loadPathways } from '../pathway/index.js';
import { catalogueFromPathways, coreCatalogue } from './core-catalogue.js';

describe('the plan catalogue', () => {
  it('is what the pathway definitions in templates/pathways say', async () => {
    const fromFiles = catalogueFromPathways(await loadPathways());
    const built = coreCatalogue();
    expect(built.core).toEqual(fromFiles.core);
    expect([...built.pathways].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [...fromFiles.pathways].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(built.headerTemplateId).toBe(fromFiles.headerTemplateId);
  });

  it("takes the strictest rule of a plan's pathways", () => {
    const catalogue = coreCatalogue();
    expect(catalogue.requiresSeniorApproval([])).toBe(false);
    expect(catalogue.requiresSeniorApproval(['frailty', 'sickle-cell'])).toBe(true);
    expect(catalogue.modulesOf(['sickle-cell']).map((module) => module.id)).toContain('sickle-cell-crisis-plan');
    expect(catalogue.reviewMaxMonths(['frailty'])).toBe(12);
  });
});

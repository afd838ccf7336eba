import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildExampleComposition } from '../../openehr/example/index.js';
import { compositionToFlat, flatToComposition, skippedNodesFromTemplate } from '../../openehr/flat/index.js';
import { buildWebTemplate, parseOperationalTemplate, validateOperationalTemplate } from '../../openehr/template/index.js';
import { validateComposition } from '../../openehr/validation/index.js';
import { UCP_TEMPLATES_ROOT, compileTemplateDescriptions } from './compile-template-descriptions.js';

const NOW = '2026-12-04T10:00:00Z';
const compiled = await compileTemplateDescriptions();

describe('the UCP template descriptions', () => {
  it('include the plan header', () => {
    expect(compiled.map((template) => template.templateId)).toContain('UCP - Plan.v1');
  });

  it.each(compiled.map((template) => [template.templateId, template] as const))(
    '%s compiles to exactly its committed OPT',
    (_id, template) => {
      const committed = readFileSync(new URL(`opt/${encodeURIComponent(template.optFile)}`, UCP_TEMPLATES_ROOT), 'utf8');
      // If this fails, run `npm run templates:build` and commit the description with its OPT.
      expect(template.xml === committed).toBe(true);
    },
  );

  it.each(compiled.map((template) => [template.templateId, template] as const))(
    '%s is a sound template whose example composition validates and round-trips through FLAT',
    (_id, template) => {
      const opt = parseOperationalTemplate(template.xml);
      expect(validateOperationalTemplate(opt)).toEqual([]);
      const webTemplate = buildWebTemplate(opt);
      const composition = buildExampleComposition(opt, { now: NOW, webTemplate });
      expect(validateComposition(composition, opt).map((issue) => `${issue.constraint} @ ${issue.path}`)).toEqual([]);
      const flat = compositionToFlat(composition, webTemplate);
      const back = flatToComposition(flat, webTemplate, { skippedNode: skippedNodesFromTemplate(opt) });
      expect(compositionToFlat(back, webTemplate)).toEqual(flat);
    },
  );
});

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildExampleFlat } from '../openehr/example/index.js';
import { flatToComposition, skippedNodesFromTemplate } from '../openehr/flat/index.js';
import { buildWebTemplate, parseOperationalTemplate } from '../openehr/template/index.js';
import { compileTemplateValidator } from '../openehr/validation/index.js';
import { withCprSnomedMappings } from './cpr-coding.js';

const CPR = 'respect-3_recommendations/respect_headings/a4._clinical_recommendations/cpr_decision/cpr_decision';

describe('CPR decisions carry their SNOMED CT concept', () => {
  it('maps at0005 to 450476008 and at0004 to 450475007, and the composition stays valid', async () => {
    const opt = parseOperationalTemplate(
      await readFile(new URL('../../test/fixtures/openehr/respect-nes/Templates/ReSPECT-3.v0.opt', import.meta.url), 'utf8'),
    );
    const webTemplate = buildWebTemplate(opt);
    const validator = compileTemplateValidator(opt);
    for (const [code, text, snomed] of [
      ['at0005', 'CPR attempts not recommended adult or child.', '450476008'],
      ['at0004', 'CPR attempts recommended adult or child', '450475007'],
    ] as const) {
      const flat = { ...buildExampleFlat(webTemplate, { now: '2026-12-04T10:00:00Z' }), [`${CPR}|code`]: code, [`${CPR}|value`]: text };
      const composition = withCprSnomedMappings(
        flatToComposition(flat, webTemplate, { now: '2026-12-04T10:00:00Z', skippedNode: skippedNodesFromTemplate(opt) }),
      );
      expect(validator.validate(composition)).toEqual([]);
      const json = JSON.stringify(composition);
      expect(json).toContain(`"code_string":"${snomed}"`);
      expect(json.match(/"TERM_MAPPING"/g)).toHaveLength(1);
      // Mapping twice does not add a second mapping.
      expect(JSON.stringify(withCprSnomedMappings(composition)).match(/"TERM_MAPPING"/g)).toHaveLength(1);
    }
  });
});

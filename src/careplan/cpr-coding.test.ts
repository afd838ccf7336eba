import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildExampleFlat } from '../openehr/example/index.js';
import { flatToComposition, skippedNodesFromTemplate } from '../openehr/flat/index.js';
import { buildWebTemplate, parseOperationalTemplate } from '../openehr/template/index.js';
import { compileTemplateValidator } from '../openehr/validation/index.js';
import type { JsonObject, JsonValue } from '../shared/json.js';
import { withCprDecisionMakers, withCprSnomedMappings } from './cpr-coding.js';

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

describe('a CPR decision records who made it', () => {
  const decision = (code: string, participations?: JsonValue[]) => ({
    _type: 'COMPOSITION',
    content: [
      {
        _type: 'EVALUATION',
        archetype_node_id: 'openEHR-EHR-EVALUATION.cpr_decision_uk.v1',
        uid: { value: code },
        data: { items: [{ _type: 'ELEMENT', archetype_node_id: 'at0003', value: { defining_code: { code_string: code } } }] },
        ...(participations ? { other_participations: participations } : {}),
      },
    ],
  });
  const maker = { name: 'Dr Jo Senior', role: 'senior clinician, Demo Hospice', registration: 'GMC 0000002' };
  const participationsOf = (composition: unknown) =>
    (composition as { content: { other_participations?: (JsonObject & { performer: JsonObject })[] }[] }).content[0]?.other_participations;

  it('names the writer with their registration number on a new or changed decision, and nowhere else', () => {
    const stamped = withCprDecisionMakers(decision('at0005'), null, maker);
    expect(participationsOf(stamped)).toEqual([
      expect.objectContaining({
        function: { _type: 'DV_TEXT', value: 'CPR decision maker: senior clinician, Demo Hospice' },
        performer: {
          _type: 'PARTY_IDENTIFIED',
          name: 'Dr Jo Senior',
          identifiers: [{ _type: 'DV_IDENTIFIER', id: 'GMC 0000002', type: 'Professional registration number' }],
        },
      }),
    ]);
    // Unchanged (another identity, keys in another order): the maker recorded before stays.
    const before = decision('at0005', participationsOf(stamped));
    expect(
      participationsOf(withCprDecisionMakers(decision('at0005', participationsOf(stamped)), before, { ...maker, name: 'Someone else' })),
    ).toEqual(participationsOf(stamped));
    // Changed without naming anyone: the writer; changed naming someone: them.
    expect(
      participationsOf(withCprDecisionMakers(decision('at0004', participationsOf(stamped)), before, { ...maker, name: 'Dr New' }))?.[0]
        ?.performer['name'],
    ).toBe('Dr New');
    const named = [
      {
        _type: 'PARTICIPATION',
        function: { _type: 'DV_TEXT', value: 'CPR decision maker' },
        performer: { _type: 'PARTY_IDENTIFIED', name: 'Dr Named' },
      },
    ];
    expect(participationsOf(withCprDecisionMakers(decision('at0004', named), before, maker))).toEqual(named);
  });
});

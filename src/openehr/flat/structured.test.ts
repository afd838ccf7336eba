import { describe, expect, it } from 'vitest';
import { FlatFormatError } from './flat-format-error.js';
import { flatToComposition } from './flat-to-canonical.js';
import { FLAT_FIXTURES, NOW } from '../../../test/support/openehr/round-trip-corpus.js';
import { compositionToStructured, flatToStructured, structuredToComposition, structuredToFlat } from './structured.js';
import { IT, SDK, committedWebTemplate, fixtureFlat, fixtureJson, templateFixture } from '../../../test/support/openehr/flat-fixtures.js';

const multiOccurrence = committedWebTemplate('multi_occurrence');

describe('STRUCTURED ⇄ FLAT', () => {
  const multiList = templateFixture(`${SDK}operationaltemplate/Multi_list.opt`);

  it('turns the multi_list STRUCTURED fixture into its FLAT twin and back', () => {
    const structured = fixtureJson(`${SDK}composition/flat/structured/multi_list.json`);
    const flat = fixtureFlat(`${SDK}composition/flat/simSDT/multi_list.json`);
    expect(structuredToFlat(structured, multiList.webTemplate)).toEqual(flat);
    expect(flatToStructured(flat, multiList.webTemplate)).toEqual(structured);
  });

  it('writes arrays for content nodes and plain values for unindexed ctx keys', () => {
    expect(
      flatToStructured(
        {
          'ctx/language': 'en',
          'ctx/participation_name:0': 'A',
          'ctx/participation_name:1': 'B',
          'ctx/health_care_facility|name': 'Hospital',
          'encounter/body_temperature:0/any_event:0/temperature|magnitude': 37,
          'encounter/body_temperature:0/any_event:0/temperature|unit': 'Cel',
          'encounter/composer|name': 'Dr Who',
        },
        multiOccurrence,
      ),
    ).toEqual({
      ctx: { language: 'en', participation_name: ['A', 'B'], health_care_facility: { '|name': 'Hospital' } },
      encounter: {
        body_temperature: [{ any_event: [{ temperature: [{ '|magnitude': 37, '|unit': 'Cel' }] }] }],
        composer: [{ '|name': 'Dr Who' }],
      },
    });
  });

  it('writes a plain value beside attributes as |value, except on coded nodes', () => {
    const flat = {
      'encounter/body_temperature:0/any_event:0/body_exposure|code': 'at0031',
      'encounter/body_temperature:0/any_event:0/body_exposure|value': 'Naked',
      'encounter/body_temperature:0/any_event:0/description_of_thermal_stress': 'sauna',
      'encounter/body_temperature:0/any_event:0/description_of_thermal_stress|formatting': 'plain',
    };
    const structured = flatToStructured(flat, multiOccurrence);
    expect(structured).toEqual({
      encounter: {
        body_temperature: [
          {
            any_event: [
              {
                body_exposure: [{ '|code': 'at0031', '|value': 'Naked' }],
                description_of_thermal_stress: [{ '|value': 'sauna', '|formatting': 'plain' }],
              },
            ],
          },
        ],
      },
    });
    expect(structuredToFlat(structured, multiOccurrence)).toEqual(flat);
  });

  it('uses the web template to index repeating nodes only', () => {
    expect(
      structuredToFlat(
        { encounter: [{ body_temperature: [{ location_of_measurement: [{ '|code': 'at0061' }], _link: [{ '|type': 't' }] }] }] },
        multiOccurrence,
      ),
    ).toEqual({
      'encounter/body_temperature:0/location_of_measurement|code': 'at0061',
      'encounter/body_temperature:0/_link:0|type': 't',
    });
  });

  it('reports unknown top-level properties', () => {
    expect(() => structuredToFlat({ something: {} }, multiOccurrence)).toThrow(FlatFormatError);
  });

  it('round-trips every FLAT fixture that round-trips exactly', () => {
    let checked = 0;
    for (const fixture of FLAT_FIXTURES) {
      if (!('exact' in fixture.expect) || fixture.opt === undefined) continue;
      const flat = fixtureFlat(fixture.file);
      const { webTemplate } = templateFixture(fixture.opt);
      expect(structuredToFlat(flatToStructured(flat, webTemplate), webTemplate), fixture.file).toEqual(flat);
      checked++;
    }
    expect(checked).toBeGreaterThan(60);
  });
});

describe('STRUCTURED ⇄ canonical', () => {
  const structuredFixtures = [
    ['consult_record__', `${IT}valid_templates/all_types/EHRN-ABDM-OPConsultRecord.v2.0.opt`],
    ['family_history.v2__', `${IT}valid_templates/all_types/family_history.opt`],
    ['family_history__', `${IT}valid_templates/all_types/family_history.opt`],
    ['family_history__with_uid', `${IT}valid_templates/all_types/family_history.opt`],
    ['nested.en.v1__full', `${SDK}operationaltemplate/nested.en.v1.opt`],
    ['persistent_minimal.en.v1__full', `${IT}aql/data_load/opts/persistent_minimal.opt`],
  ] as const;

  for (const [name, opt] of structuredFixtures) {
    it(`converts ${name} and gets it back from the composition`, () => {
      const { webTemplate, skippedNode } = templateFixture(opt);
      const composition = structuredToComposition(fixtureJson(`${IT}compositions/STRUCTURED/${name}.json`), webTemplate, {
        now: NOW,
        skippedNode,
      });
      const structured = compositionToStructured(composition, webTemplate);
      expect(structuredToComposition(structured, webTemplate, { skippedNode })).toEqual(composition);
    });
  }

  it('accepts ctx/ keys at the top level, as the integration tests send them', () => {
    const { webTemplate } = templateFixture(`${IT}valid_templates/minimal/minimal_action.opt`);
    const fromStructured = structuredToFlat(
      fixtureJson(`${IT}flat_compositions/minimal_action.en.v1.instance_structured_input_1.json`),
      webTemplate,
    );
    const flat = fixtureFlat(`${IT}flat_compositions/minimal_action.en.v1.instance_flat_input_1.json`);
    // The two samples were written a minute apart; otherwise they say the same.
    expect({ ...fromStructured, 'minimal/minimal:0/time': flat['minimal/minimal:0/time'] }).toEqual(flat);
    expect(flatToComposition(fromStructured, webTemplate, { now: NOW })).toMatchObject({ composer: { name: 'Silvia Blake' } });
  });
});

import type { TemplateDescription } from '../../../src/openehr/template-builder/template-description.js';

/**
 * A description that uses every node kind, every data value type the builder supports and every
 * kind of occurrences; local archetype ids, since it exists only to exercise the compiler.
 */
export function allTypesDescription(): TemplateDescription {
  return {
    templateId: 'Builder all types.v1',
    concept: 'Builder all types',
    language: 'en',
    description: {
      purpose: 'Exercises every construct of the template builder.',
      keywords: ['test'],
      author: { name: 'UCP project', organisation: 'UCP', date: '2026-12-04' },
      licence: 'Apache-2.0',
    },
    localArchetypes: [
      'openEHR-EHR-COMPOSITION.builder_test.v0',
      'openEHR-EHR-SECTION.builder_test.v0',
      'openEHR-EHR-OBSERVATION.builder_test.v0',
      'openEHR-EHR-EVALUATION.builder_test.v0',
      'openEHR-EHR-INSTRUCTION.builder_test.v0',
      'openEHR-EHR-ACTION.builder_test.v0',
      'openEHR-EHR-ADMIN_ENTRY.builder_test.v0',
      'openEHR-EHR-CLUSTER.builder_test.v0',
    ],
    root: {
      archetypeId: 'openEHR-EHR-COMPOSITION.builder_test.v0',
      text: 'Builder test',
      description: 'A composition of every kind of node.',
      rename: 'All types',
      category: 'persistent',
      otherContext: {
        code: 'at0001',
        items: [
          { rmType: 'ELEMENT', code: 'at0002', text: 'Context note', description: 'Free text in the context.', value: { type: 'DV_TEXT' } },
        ],
      },
      content: [
        {
          rmType: 'SECTION',
          archetypeId: 'openEHR-EHR-SECTION.builder_test.v0',
          text: 'Section',
          description: 'A section.',
          occurrences: '0..1',
          items: [
            {
              rmType: 'OBSERVATION',
              archetypeId: 'openEHR-EHR-OBSERVATION.builder_test.v0',
              text: 'Observation',
              description: 'An observation.',
              history: { code: 'at0001' },
              event: { code: 'at0002' },
              data: { code: 'at0003' },
              items: [
                {
                  rmType: 'ELEMENT',
                  code: 'at0004',
                  text: 'Weight',
                  description: 'A quantity.',
                  occurrences: '1..1',
                  value: {
                    type: 'DV_QUANTITY',
                    property: { code: '124', text: 'Mass' },
                    units: [{ units: 'kg', min: 0, max: 500, precision: 1 }, { units: 'g' }],
                  },
                },
                {
                  rmType: 'ELEMENT',
                  code: 'at0005',
                  text: 'Score',
                  description: 'An ordinal.',
                  value: {
                    type: 'DV_ORDINAL',
                    scale: [
                      { value: 1, code: 'at0006', text: 'Low', description: 'Low score.' },
                      { value: 2, code: 'at0007', text: 'High', description: 'High score.' },
                    ],
                  },
                },
                {
                  rmType: 'ELEMENT',
                  code: 'at0008',
                  text: 'Count',
                  description: 'A count.',
                  binding: { terminology: 'SNOMED-CT', code: '246205007' },
                  value: { type: 'DV_COUNT', min: 0, max: 10 },
                },
              ],
            },
            {
              rmType: 'EVALUATION',
              archetypeId: 'openEHR-EHR-EVALUATION.builder_test.v0',
              text: 'Evaluation',
              description: 'An evaluation.',
              occurrences: '0..*',
              data: { code: 'at0001' },
              items: [
                {
                  rmType: 'ELEMENT',
                  code: 'at0002',
                  text: 'Local coded',
                  description: 'Local codes.',
                  value: {
                    type: 'DV_CODED_TEXT',
                    terminology: 'local',
                    codes: [
                      { code: 'at0003', text: 'Yes', description: 'Yes.', binding: { terminology: 'SNOMED-CT', code: '373066001' } },
                      { code: 'at0004', text: 'No', description: 'No.' },
                    ],
                  },
                },
                {
                  rmType: 'ELEMENT',
                  code: 'at0005',
                  text: 'SNOMED coded',
                  description: 'External codes.',
                  occurrences: '0..*',
                  value: {
                    type: 'DV_CODED_TEXT',
                    terminology: 'SNOMED-CT',
                    codes: [
                      { code: '450475007', text: 'For cardiopulmonary resuscitation' },
                      { code: '450476008', text: 'Not for cardiopulmonary resuscitation' },
                    ],
                  },
                },
                {
                  rmType: 'ELEMENT',
                  code: 'at0020',
                  text: 'Any SNOMED',
                  description: 'Any code of SNOMED CT.',
                  value: { type: 'DV_CODED_TEXT', terminology: 'SNOMED-CT' },
                },
                {
                  rmType: 'ELEMENT',
                  code: 'at0006',
                  text: 'Text list',
                  description: 'Text from a list.',
                  value: { type: 'DV_TEXT', list: ['one', 'two'] },
                },
                {
                  rmType: 'ELEMENT',
                  code: 'at0007',
                  text: 'Text pattern',
                  description: 'Patterned text.',
                  value: { type: 'DV_TEXT', pattern: '[A-Z][0-9]{5}' },
                },
                { rmType: 'ELEMENT', code: 'at0008', text: 'Flag', description: 'A boolean.', value: { type: 'DV_BOOLEAN' } },
                {
                  rmType: 'ELEMENT',
                  code: 'at0009',
                  text: 'Date',
                  description: 'A date.',
                  value: { type: 'DV_DATE', pattern: 'yyyy-mm-dd' },
                },
                { rmType: 'ELEMENT', code: 'at0010', text: 'Date time', description: 'A date-time.', value: { type: 'DV_DATE_TIME' } },
                { rmType: 'ELEMENT', code: 'at0011', text: 'Time', description: 'A time.', value: { type: 'DV_TIME' } },
                {
                  rmType: 'ELEMENT',
                  code: 'at0012',
                  text: 'Interval',
                  description: 'A duration.',
                  value: { type: 'DV_DURATION', pattern: 'PYMWD' },
                },
                { rmType: 'ELEMENT', code: 'at0013', text: 'Identifier', description: 'An identifier.', value: { type: 'DV_IDENTIFIER' } },
                { rmType: 'ELEMENT', code: 'at0014', text: 'Link', description: 'A URI.', value: { type: 'DV_URI' } },
                { rmType: 'ELEMENT', code: 'at0015', text: 'EHR link', description: 'An EHR URI.', value: { type: 'DV_EHR_URI' } },
                { rmType: 'ELEMENT', code: 'at0016', text: 'Parsable', description: 'Parsable text.', value: { type: 'DV_PARSABLE' } },
                {
                  rmType: 'ELEMENT',
                  code: 'at0017',
                  text: 'Document',
                  description: 'A multimedia document.',
                  value: { type: 'DV_MULTIMEDIA' },
                },
                {
                  rmType: 'CLUSTER',
                  code: 'at0018',
                  text: 'Group',
                  description: 'A repeating group.',
                  occurrences: '1..3',
                  items: [
                    {
                      rmType: 'ELEMENT',
                      code: 'at0019',
                      text: 'Member',
                      description: 'In the group.',
                      rename: 'Renamed member',
                      value: { type: 'DV_TEXT' },
                    },
                    {
                      rmType: 'ELEMENT',
                      code: 'at0019',
                      text: 'Member',
                      description: 'In the group.',
                      rename: 'Second member',
                      value: { type: 'DV_TEXT' },
                    },
                  ],
                },
              ],
            },
          ],
        },
        {
          rmType: 'INSTRUCTION',
          archetypeId: 'openEHR-EHR-INSTRUCTION.builder_test.v0',
          text: 'Instruction',
          description: 'An instruction.',
          activity: { code: 'at0001' },
          data: { code: 'at0002' },
          items: [{ rmType: 'ELEMENT', code: 'at0003', text: 'What to do', description: 'The request.', value: { type: 'DV_TEXT' } }],
        },
        {
          rmType: 'ACTION',
          archetypeId: 'openEHR-EHR-ACTION.builder_test.v0',
          text: 'Action',
          description: 'An action.',
          data: { code: 'at0001' },
          careflowSteps: [{ code: 'at0002', text: 'Done', description: 'The action is done.', currentState: '532' }],
          items: [{ rmType: 'ELEMENT', code: 'at0003', text: 'Outcome', description: 'What happened.', value: { type: 'DV_TEXT' } }],
        },
        {
          rmType: 'ADMIN_ENTRY',
          archetypeId: 'openEHR-EHR-ADMIN_ENTRY.builder_test.v0',
          text: 'Admin',
          description: 'An admin entry.',
          occurrences: '1..1',
          data: { code: 'at0001' },
          items: [
            {
              rmType: 'CLUSTER',
              archetypeId: 'openEHR-EHR-CLUSTER.builder_test.v0',
              text: 'Person',
              description: 'A nested cluster archetype.',
              occurrences: '0..*',
              items: [
                {
                  rmType: 'ELEMENT',
                  code: 'at0001',
                  text: 'Name',
                  description: 'Their name.',
                  occurrences: '1..1',
                  value: { type: 'DV_TEXT' },
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

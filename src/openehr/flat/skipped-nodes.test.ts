import { describe, expect, it } from 'vitest';
import { parseOperationalTemplate } from '../template/index.js';
import { compositionToFlat } from './canonical-to-flat.js';
import { flatToComposition } from './flat-to-canonical.js';
import { skippedNodesFromTemplate } from './skipped-nodes.js';
import { IT, SDK, committedWebTemplate, fixtureJson, fixtureText } from '../../../test/support/openehr/flat-fixtures.js';

describe('skippedNodesFromTemplate', () => {
  const template = parseOperationalTemplate(fixtureText(`${SDK}operationaltemplate/ehrbase_multi_occurrence.de.opt`));
  const lookup = skippedNodesFromTemplate(template);
  const observation = '/content[openEHR-EHR-OBSERVATION.body_temperature.v2]';

  it('gives type and name of structure nodes by archetype path', () => {
    expect(lookup(`${observation}/data[at0002]`, 'en')).toEqual({ rmType: 'HISTORY', name: 'History' });
    expect(lookup(`${observation}/protocol[at0020]`, 'en')).toEqual({ rmType: 'ITEM_TREE', name: 'Protocol' });
    expect(lookup(`${observation}/data[at0002]/events[at0003]/state[at0029]`, 'en')).toEqual({
      rmType: 'ITEM_TREE',
      name: 'State',
    });
  });

  it('falls back to the template language and knows nothing of paths outside the template', () => {
    expect(lookup(`${observation}/protocol[at0020]`, 'de')).toEqual({ rmType: 'ITEM_TREE', name: 'Protocol' });
    expect(lookup(`${observation}/protocol[at9999]`, 'en')).toBeUndefined();
  });

  it('lets the canonical fixture come back with its structure names', () => {
    const webTemplate = committedWebTemplate('multi_occurrence');
    const original = fixtureJson(`${SDK}composition/canonical_json/multi_occurrence.json`);
    const back = flatToComposition(compositionToFlat(original, webTemplate), webTemplate, { skippedNode: lookup });
    expect(back).toMatchObject({
      content: [
        {
          protocol: { name: { value: 'Protocol' } },
          data: {
            name: { value: 'History' },
            events: [{ data: { name: { value: 'Tree' } }, state: { name: { value: 'State' } } }, {}],
          },
        },
        {},
      ],
    });
  });

  it('tells apart siblings that share node ids by the name predicates of the path', () => {
    const sections = skippedNodesFromTemplate(
      parseOperationalTemplate(fixtureText(`${IT}valid_templates/validation/composition_evaluation_test.opt`)),
    );
    const data = (n: number) =>
      `/content[openEHR-EHR-SECTION.validation_section_test.v0 and name/value='Section #${n}']` +
      `/items[openEHR-EHR-EVALUATION.validation_evaliation_test.v0 and name/value='Evaluation #${n}']/data[at0001 and name/value='Data #${n}']`;
    expect(sections(data(3), 'en')).toEqual({ rmType: 'ITEM_SINGLE', name: 'Data #3' });
    expect(sections(data(5), 'en')).toEqual({ rmType: 'ITEM_SINGLE', name: 'Data #5' });
    // Without names the first node with those node ids answers, as before.
    expect(
      sections(
        '/content[openEHR-EHR-SECTION.validation_section_test.v0]/items[openEHR-EHR-EVALUATION.validation_evaliation_test.v0]/data[at0001]',
        'en',
      ),
    ).toEqual({
      rmType: 'ITEM_SINGLE',
      name: 'Data #0',
    });
  });

  it('gives the coded term a template fixes as a name, in the asked language', () => {
    const ripple = skippedNodesFromTemplate(parseOperationalTemplate(fixtureText(`${SDK}operationaltemplate/RIPPLE-Conformance Test.opt`)));
    const pulse = '/content[openEHR-EHR-SECTION.adhoc.v1]/items[openEHR-EHR-OBSERVATION.pulse.v1]/data[at0002]';
    // A choice of names (at1026 or at1027) gives the first.
    expect(ripple(`${pulse}/events[at0003 and name/value='First event']/data[at0001]/items[at0004]`, 'en')).toEqual({
      rmType: 'ELEMENT',
      name: 'Pulse Rate',
      nameCode: { terminology: 'local', code: 'at1026' },
    });
    expect(ripple(`${pulse}/events[at1036]/data[at0001]/items[at0004 and name/value='Heart Rate']`, 'en')).toEqual({
      rmType: 'ELEMENT',
      name: 'Heart Rate',
      nameCode: { terminology: 'local', code: 'at1027' },
    });
  });
});

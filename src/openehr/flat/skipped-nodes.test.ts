import { describe, expect, it } from 'vitest';
import { parseOperationalTemplate } from '../template/index.js';
import { compositionToFlat } from './canonical-to-flat.js';
import { flatToComposition } from './flat-to-canonical.js';
import { skippedNodesFromTemplate } from './skipped-nodes.js';
import { SDK, committedWebTemplate, fixtureJson, fixtureText } from './testing/fixtures.js';

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
});

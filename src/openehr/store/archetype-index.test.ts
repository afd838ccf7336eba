import { describe, expect, it } from 'vitest';
import { collectArchetypeIds } from './archetype-index.js';

describe('collectArchetypeIds', () => {
  it('finds the root and nested archetyped nodes once each, in order', () => {
    const composition = {
      _type: 'COMPOSITION',
      archetype_node_id: 'openEHR-EHR-COMPOSITION.encounter.v1',
      content: [
        {
          _type: 'OBSERVATION',
          archetype_node_id: 'openEHR-EHR-OBSERVATION.blood_pressure.v2',
          data: { archetype_node_id: 'at0001', events: [{ archetype_node_id: 'at0006' }] },
          protocol: { items: [{ _type: 'CLUSTER', archetype_node_id: 'openEHR-EHR-CLUSTER.device.v1' }] },
        },
        { _type: 'OBSERVATION', archetype_node_id: 'openEHR-EHR-OBSERVATION.blood_pressure.v2' },
      ],
    };
    expect(collectArchetypeIds(composition)).toEqual([
      'openEHR-EHR-CLUSTER.device.v1',
      'openEHR-EHR-COMPOSITION.encounter.v1',
      'openEHR-EHR-OBSERVATION.blood_pressure.v2',
    ]);
  });

  it('finds nothing in a document without archetypes', () => {
    expect(collectArchetypeIds({ _type: 'EHR_STATUS', archetype_node_id: 'at0001' })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { validationPath } from './validation-path.js';

const composition = {
  _type: 'COMPOSITION',
  archetype_node_id: 'openEHR-EHR-COMPOSITION.encounter.v1',
  context: { participations: [{ function: { value: 'nurse' } }] },
  content: [
    {
      archetype_node_id: 'openEHR-EHR-OBSERVATION.blood_pressure.v2',
      data: {
        archetype_node_id: 'at0001',
        events: [
          { archetype_node_id: 'at0006', time: { value: 'x' } },
          { archetype_node_id: 'at0006', time: { value: 'y' } },
          { archetype_node_id: 'at1042' },
        ],
      },
    },
  ],
};

describe('validationPath', () => {
  it('converts JSON paths of the RM structure check, indexing only repeated node ids', () => {
    expect(validationPath.fromJsonPath(composition, '/content[0]/data/events[1]/time/value')).toBe(
      '/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/events[at0006,1]/time/value',
    );
    expect(validationPath.fromJsonPath(composition, '/content[0]/data/events[2]')).toBe(
      '/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/events[at1042]',
    );
    expect(validationPath.fromJsonPath(composition, '/context/participations[0]/function')).toBe('/context/participations[0]/function');
    expect(validationPath.fromJsonPath(composition, '/')).toBe('/');
    expect(validationPath.fromJsonPath(composition, '/content[3]/data')).toBe('/content[3]/data');
  });

  it('finds the value a JSON path points at', () => {
    expect(validationPath.valueAtJsonPath(composition, '/content[0]/data/events[1]/time/value')).toBe('y');
    expect(validationPath.valueAtJsonPath(composition, '/content[0]/missing')).toBeUndefined();
  });

  it('joins segments under the root', () => {
    expect(validationPath.join('/', 'content[0]')).toBe('/content[0]');
    expect(validationPath.join('/content[0]', 'data[at0001]')).toBe('/content[0]/data[at0001]');
  });
});

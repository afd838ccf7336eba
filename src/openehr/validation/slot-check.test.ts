import { describe, expect, it } from 'vitest';
import type { ArchetypeSlot } from '../template/opt-model.js';
import { checkSlot } from './slot-check.js';

const slot = (includes: string[], excludes: string[]): ArchetypeSlot => ({
  type: 'ARCHETYPE_SLOT',
  rmTypeName: 'CLUSTER',
  nodeId: 'at0010',
  occurrences: { lower: 0, lowerIncluded: true, upperIncluded: false, lowerUnbounded: false, upperUnbounded: true },
  includes: includes.map((archetypeIdPattern) => ({ archetypeIdPattern })),
  excludes: excludes.map((pattern) => ({ stringExpression: `archetype_id/value matches {/${pattern}/}` })),
});

const constraints = (problems: readonly { constraint: string }[]): string[] => problems.map((problem) => problem.constraint);

describe('checkSlot', () => {
  it('specific includes: only those archetypes', () => {
    const device = slot(['openEHR-EHR-CLUSTER\\.device(-[a-zA-Z0-9_]+)*\\.v1'], []);
    expect(checkSlot(device, 'openEHR-EHR-CLUSTER.device.v1')).toEqual([]);
    expect(checkSlot(device, 'openEHR-EHR-CLUSTER.device-infusion.v1')).toEqual([]);
    expect(constraints(checkSlot(device, 'openEHR-EHR-CLUSTER.device.v2'))).toEqual([
      'slot include /openEHR-EHR-CLUSTER\\.device(-[a-zA-Z0-9_]+)*\\.v1/',
    ]);
  });

  it('"only these": a specific include wins over an exclude of everything', () => {
    const onlyDevice = slot(['openEHR-EHR-CLUSTER\\.device\\.v1'], ['.*']);
    expect(checkSlot(onlyDevice, 'openEHR-EHR-CLUSTER.device.v1')).toEqual([]);
    expect(constraints(checkSlot(onlyDevice, 'openEHR-EHR-CLUSTER.other.v1'))).toEqual(['slot exclude /.*/']);
  });

  it('"all but these": an include of everything with specific excludes', () => {
    const allButDevice = slot(['.*'], ['openEHR-EHR-CLUSTER\\.device\\.v1']);
    expect(checkSlot(allButDevice, 'openEHR-EHR-CLUSTER.other.v1')).toEqual([]);
    expect(constraints(checkSlot(allButDevice, 'openEHR-EHR-CLUSTER.device.v1'))).toEqual([
      'slot exclude /openEHR-EHR-CLUSTER\\.device\\.v1/',
    ]);
    expect(checkSlot(slot([], []), 'openEHR-EHR-CLUSTER.anything.v1')).toEqual([]);
  });
});

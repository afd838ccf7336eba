/**
 * EHRbase's EXTERNAL AQL data sets hold a few values its server stores but the RM or their own
 * template forbids (test/conformance/exclusions.ts holds the openEHR conformance run to refusing
 * them). So that the AQL suites over these data sets run, the replay repairs exactly those values
 * before it commits them — each repair listed here with what was wrong — and nothing else.
 */

import { isJsonObject, type JsonObject } from '../../../src/shared/json.js';

export interface FixtureRepair {
  /** What is invalid in the fixture, and what the replay commits instead. */
  readonly reason: string;
  repair(text: string): string;
}

/** Every object of a JSON tree, depth first. */
function* objects(value: unknown): Generator<JsonObject> {
  if (Array.isArray(value)) for (const item of value) yield* objects(item);
  else if (isJsonObject(value)) {
    yield value;
    for (const child of Object.values(value)) yield* objects(child);
  }
}

function repairJson(edit: (composition: JsonObject) => void): (text: string) => string {
  return (text) => {
    const composition = JSON.parse(text) as JsonObject;
    edit(composition);
    return JSON.stringify(composition);
  };
}

/** The ELEMENTs of the part of `composition` whose archetype is `archetypeId`, with node id `nodeId`. */
function elementsOf(composition: JsonObject, archetypeId: string, nodeId: string): JsonObject[] {
  const roots = [...objects(composition)].filter((node) => node.archetype_node_id === archetypeId);
  return roots.flatMap((root) => [...objects(root)].filter((node) => node._type === 'ELEMENT' && node.archetype_node_id === nodeId));
}

const ALL_TYPES: FixtureRepair = {
  reason:
    "three values of test_all_types that break its template: the EVALUATION's at0002 'uri' is a DV_TEXT where the template requires a " +
    "DV_URI (committed as a DV_URI with the same text); the OBSERVATION's local code at0006 is written 'value1', not its term text " +
    "'coded text terminology' (committed with the term text); the INSTRUCTION activity's date 20190114 has a day where the C_DATE " +
    'pattern yyyy-??-XX forbids one (committed as 2019-01)',
  repair: repairJson((composition) => {
    for (const element of elementsOf(composition, 'openEHR-EHR-EVALUATION.test_all_types.v1', 'at0002')) {
      const value = element.value;
      if (isJsonObject(value) && value._type === 'DV_TEXT') element.value = { _type: 'DV_URI', value: value.value ?? null };
    }
    for (const node of objects(composition)) {
      const code = node.defining_code;
      if (node._type === 'DV_CODED_TEXT' && node.value === 'value1' && isJsonObject(code) && code.code_string === 'at0006') {
        node.value = 'coded text terminology';
      }
    }
    for (const element of elementsOf(composition, 'openEHR-EHR-INSTRUCTION.test_all_types.v1', 'at0003')) {
      const value = element.value;
      if (isJsonObject(value) && value._type === 'DV_DATE' && value.value === '20190114') value.value = '2019-01';
    }
  }),
};

const FEEDER_SYSTEM_AUDIT: FixtureRepair = {
  reason: `${ALL_TYPES.reason}; and entries carry feeder_system_audit, which is an attribute of FEEDER_AUDIT, not of an ENTRY (left out there; the FEEDER_AUDITs keep theirs)`,
  repair: (text) =>
    ALL_TYPES.repair(
      repairJson((composition) => {
        for (const node of objects(composition)) if (typeof node.archetype_node_id === 'string') delete node.feeder_system_audit;
      })(text),
    ),
};

const MINIMAL_INSTRUCTION_PATTERN: FixtureRepair = {
  reason:
    "minimal_instruction.opt constrains the activity's duration to the C_DURATION pattern PTM (minutes only), while the suites' " +
    'compositions minimal_instruction_2..4 hold years (P65Y5M12D, P101Y, P1Y): the template is uploaded with the pattern PYMWDTHMS, ' +
    "as EHRbase's own allowed-fields test rewrites it",
  repair: (text) => text.replace('<pattern>PTM</pattern>', '<pattern>PYMWDTHMS</pattern>'),
};

/** Repairs by fixture path under test_data_sets/aql/data_load/. */
export const FIXTURE_REPAIRS: Readonly<Record<string, FixtureRepair>> = {
  'compositions/external/all_types_systematic_tests.json': ALL_TYPES,
  'compositions/external/all_types_systematic_tests_feeder_audit.json': FEEDER_SYSTEM_AUDIT,
  'opts/external/minimal_instruction.opt': MINIMAL_INSTRUCTION_PATTERN,
};

/** The fixture's text as the replay commits it. */
export function repaired(path: string, text: string): string {
  return FIXTURE_REPAIRS[path]?.repair(text) ?? text;
}

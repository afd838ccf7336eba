import { isJsonObject as isObject, type JsonObject as Json, type JsonValue } from '../shared/json.js';

/**
 * The UK CPR decision archetype codes its decision with local at-codes bound to SNOMED CT. The
 * binding lives in the template, not the data, so a query over compositions would have to know
 * it; each decision therefore also carries its SNOMED CT concept as a term mapping (match "="),
 * so "everyone whose current recommendation is not for CPR" is a plain path comparison.
 */
export const CPR_DECISION_ARCHETYPE = 'openEHR-EHR-EVALUATION.cpr_decision_uk.v0';
const CPR_DECISION_ELEMENT = 'at0003';

export const CPR_SNOMED: Readonly<Record<string, { code: string; term: string }>> = {
  at0004: { code: '450475007', term: 'For cardiopulmonary resuscitation' },
  at0005: { code: '450476008', term: 'Not for cardiopulmonary resuscitation' },
};

/**
 * A copy of `content` (a composition, or a contribution's body) in which every CPR decision
 * carries the SNOMED CT mapping of its local code, and no other SNOMED CT mapping: a decision
 * changed through any route (a care plan save, an openEHR PUT or contribution that kept the old
 * mapping) can never say one thing in its code and another in its mapping. Pure.
 */
export function withCprSnomedMappings<T>(content: T): T {
  return visit(content as JsonValue, false) as T;
}

function visit(node: JsonValue, inCprDecision: boolean): JsonValue {
  if (Array.isArray(node)) return node.map((item) => visit(item, inCprDecision));
  if (!isObject(node)) return node;
  const inside = inCprDecision || node['archetype_node_id'] === CPR_DECISION_ARCHETYPE;
  const copy: Json = {};
  for (const [key, value] of Object.entries(node)) copy[key] = visit(value, inside);
  if (inside && copy['_type'] === 'ELEMENT' && copy['archetype_node_id'] === CPR_DECISION_ELEMENT && isObject(copy['value'])) {
    copy['value'] = mapped(copy['value']);
  }
  return copy;
}

function mapped(value: Json): Json {
  const definingCode = value['defining_code'];
  const code = isObject(definingCode) ? definingCode['code_string'] : undefined;
  const snomed = typeof code === 'string' ? CPR_SNOMED[code] : undefined;
  if (!snomed) return value;
  const others = Array.isArray(value['mappings'])
    ? value['mappings'].filter(
        (mapping) =>
          !(
            isObject(mapping) &&
            isObject(mapping['target']) &&
            isObject(mapping['target']['terminology_id']) &&
            mapping['target']['terminology_id']['value'] === 'SNOMED-CT'
          ),
      )
    : [];
  return {
    ...value,
    mappings: [
      ...others,
      {
        _type: 'TERM_MAPPING',
        match: '=',
        target: {
          _type: 'CODE_PHRASE',
          terminology_id: { _type: 'TERMINOLOGY_ID', value: 'SNOMED-CT' },
          code_string: snomed.code,
          preferred_term: snomed.term,
        },
      },
    ],
  };
}

import type { JsonObject } from '../openehr/service/version-service.js';
import { isJsonObject as isObject, type JsonObject as Json } from '../shared/json.js';

// The SNOMED CT mapping of every CPR decision is added on every write path, so it lives with the
// repository's write rules; re-exported here for the care plan's own use.
export { CPR_DECISION_ARCHETYPE, CPR_SNOMED, withCprSnomedMappings } from '../repository/cpr-snomed-mapping.js';

/** What a CPR decision's code says, by the archetype's local code or the SNOMED CT concept it is bound to. */
const CPR_STANCE: Readonly<Record<string, 'for CPR' | 'not for CPR'>> = {
  at0004: 'for CPR',
  at0005: 'not for CPR',
  '450475007': 'for CPR',
  '450476008': 'not for CPR',
  '304252001': 'for CPR',
  '304253006': 'not for CPR',
};

/** One CPR recommendation a section holds (a decision coded "status unknown" recommends nothing). */
export interface CprRecommendation {
  moduleId: string;
  title: string;
  /** The FLAT path of the decision's value. */
  path: string;
  stance: 'for CPR' | 'not for CPR';
  text: string;
}

/** Every CPR recommendation in the sections' FLAT content, in section order. Pure. */
export function cprRecommendations(
  sections: readonly { moduleId: string; title: string; flat: Readonly<Record<string, unknown>> | null }[],
): CprRecommendation[] {
  return sections.flatMap(({ moduleId, title, flat }) =>
    Object.entries(flat ?? {}).flatMap(([key, code]) => {
      const match = /^(.*\/cpr_decision(?::\d+)?)\|code$/.exec(key);
      const stance = match && typeof code === 'string' ? CPR_STANCE[code] : undefined;
      if (!match?.[1] || !stance) return [];
      const text = flat?.[`${match[1]}|value`];
      return [{ moduleId, title, path: match[1], stance, text: typeof text === 'string' ? text : stance }];
    }),
  );
}

/** The first pair of recommendations that contradict each other (one for CPR, one not), if any. Pure. */
export function contradictoryCpr(recommendations: readonly CprRecommendation[]): [CprRecommendation, CprRecommendation] | undefined {
  const first = recommendations[0];
  const other = recommendations.find((candidate) => candidate.stance !== first?.stance);
  return first && other ? [first, other] : undefined;
}

/** Who made a CPR decision, as it is recorded on the decision (its entry's `other_participations`). */
export interface CprDecisionMaker {
  name: string;
  /** Their role and organisation, e.g. "senior clinician, Thames Hospice". */
  role: string;
  /** GMC, NMC, HCPC … number, when known. */
  registration: string | undefined;
}

/** The participation function naming a CPR decision's maker. */
export const CPR_DECISION_MAKER = 'CPR decision maker';

const isCprDecisionEntry = (node: Json): boolean =>
  typeof node['archetype_node_id'] === 'string' && node['archetype_node_id'].startsWith('openEHR-EHR-EVALUATION.cpr_decision_uk.');

/** A key-order-independent text of a value (a stored JSONB document keeps no key order), without the keys `omit` names. */
function stableText(value: unknown, omit: ReadonlySet<string> = new Set()): string {
  const stable = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(stable);
    if (!isObject(node)) return node;
    return Object.fromEntries(
      Object.keys(node)
        .filter((key) => !omit.has(key))
        .sort()
        .map((key) => [key, stable(node[key])]),
    );
  };
  return JSON.stringify(stable(value) ?? null);
}

/** A decision's content: not its identity, not who took part. */
const decisionContent = (entry: Json): string => stableText(entry, new Set(['uid', 'other_participations']));

function cprEntries(node: unknown, found: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const item of node) cprEntries(item, found);
  else if (isObject(node)) {
    if (isCprDecisionEntry(node)) found.push(node);
    else for (const value of Object.values(node)) cprEntries(value, found);
  }
  return found;
}

/**
 * A copy of `composition` in which each CPR decision that is new or changed since `before` names
 * `maker` as its decision maker, unless the writer named someone in this very save (its
 * participations differ from every earlier decision's). An unchanged decision keeps the maker it
 * was recorded with. Pure.
 */
export function withCprDecisionMakers(composition: JsonObject, before: unknown, maker: CprDecisionMaker): JsonObject {
  const earlier = cprEntries(before);
  const unchanged = new Set(earlier.map(decisionContent));
  const earlierParticipations = new Set(earlier.map((entry) => stableText(entry['other_participations'])));
  const stamp = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(stamp);
    if (!isObject(node)) return node;
    if (!isCprDecisionEntry(node)) return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, stamp(value)]));
    const named = node['other_participations'] !== undefined && !earlierParticipations.has(stableText(node['other_participations']));
    if (unchanged.has(decisionContent(node)) || named) return node;
    return { ...node, other_participations: [participationOf(maker)] };
  };
  return stamp(composition) as JsonObject;
}

function participationOf(maker: CprDecisionMaker): Json {
  return {
    _type: 'PARTICIPATION',
    function: { _type: 'DV_TEXT', value: `${CPR_DECISION_MAKER}: ${maker.role}` },
    performer: {
      _type: 'PARTY_IDENTIFIED',
      name: maker.name,
      ...(maker.registration
        ? { identifiers: [{ _type: 'DV_IDENTIFIER', id: maker.registration, type: 'Professional registration number' }] }
        : {}),
    },
    mode: {
      _type: 'DV_CODED_TEXT',
      value: 'not specified',
      defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' }, code_string: '193' },
    },
  };
}

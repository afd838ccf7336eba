import type { JsonValue } from '../../openehr/flat/index.js';
import { flatFields } from '../diff/flat-fields.js';

/**
 * The emergency summary: what a paramedic at the door, a 111 call handler or an out-of-hours
 * doctor needs first, derived from the published plan's compositions (in FLAT) by a pure
 * function. Fields are found by the meaning of their web template ids, so a module's template
 * can change its layout without the summary going blank; anything not recorded is absent, never
 * guessed.
 */

export interface SummaryModuleInput {
  moduleId: string;
  title: string;
  templateId: string;
  /** The pathway the module belongs to (`core` for the core plan). */
  pathwayId: string;
  flat: Readonly<Record<string, JsonValue>>;
  /** Labels for the module's FLAT paths (web template names). */
  labelOf: (path: string) => string;
  /** Patterns (regular expression sources) of the paths to show first, most important first. */
  highlights?: readonly string[];
}

export interface SummaryPlanFacts {
  ehrId: string;
  /** The pathway every plan has; the others' modules are the pathway highlights. */
  corePathwayId: string;
  status: string;
  planVersion: number;
  lastUpdated: string;
  reviewDate: string | undefined;
  pathways: readonly { id: string; title: string }[];
  approvedBy: string | undefined;
  death: { date: string; place: string | undefined } | undefined;
}

export interface LabelledValue {
  label: string;
  value: string;
}

export interface EmergencySummary {
  ehrId: string;
  status: string;
  planVersion: number;
  lastUpdated: string;
  reviewDate: string | null;
  reviewOverdue: boolean;
  approvedBy: string | null;
  death: { date: string; place: string | null } | null;
  cpr: { recommendation: string; code: string | null; notForCpr: boolean; decidedOn: string | null } | null;
  focusOfCare: string | null;
  ceilingOfTreatment: string | null;
  advanceDecisions: LabelledValue[];
  legalProxies: LabelledValue[];
  whatMattersMost: LabelledValue[];
  whoToCallFirst: { name: string; relationship: string | null; telephone: string | null; nextOfKin: boolean }[];
  homeAccess: LabelledValue[];
  anticipatoryMedicines: LabelledValue[];
  preferredPlaces: LabelledValue[];
  diagnoses: string[];
  allergies: { substance: string; reaction: string | null; criticality: string | null }[];
  noKnownAllergies: boolean;
  pathwayHighlights: { pathwayId: string; pathway: string; items: LabelledValue[] }[];
  sections: { moduleId: string; title: string; href: string }[];
}

/** Local codes of the UK CPR decision archetype, with the SNOMED CT concept each is bound to. */
export const CPR_SNOMED_BY_LOCAL_CODE: Readonly<Record<string, { code: string; notForCpr: boolean }>> = {
  at0004: { code: '450475007', notForCpr: false },
  at0005: { code: '450476008', notForCpr: true },
};
const CPR_SNOMED = new Map([
  ['450475007', false],
  ['450476008', true],
  ['304252001', false],
  ['304253006', true],
]);

const MAX_HIGHLIGHTS = 12;

interface Field {
  module: SummaryModuleInput;
  path: string;
  value: string;
}

export function emergencySummary(plan: SummaryPlanFacts, modules: readonly SummaryModuleInput[], today: string): EmergencySummary {
  const fields: Field[] = modules.flatMap((module) => [...flatFields(module.flat)].map(([path, value]) => ({ module, path, value })));
  const matching = (pattern: RegExp, within?: (field: Field) => boolean) =>
    fields.filter((field) => pattern.test(field.path) && (within?.(field) ?? true));
  const first = (pattern: RegExp) => matching(pattern)[0]?.value ?? null;
  const labelled = (found: Field[]): LabelledValue[] =>
    found.map((field) => ({ label: field.module.labelOf(field.path), value: field.value }));

  return {
    ehrId: plan.ehrId,
    status: plan.status,
    planVersion: plan.planVersion,
    lastUpdated: plan.lastUpdated,
    reviewDate: plan.reviewDate ?? null,
    reviewOverdue: plan.reviewDate !== undefined && plan.reviewDate < today,
    approvedBy: plan.approvedBy ?? null,
    death: plan.death ? { date: plan.death.date, place: plan.death.place ?? null } : null,
    cpr: cprDecision(modules),
    focusOfCare: first(/\/clinical_focus$|\/focus_of_care$/),
    ceilingOfTreatment: first(/ceiling_of_treatment|\/treatment_escalation|\/clinical_guidance_on_interventions$/),
    advanceDecisions: labelled(matching(/advance_decision_to_refuse_treatment\/(decision_status|comment)$|\/adrt[^/]*$|advance_statement/)),
    legalProxies: labelled(matching(/legal_welfare_prox|lasting_power_of_attorney|\/lpa[^/]*$/)),
    whatMattersMost: labelled(matching(/what_i_most_value$|what_i_most_fear|what_matters|important_to_me/)),
    whoToCallFirst: contactsOf(fields),
    homeAccess: labelled(matching(/key_safe|access_to_(the_)?home|home_access|domestic_access/)),
    anticipatoryMedicines: labelled(matching(/anticipatory|just_in_case/)),
    preferredPlaces: labelled(matching(/preferred_place_of_(care|death)(:\d+)?$/)),
    diagnoses: matching(/problem_diagnosis_name$|\/main_diagnosis$|\/diagnosis_name$/).map((field) => field.value),
    allergies: allergiesOf(fields),
    noKnownAllergies: matching(/global_exclusion_of_adverse_reactions$/).length > 0,
    pathwayHighlights: modules
      .filter((module) => module.pathwayId !== plan.corePathwayId)
      .map((module) => ({
        pathwayId: module.pathwayId,
        pathway: plan.pathways.find((pathway) => pathway.id === module.pathwayId)?.title ?? module.pathwayId,
        items: labelled(
          highlightsOf(
            module,
            fields.filter((field) => field.module === module),
          ),
        ).slice(0, MAX_HIGHLIGHTS),
      }))
      .filter((highlight) => highlight.items.length > 0),
    sections: modules.map((module) => ({
      moduleId: module.moduleId,
      title: module.title,
      href: `/api/care-plans/${plan.ehrId}/modules/${module.moduleId}`,
    })),
  };
}

/** A module's highlighted fields in the order of its patterns, else its first fields. */
function highlightsOf(module: SummaryModuleInput, fields: Field[]): Field[] {
  if (!module.highlights?.length) return fields;
  const patterns = module.highlights.map((source) => new RegExp(source));
  return [...new Set(patterns.flatMap((pattern) => fields.filter((field) => pattern.test(field.path))))];
}

/** The CPR recommendation; ReSPECT's wins over another module's when both say one. */
function cprDecision(modules: readonly SummaryModuleInput[]): EmergencySummary['cpr'] {
  const ordered = [...modules].sort((a, b) => Number(b.moduleId === 'respect') - Number(a.moduleId === 'respect'));
  for (const module of ordered) {
    const entry = Object.entries(module.flat).find(([key]) =>
      /\/cpr_decision(:\d+)?\/cpr_decision\|value$|\/cpr_(decision|recommendation)\|value$/.test(key),
    );
    if (!entry) continue;
    const path = entry[0].slice(0, entry[0].indexOf('|'));
    const code = module.flat[`${path}|code`];
    const localOrSnomed = typeof code === 'string' ? code : '';
    const known = CPR_SNOMED_BY_LOCAL_CODE[localOrSnomed];
    const snomed = known?.code ?? (CPR_SNOMED.has(localOrSnomed) ? localOrSnomed : null);
    const dateKey = Object.keys(module.flat).find(
      (key) => key.startsWith(path.slice(0, path.lastIndexOf('/'))) && /date_of_cpr_decision$/.test(key),
    );
    const decided = dateKey ? module.flat[dateKey] : undefined;
    return {
      recommendation: String(entry[1]),
      code: snomed,
      notForCpr: known?.notForCpr ?? CPR_SNOMED.get(localOrSnomed) ?? false,
      decidedOn: typeof decided === 'string' ? decided : null,
    };
  }
  return null;
}

function contactsOf(fields: Field[]): EmergencySummary['whoToCallFirst'] {
  const byContact = new Map<string, Map<string, string>>();
  for (const field of fields) {
    const match = /^(.*\/(relevant_contact|participant|contact_person|key_contact)(:\d+)?)\/(.*)$/.exec(field.path);
    if (!match?.[1] || match[4] === undefined) continue;
    const contact = byContact.get(match[1]) ?? new Map<string, string>();
    contact.set(match[4], field.value);
    byContact.set(match[1], contact);
  }
  const contacts: EmergencySummary['whoToCallFirst'] = [];
  for (const details of byContact.values()) {
    const find = (pattern: RegExp) => [...details].find(([key]) => pattern.test(key))?.[1] ?? null;
    const name = find(/unstructured_name$|contact_name$|\/name(:\d+)?$|full_name$/);
    if (!name) continue;
    contacts.push({
      name,
      relationship: find(/relationship_role$|relationship_category$|role_and_relationship(:\d+)?$|relationship$/),
      telephone: find(/telephone_number$|comms_description$|phone$/),
      nextOfKin: find(/is_next_of_kin$/) === 'true',
    });
  }
  return contacts;
}

function allergiesOf(fields: Field[]): EmergencySummary['allergies'] {
  return fields
    .filter((field) => /\/causative_agent$|\/substance$/.test(field.path))
    .map((field) => {
      const base = field.path.slice(0, field.path.lastIndexOf('/'));
      const near = (pattern: RegExp) =>
        fields.find((other) => other.module === field.module && other.path.startsWith(`${base}/`) && pattern.test(other.path))?.value ??
        null;
      return { substance: field.value, reaction: near(/manifestation(:\d+)?$|reaction_description$/), criticality: near(/\/criticality$/) };
    });
}

import type { JsonValue } from '../../openehr/flat/index.js';
import { flatFields } from '../diff/flat-fields.js';
import {
  EMERGENCY_SUMMARY_ALLERGIES,
  EMERGENCY_SUMMARY_CONTACTS,
  EMERGENCY_SUMMARY_FACTS,
  type SummaryEntry,
  type SummaryPath,
} from '../pathway/emergency-summary-paths.js';
import { entryInstanceOf, isAtOrUnder, isDeclared } from './declared-paths.js';

/**
 * The emergency summary: what a paramedic at the door, a 111 call handler or an out-of-hours
 * doctor needs first, derived from the published plan's compositions (in FLAT) by a pure
 * function. Each fact is read from the nodes the pathways declare for it
 * (`pathway/emergency-summary-paths.ts`, checked against the templates by a test); anything not
 * recorded is absent, never guessed.
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
  /** The nodes (declared FLAT paths) to show first, most important first. */
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

/** Who the person is, as the summary answer gives it (from the demographics held, never stored in the projection). */
export interface SummaryPerson {
  nhsNumber: string;
  name: string | null;
  birthDate: string | null;
  gender: string | null;
  /** Never a restricted (S-flagged) record's. */
  address: { lines: string[]; city: string | null; postalCode: string | null } | null;
  restricted: boolean;
  /** verified, unverified (PDS could not be reached), not-found, or not-held (never looked up). */
  verification: string;
  deceased: { date: string } | null;
}

/** The emergency summary as it is answered: the projection, and who the person is. */
export type EmergencySummaryAnswer = EmergencySummary & { person: SummaryPerson };

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
  const fields: Field[] = modules.flatMap((module) =>
    [...flatFields(module.flat)].map(([path, value]) => ({ module, path, value: plainValue(module.flat[path], value) })),
  );
  const at = (declared: readonly SummaryPath[]) => fields.filter((field) => isDeclared(field.module.templateId, field.path, declared));
  const first = (declared: readonly SummaryPath[]) => at(declared)[0]?.value ?? null;
  const facts = EMERGENCY_SUMMARY_FACTS;
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
    focusOfCare: first(facts.focusOfCare),
    ceilingOfTreatment: first(facts.ceilingOfTreatment),
    advanceDecisions: labelled(at(facts.advanceDecisions)),
    legalProxies: labelled(at(facts.legalProxies)),
    whatMattersMost: labelled(at(facts.whatMattersMost)),
    whoToCallFirst: contactsOf(fields),
    homeAccess: labelled(at(facts.homeAccess)),
    anticipatoryMedicines: labelled(at(facts.anticipatoryMedicines)),
    preferredPlaces: labelled(at(facts.preferredPlaces)),
    diagnoses: at(facts.diagnoses).map((field) => field.value),
    allergies: allergiesOf(fields),
    noKnownAllergies: at(facts.noKnownAllergies).length > 0,
    pathwayHighlights: pathwayHighlights(plan, modules, fields),
    sections: modules.map((module) => ({
      moduleId: module.moduleId,
      title: module.title,
      href: `/api/care-plans/${plan.ehrId}/modules/${module.moduleId}`,
    })),
  };
}

/** A yes/no question reads as Yes or No, not as the JSON of a boolean. */
function plainValue(raw: JsonValue | undefined, rendered: string): string {
  return typeof raw === 'boolean' ? (raw ? 'Yes' : 'No') : rendered;
}

/** Each field by its own name and its group's, not the whole breadcrumb of headings above it. */
function labelled(found: readonly Field[]): LabelledValue[] {
  return found.map((field) => ({ label: field.module.labelOf(field.path).split(' › ').slice(-2).join(' › '), value: field.value }));
}

function pathwayHighlights(plan: SummaryPlanFacts, modules: readonly SummaryModuleInput[], fields: readonly Field[]) {
  return modules
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
    .filter((highlight) => highlight.items.length > 0);
}

/** A module's highlighted fields in the order its pathway declares them, else its first fields. */
function highlightsOf(module: SummaryModuleInput, fields: readonly Field[]): Field[] {
  if (!module.highlights?.length) return [...fields];
  return [...new Set(module.highlights.flatMap((node) => fields.filter((field) => isAtOrUnder(field.path, node))))];
}

/** The CPR recommendation; ReSPECT's wins over another module's when both say one. */
function cprDecision(modules: readonly SummaryModuleInput[]): EmergencySummary['cpr'] {
  for (const node of EMERGENCY_SUMMARY_FACTS.cprDecision) {
    for (const module of modules.filter((candidate) => candidate.templateId === node.templateId)) {
      const key = Object.keys(module.flat).find(
        (candidate) => candidate.endsWith('|value') && isAtOrUnder(candidate.slice(0, -6), node.path),
      );
      if (!key) continue;
      const path = key.slice(0, -6);
      const code = module.flat[`${path}|code`];
      const localOrSnomed = typeof code === 'string' ? code : '';
      const known = CPR_SNOMED_BY_LOCAL_CODE[localOrSnomed];
      const dateKey = Object.keys(module.flat).find((candidate) =>
        isDeclared(module.templateId, candidate, EMERGENCY_SUMMARY_FACTS.cprDecisionDate),
      );
      const decided = dateKey ? module.flat[dateKey] : undefined;
      return {
        recommendation: String(module.flat[key]),
        code: known?.code ?? (CPR_SNOMED.has(localOrSnomed) ? localOrSnomed : null),
        notForCpr: known?.notForCpr ?? CPR_SNOMED.get(localOrSnomed) ?? false,
        decidedOn: typeof decided === 'string' ? decided : null,
      };
    }
  }
  return null;
}

/** The recorded instances of declared entries, each with its parts (first recorded path of each part wins). */
function entriesOf<Part extends string>(fields: readonly Field[], declared: readonly SummaryEntry<Part>[]): Map<Part, string>[] {
  const entries: Map<Part, string>[] = [];
  for (const entry of declared) {
    const byInstance = new Map<string, Map<string, string>>();
    for (const field of fields) {
      if (field.module.templateId !== entry.templateId) continue;
      const located = entryInstanceOf(field.path, entry.path);
      if (!located) continue;
      const values = byInstance.get(located.instance) ?? new Map<string, string>();
      values.set(located.below, field.value);
      byInstance.set(located.instance, values);
    }
    for (const values of byInstance.values()) {
      const parts = new Map<Part, string>();
      for (const [part, paths] of Object.entries(entry.parts) as [Part, readonly string[]][]) {
        const value = paths
          .map((path) => [...values].find(([below]) => isAtOrUnder(below, path))?.[1])
          .find((found) => found !== undefined);
        if (value !== undefined) parts.set(part, value);
      }
      entries.push(parts);
    }
  }
  return entries;
}

/** One entry per person, merged across the sections that name them (by name, ignoring case and spaces). */
function contactsOf(fields: readonly Field[]): EmergencySummary['whoToCallFirst'] {
  const byName = new Map<string, EmergencySummary['whoToCallFirst'][number]>();
  for (const parts of entriesOf(fields, EMERGENCY_SUMMARY_CONTACTS)) {
    const name = parts.get('name')?.trim();
    if (!name) continue;
    const key = name.toLowerCase().replace(/\s+/g, ' ');
    const known = byName.get(key);
    const nextOfKin = parts.get('nextOfKin') === 'Yes';
    byName.set(key, {
      name: known?.name ?? name,
      relationship: known?.relationship ?? parts.get('relationship') ?? null,
      telephone: known?.telephone ?? parts.get('telephone') ?? null,
      nextOfKin: (known?.nextOfKin ?? false) || nextOfKin,
    });
  }
  return [...byName.values()];
}

function allergiesOf(fields: readonly Field[]): EmergencySummary['allergies'] {
  return entriesOf(fields, EMERGENCY_SUMMARY_ALLERGIES).flatMap((parts) => {
    const substance = parts.get('substance');
    return substance ? [{ substance, reaction: parts.get('reaction') ?? null, criticality: parts.get('criticality') ?? null }] : [];
  });
}

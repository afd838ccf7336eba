import type { CarePlan, Flag, Period, Resource } from '@medplum/fhirtypes';
import type { PlanView } from '../../careplan/care-plan-service.js';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import { isValidNhsNumber } from '../../nhs/nhs-number.js';
import { isUuid } from '../../shared/uuid.js';
import type { FhirResourceType } from '../http/fhir-resource-type.js';
import { toCarePlan, labelFromPath } from '../resources/care-plan.js';
import { toCareTeam } from '../resources/care-team.js';
import { toConsent } from '../resources/consent.js';
import { toDocumentReference } from '../resources/document-reference.js';
import { cprFlag, planFlag } from '../resources/flag.js';
import { toPatient } from '../resources/patient.js';
import { planVersions, type PlanVersion } from '../resources/plan-versions.js';
import { toProvenance } from '../resources/provenance.js';
import { toRelatedPersons } from '../resources/related-person.js';
import { pageOf } from '../search/bundle.js';
import {
  dateMatches,
  tokenMatches,
  type ParsedSearch,
  type ReferenceValue,
  type SearchParameterDefinitions,
} from '../search/search-parameters.js';
import { NHS_NUMBER_SYSTEM, UK_CORE_PROFILES } from '../uk-core.js';
import type { PersonRecord, PersonRecords, PublishedPlan } from './person-records.js';

/**
 * A person's data as FHIR resources: Patient, CarePlan, Flag, Consent, RelatedPerson, CareTeam,
 * Provenance and DocumentReference. Each is derived, when asked for, from the one record every
 * other API reads (never a copy that can drift), and every read or search names one person and
 * goes through the policy point, so it is decided and appears in that person's access report.
 */
export interface PersonResourceSettings {
  records: PersonRecords;
  /** Where the plan's PDF is fetched from (the DocumentReference's attachment). */
  publicUrl: string;
  pathwayTitle(pathwayId: string): string | undefined;
}

const POLICY = { kind: 'permission', permission: 'plan:read' } as const;
const PATIENT_REFERENCE = {
  type: 'reference',
  targets: ['Patient'],
  description: `Patient/<NHS number>, or :identifier=${NHS_NUMBER_SYSTEM}|<NHS number>`,
} as const;

interface PersonTypeSpec<T extends Resource> {
  type: T['resourceType'];
  documentation: string;
  /** The reference parameters that name the person (`patient`, `subject`). */
  personParameters: readonly string[];
  /** Whether the resource has a `status` to search by. */
  status: boolean;
  revincludes?: readonly string[];
  build(record: PersonRecord, settings: PersonResourceSettings): T[];
  /** The period a `date` search matches, for types that have one. */
  period?(resource: T): Period | undefined;
  /** Every version of the resource with this id, newest first, for types whose data is versioned. */
  history?(record: PersonRecord, id: string, settings: PersonResourceSettings): Promise<HistoryEntry[] | undefined>;
}

type HistoryEntry = { resource: Resource; method: 'POST' | 'PUT' | 'DELETE' };

const SPECS: readonly PersonTypeSpec<Resource>[] = [
  {
    type: 'Patient',
    documentation: 'The person, from the national demographics service; the id is the NHS number.',
    personParameters: [],
    status: false,
    revincludes: ['CarePlan:subject', 'Flag:subject'],
    build: (record) => (record.demographics ? [toPatient(record.demographics)] : []),
  },
  {
    type: 'CarePlan',
    documentation: 'The published urgent care plan with the whole plan as narrative; the id is the EHR id.',
    personParameters: ['patient', 'subject'],
    status: true,
    revincludes: ['Provenance:target'],
    build: ({ plan }, settings) => (plan ? [carePlanOf(plan.view, plan.summary, settings, planVersions(plan.revisions).at(-1))] : []),
    period: (resource) => (resource as CarePlan).period,
    history: carePlanHistory,
  },
  {
    type: 'Flag',
    documentation: 'That an urgent care plan exists and its status, and the CPR recommendation when one is recorded.',
    personParameters: ['patient', 'subject'],
    status: true,
    build: ({ plan }) => (plan ? [planFlag(plan.view), cprFlag(plan.view, plan.summary)].filter(isDefined) : []),
    period: (resource) => (resource as Flag).period,
  },
  {
    type: 'Consent',
    documentation: "The person's decision about sharing their plan for direct care.",
    personParameters: ['patient'],
    status: true,
    build: ({ plan }) => (plan ? [toConsent(plan.view)].filter(isDefined) : []),
  },
  {
    type: 'RelatedPerson',
    documentation: 'The people involved in the person’s care, from the plan’s contacts.',
    personParameters: ['patient'],
    status: false,
    build: ({ plan }) => (plan ? toRelatedPersons(plan.view, plan.summary) : []),
  },
  {
    type: 'CareTeam',
    documentation: 'The organisations caring for the person and the plan’s author and approver.',
    personParameters: ['patient', 'subject'],
    status: false,
    build: ({ plan }) => (plan ? [toCareTeam(plan.view, plan.careTeam)] : []),
  },
  {
    type: 'Provenance',
    documentation: 'Who made each version of the CarePlan, when and why: one per version (drafts make none).',
    personParameters: ['patient'],
    status: false,
    build: ({ plan }) => (plan ? provenanceOf(plan) : []),
  },
  {
    type: 'DocumentReference',
    documentation: 'The plan as a PDF for a paper file.',
    personParameters: ['patient', 'subject'],
    status: true,
    build: ({ plan }, settings) =>
      plan
        ? [
            toDocumentReference(plan.view, {
              url: `${settings.publicUrl}/api/care-plans/${plan.view.ehrId}/pdf`,
              title: 'Urgent care plan',
            }),
          ]
        : [],
  },
];

function carePlanOf(
  view: PlanView,
  summary: PublishedPlan['summary'],
  settings: PersonResourceSettings,
  version: PlanVersion | undefined,
): CarePlan {
  return toCarePlan({
    plan: view,
    summary,
    pathwayTitles: Object.fromEntries(view.pathways.map((id) => [id, settings.pathwayTitle(id) ?? id])),
    labelOf: labelFromPath,
    ...(version ? { version } : {}),
  });
}

/**
 * Every version of the CarePlan, newest first: the current one exactly as a read gives it, earlier
 * ones as their readers saw them (their module content and header; the emergency summary is kept
 * only for the current version, so earlier narratives go without it).
 */
async function carePlanHistory(record: PersonRecord, id: string, settings: PersonResourceSettings): Promise<HistoryEntry[] | undefined> {
  const { plan } = record;
  if (!plan || id !== plan.view.ehrId) return undefined;
  const versions = planVersions(plan.revisions).reverse();
  const entries: HistoryEntry[] = [];
  for (const [index, version] of versions.entries()) {
    const view = index === 0 ? plan.view : await plan.viewAt(version.revision);
    if (!view) continue;
    entries.push({ resource: carePlanOf(view, index === 0 ? plan.summary : undefined, settings, version), method: version.method });
  }
  return entries;
}

/** One Provenance per version of the CarePlan, targeting it. */
function provenanceOf(plan: PublishedPlan): Resource[] {
  const versions = new Set(planVersions(plan.revisions).map((version) => version.revision));
  return plan.revisions.filter((revision) => versions.has(revision.revision)).map((revision) => toProvenance(plan.view.ehrId, revision));
}

export function personResourceTypes(settings: PersonResourceSettings): FhirResourceType[] {
  return SPECS.map((spec) => personResourceType(spec, settings));
}

function personResourceType(spec: PersonTypeSpec<Resource>, settings: PersonResourceSettings): FhirResourceType {
  const searchParameters: Record<string, SearchParameterDefinitions[string]> = {};
  for (const name of spec.personParameters) searchParameters[name] = PATIENT_REFERENCE;
  if (spec.type === 'Patient')
    searchParameters['identifier'] = { type: 'token', description: `The NHS number: ${NHS_NUMBER_SYSTEM}|<NHS number>` };
  if (spec.status) searchParameters['status'] = { type: 'token', description: 'The resource’s status code' };
  if (spec.period) {
    searchParameters['date'] = {
      type: 'date',
      description: 'When the resource is in force (its period; an open period runs on), with a prefix: ge2026-01-01',
    };
  }
  const history = spec.history?.bind(spec);
  return {
    type: spec.type,
    profile: (UK_CORE_PROFILES as Readonly<Record<string, string>>)[spec.type],
    documentation: `${spec.documentation} Every read and search names one person and is audited in their access report.`,
    policy: POLICY,
    searchParameters,
    includes: spec.personParameters.map((name) => `${spec.type}:${name}`),
    revincludes: spec.revincludes ?? [],
    async read(id, request) {
      const record = await settings.records.read(request, locatorOfId(spec.type, id));
      return record && spec.build(record, settings).find((resource) => resource.id === id);
    },
    async search(search, request) {
      const record = await settings.records.read(request, { nhsNumber: personSearchedFor(spec, search, request) });
      const all = record ? spec.build(record, settings).filter((resource) => matchesFilters(resource, search, spec)) : [];
      const page = pageOf(all, search);
      // Includes go with the page's matches: an empty page includes nothing.
      const included = record ? includedWith(search, record, settings, page.length > 0) : [];
      return { matches: page, total: all.length, included };
    },
    ...(history
      ? {
          async history(id: string, request: FastifyRequest) {
            const record = await settings.records.read(request, locatorOfId(spec.type, id));
            return record && history(record, id, settings);
          },
        }
      : {}),
  };
}

/** Patient ids are NHS numbers; the plan's resources start with its EHR id. */
function locatorOfId(type: string, id: string): { nhsNumber: string } | { ehrId: string } {
  if (type === 'Patient') {
    if (!isValidNhsNumber(id)) throw new AppError('not-found', `There is no Patient with id ${id}: Patient ids are NHS numbers.`);
    return { nhsNumber: id };
  }
  const ehrId = id.slice(0, 36);
  if (!isUuid(ehrId)) throw new AppError('not-found', `There is no ${type} with id ${id}.`);
  return { ehrId };
}

/**
 * The one person a search is about: named by a patient/subject reference or (for Patient) the
 * identifier or id; otherwise the person a launch put in context, or the signed-in person's own.
 * A search across people is refused: the facade serves care of one person, not lists of people.
 */
function personSearchedFor(spec: PersonTypeSpec<Resource>, search: ParsedSearch, request: FastifyRequest): string {
  const named = new Set<string>();
  for (const filter of search.filters) {
    if (filter.type === 'reference' && spec.personParameters.includes(filter.name)) {
      for (const value of filter.values) named.add(nhsNumberOf(value));
    }
    if (spec.type === 'Patient' && filter.type === 'token' && (filter.name === 'identifier' || filter.name === '_id')) {
      for (const value of filter.values) {
        if (filter.name === '_id' || value.system === undefined || value.system === NHS_NUMBER_SYSTEM) named.add(value.code);
      }
    }
  }
  if (named.size === 0) {
    const implied = request.caller?.launchContextNhsNumber ?? request.caller?.ownNhsNumber;
    if (implied) return implied;
  }
  const [only, ...others] = [...named];
  if (only === undefined || others.length > 0) {
    const how = spec.type === 'Patient' ? `identifier=${NHS_NUMBER_SYSTEM}|<NHS number>` : `patient=Patient/<NHS number>`;
    throw new AppError('bad-request', `Search ${spec.type} for one person at a time: ${how}.`);
  }
  return only;
}

function nhsNumberOf(value: ReferenceValue): string {
  if (value.kind === 'id') return value.id;
  if (value.system !== undefined && value.system !== NHS_NUMBER_SYSTEM) {
    throw new AppError('bad-request', `People are identified here by NHS number (${NHS_NUMBER_SYSTEM}), not ${value.system}.`);
  }
  return value.value;
}

/** The filters other than the person: _id, status, date and _lastUpdated, applied to the person's resources. */
function matchesFilters(resource: Resource, search: ParsedSearch, spec: PersonTypeSpec<Resource>): boolean {
  return search.filters.every((filter) => {
    if (filter.name === '_id' && filter.type === 'token') {
      return filter.values.some((value) => tokenMatches(value, undefined, resource.id ?? '')) !== (filter.modifier === 'not');
    }
    if (filter.name === 'status' && filter.type === 'token') {
      const status = (resource as { status?: string }).status ?? '';
      return filter.values.some((value) => tokenMatches(value, value.system, status)) !== (filter.modifier === 'not');
    }
    if (filter.name === '_lastUpdated' && filter.type === 'date') {
      const updated = resource.meta?.lastUpdated;
      return updated !== undefined && filter.values.some((value) => dateMatches(value, new Date(updated)));
    }
    if (filter.name === 'date' && filter.type === 'date') {
      const period = spec.period?.(resource);
      if (period?.start === undefined) return false;
      const [from, to] = [new Date(period.start), period.end === undefined ? OPEN_END : new Date(period.end)];
      return filter.values.some((value) => dateMatches(value, from, to));
    }
    return true;
  });
}

/** `_include` of the person and `_revinclude` of what points at the found resources (provenance, plan, flags). */
function includedWith(search: ParsedSearch, record: PersonRecord, settings: PersonResourceSettings, found: boolean): Resource[] {
  if (!found) return [];
  const included: Resource[] = [];
  if (search.include.length > 0 && record.demographics) included.push(toPatient(record.demographics));
  for (const reverse of search.revinclude) {
    const spec = SPECS.find((candidate) => candidate.type === reverse.source);
    if (spec) included.push(...spec.build(record, settings));
  }
  return included;
}

/** The end of a period still running: later than any date a search can name. */
const OPEN_END = new Date(8.64e15);

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

import type { FastifyRequest } from 'fastify';
import { readPersonAccessFacts } from '../../access/person-access-facts.js';
import type { CarePlanService, PlanView } from '../../careplan/care-plan-service.js';
import { findCarePlanByNhsNumber, listRevisions, type PlanRevision } from '../../careplan/care-plan-store.js';
import type { EmergencySummary } from '../../careplan/summary/emergency-summary.js';
import type { Database } from '../../db/database.js';
import type { DemographicsService } from '../../demographics/demographics-service.js';
import { personView, type PersonView } from '../../demographics/http/person-view.js';
import { identityOf } from '../../demographics/person-identity.js';
import { AppError } from '../../errors/app-error.js';
import { findOrganisation } from '../../organisations/organisation-store.js';
import type { PersonRef } from '../../repository/repository.js';
import type { PersonDemographics } from '../resources/patient.js';

/** What the FHIR facade may show of one person, once the caller is allowed to read it. */
export interface PersonRecord {
  nhsNumber: string;
  /** Undefined when the demographics service does not know the number. */
  demographics: PersonDemographics | undefined;
  /** The published plan (drafts are never shared); undefined when there is none. */
  plan: PublishedPlan | undefined;
}

export interface PublishedPlan {
  view: PlanView;
  summary: EmergencySummary | undefined;
  revisions: PlanRevision[];
  careTeam: { odsCode: string; name?: string }[];
  /** The plan as readers saw it after an earlier revision (its history); read only once the person was opened. */
  viewAt(revision: number): Promise<PlanView | undefined>;
}

/**
 * How the FHIR facade reads a person's data: the one seam between FHIR and the record. Every read
 * goes through the policy point (decided, refusals and break-glass audited, and the read itself
 * audited for this person before the answer leaves), so FHIR never becomes a second way in.
 */
export interface PersonRecords {
  /** The person's record, or undefined when no such person is known; refuses (403) a caller without the right. */
  read(request: FastifyRequest, person: PersonRef): Promise<PersonRecord | undefined>;
}

export function personRecordsFrom(db: Database, plans: CarePlanService, demographics: DemographicsService): PersonRecords {
  return {
    async read(request, locator) {
      const { ehrId, nhsNumber } = await request.openPerson(locator, 'read');
      await requireLaunchPatient(request, nhsNumber);
      if (!nhsNumber) return undefined;
      const [person, plan] = await Promise.all([demographicsOf(demographics, nhsNumber, request), publishedPlanOf(db, plans, nhsNumber)]);
      if (!person && !plan && !ehrId) return undefined;
      return { nhsNumber, demographics: person, plan };
    },
  };
}

/**
 * A token that carries only patient-level SMART scopes (`patient/…`) reads the person it was
 * launched for, nobody else, whatever its user could otherwise see.
 */
async function requireLaunchPatient(request: FastifyRequest, nhsNumber: string): Promise<void> {
  const scopes = request.caller?.scopes;
  if (!scopes || !scopes.some((scope) => scope.startsWith('patient/'))) return;
  if (scopes.some((scope) => scope.startsWith('user/') || scope.startsWith('system/') || scope === 'fhir:read')) return;
  if (nhsNumber !== '' && request.caller?.launchContextNhsNumber === nhsNumber) return;
  await request.repository.refuse("the access token's patient/ scopes reach only the person it was launched for");
}

async function demographicsOf(
  service: DemographicsService,
  nhsNumber: string,
  request: FastifyRequest,
): Promise<PersonDemographics | undefined> {
  try {
    const stored = await service.lookup(nhsNumber, { correlationId: request.id, log: request.log });
    return asPatientInput(personView(identityOf(stored), 'read'));
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return undefined;
    throw error;
  }
}

async function publishedPlanOf(db: Database, plans: CarePlanService, nhsNumber: string): Promise<PublishedPlan | undefined> {
  const row = await findCarePlanByNhsNumber(db, nhsNumber);
  if (!row || row.planVersion === 0) return undefined;
  const [view, revisions, facts] = await Promise.all([
    plans.readPublished(row.ehrId),
    listRevisions(db, row.ehrId),
    readPersonAccessFacts(db, nhsNumber),
  ]);
  const summary = view.status === 'published' ? await plans.emergencySummary(row.ehrId) : undefined;
  const careTeam = await Promise.all(
    [...facts.careTeamOdsCodes].sort().map(async (odsCode) => {
      const organisation = await findOrganisation(db, odsCode);
      return organisation ? { odsCode, name: organisation.name } : { odsCode };
    }),
  );
  return { view, summary, revisions, careTeam, viewAt: (revision) => plans.readAtRevision(row.ehrId, revision) };
}

function asPatientInput(view: PersonView): PersonDemographics {
  return {
    nhsNumber: view.nhsNumber,
    verification: view.verification,
    restricted: view.restricted,
    name: view.name ?? {},
    birthDate: view.birthDate,
    gender: view.gender,
    address: view.address,
    telecom: view.telecom.map(({ system, use, value }) => ({ system, value, ...(isContactUse(use) ? { use } : {}) })),
    registeredGp: view.registeredGp
      ? { odsCode: view.registeredGp.odsCode, name: view.registeredGp.name ?? view.registeredGp.odsCode }
      : null,
    deceased: view.deceased,
    supersededBy: view.supersededBy,
    source: view.source,
    retrievedAt: view.retrievedAt,
    version: view.version ?? 1,
  };
}

const CONTACT_USES = ['home', 'work', 'mobile', 'temp'] as const;

function isContactUse(use: string | null): use is (typeof CONTACT_USES)[number] {
  return (CONTACT_USES as readonly (string | null)[]).includes(use);
}

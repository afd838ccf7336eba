import type { Bundle, Resource } from '@medplum/fhirtypes';
import { queryAudit } from '../audit/audit-query.js';
import type { AuditEntry } from '../audit/audit-record.js';
import type { CarePlanService } from '../careplan/care-plan-service.js';
import type { Queryable } from '../db/database.js';
import { readStoredPerson, type StoredPerson } from '../demographics/demographics-store.js';
import { AppError } from '../errors/app-error.js';
import { labelFromPath, toCarePlan } from '../fhir/resources/care-plan.js';
import { cprFlag, planFlag } from '../fhir/resources/flag.js';
import { toPatient } from '../fhir/resources/patient.js';
import { NHS_NUMBER_SYSTEM } from '../nhs/nhs-number.js';

/** Far beyond any real person's trail; a bound so that one export cannot take the server's memory. */
const MAX_AUDIT_ENTRIES = 50_000;
const AUDIT_PAGE = 1_000;

export interface StoredObjectVersion {
  uid: string;
  version: number;
  objectType: string;
  contributionId: string;
  timeCommitted: string;
  changeType: string;
  lifecycleState: string;
  committer: unknown;
  data: unknown;
}

/** Everything held about one person, for a subject access request (UK GDPR article 15). */
export interface SubjectAccessExport {
  nhsNumber: string;
  generatedAt: string;
  /** The openEHR EHR extract: the EHR and every version of every object in it (status, compositions, folders), oldest first. */
  openehr: { ehrId: string; timeCreated: string; systemId: string; versions: StoredObjectVersion[] } | undefined;
  /** The person's resources as FHIR R4 (UK Core): the demographics held, the published plan and its flags. */
  fhir: Bundle;
  /** Who read or changed the record, who was refused, every break-glass: the whole audit trail about the person, oldest first. */
  access: Omit<AuditEntry, 'prevHash' | 'hash'>[];
}

type VersionRow = {
  uid: string;
  version: number;
  object_type: string;
  contribution_id: string;
  time_committed: Date | string;
  change_type: string;
  lifecycle_state: string;
  committer: unknown;
  data: unknown;
};

export async function subjectAccessExport(db: Queryable, plans: CarePlanService, nhsNumber: string): Promise<SubjectAccessExport> {
  const { rows: ehrs } = await db.query<{ ehr_id: string; time_created: Date | string; system_id: string }>(
    'SELECT ehr_id, time_created, system_id FROM ehr WHERE subject_namespace = $1 AND subject_id = $2',
    [NHS_NUMBER_SYSTEM, nhsNumber],
  );
  const ehr = ehrs[0];
  const person = await readStoredPerson(db, nhsNumber);
  if (!ehr && !person) throw new AppError('not-found', `Nothing is held about ${nhsNumber}.`);
  const openehr = ehr
    ? {
        ehrId: ehr.ehr_id,
        timeCreated: new Date(ehr.time_created).toISOString(),
        systemId: ehr.system_id,
        versions: await ehrVersions(db, ehr.ehr_id),
      }
    : undefined;
  const resources: Resource[] = [];
  if (person) resources.push(patientOf(person));
  if (ehr) resources.push(...(await planResources(plans, ehr.ehr_id)));
  return {
    nhsNumber,
    generatedAt: new Date().toISOString(),
    openehr,
    fhir: {
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: new Date().toISOString(),
      entry: resources.map((resource) => ({ resource })),
    },
    access: await auditTrail(db, nhsNumber),
  };
}

async function ehrVersions(db: Queryable, ehrId: string): Promise<StoredObjectVersion[]> {
  const { rows } = await db.query<VersionRow>(
    `SELECT uid, version, object_type, contribution_id, time_committed, change_type, lifecycle_state, committer, data
     FROM object_version WHERE ehr_id = $1 ORDER BY time_committed, uid, version`,
    [ehrId],
  );
  return rows.map((row) => ({
    uid: row.uid,
    version: row.version,
    objectType: row.object_type,
    contributionId: row.contribution_id,
    timeCommitted: new Date(row.time_committed).toISOString(),
    changeType: row.change_type,
    lifecycleState: row.lifecycle_state,
    committer: row.committer,
    data: row.data,
  }));
}

/** The published plan as CarePlan and flags; none while the person has no published plan. */
async function planResources(plans: CarePlanService, ehrId: string): Promise<Resource[]> {
  let plan;
  try {
    plan = await plans.readPublished(ehrId);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'not-found' || error.code === 'conflict')) return [];
    throw error;
  }
  const summary = await plans.emergencySummary(ehrId).catch(() => undefined);
  const resources: (Resource | undefined)[] = [
    toCarePlan({
      plan,
      summary,
      pathwayTitles: Object.fromEntries(plans.catalogue.pathways.map((pathway) => [pathway.id, pathway.title])),
      labelOf: labelFromPath,
    }),
    planFlag(plan),
    cprFlag(plan, summary),
  ];
  return resources.filter((resource): resource is Resource => resource !== undefined);
}

async function auditTrail(db: Queryable, nhsNumber: string): Promise<SubjectAccessExport['access']> {
  const newestFirst: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryAudit(db, { nhsNumber, limit: AUDIT_PAGE, ...(cursor ? { cursor } : {}) });
    newestFirst.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor && newestFirst.length < MAX_AUDIT_ENTRIES);
  return newestFirst.reverse().map(({ prevHash: _prevHash, hash: _hash, ...entry }) => entry);
}

const CONTACT_USES = ['home', 'work', 'mobile', 'temp'] as const;

/** The demographics held (not asked of PDS again: the request is about what is held) as a UK Core Patient. */
function patientOf(person: StoredPerson): Resource {
  const held = person.demographics;
  return toPatient({
    nhsNumber: held.nhsNumber,
    verification: person.verification,
    restricted: held.restricted,
    name: held.name ? { prefix: held.name.prefix, given: held.name.given, family: held.name.family, text: held.name.text } : {},
    birthDate: held.birthDate,
    gender: held.gender,
    address: held.address,
    telecom: held.telecom.map((contact) => {
      const use = CONTACT_USES.find((known) => known === contact.use);
      return { system: contact.system, value: contact.value, ...(use ? { use } : {}) };
    }),
    registeredGp: held.registeredGpOdsCode
      ? { odsCode: held.registeredGpOdsCode, name: person.registeredGpName ?? held.registeredGpOdsCode }
      : null,
    deceased: held.deceased,
    supersededBy: person.supersededBy,
    source: person.source,
    retrievedAt: person.versionRetrievedAt,
    version: person.version,
  });
}

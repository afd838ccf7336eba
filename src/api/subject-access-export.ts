import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { CarePlanService } from '../careplan/care-plan-service.js';
import type { StoredPerson } from '../demographics/demographics-store.js';
import { AppError } from '../errors/app-error.js';
import { labelFromPath, toCarePlan } from '../fhir/resources/care-plan.js';
import { cprFlag, planFlag } from '../fhir/resources/flag.js';
import { toPatient } from '../fhir/resources/patient.js';
import type { Repository, SubjectAccessRecords } from '../repository/repository.js';

/** Everything held about one person, for a subject access request (UK GDPR article 15). */
export interface SubjectAccessExport {
  nhsNumber: string;
  generatedAt: string;
  /** The openEHR EHR extract: the EHR and every version of every object in it (status, compositions, folders), oldest first. */
  openehr: SubjectAccessRecords['openehr'];
  /** The person's resources as FHIR R4 (UK Core): the demographics held, the published plan and its flags. */
  fhir: Bundle;
  /** Who read or changed the record, who was refused, every break-glass: the whole audit trail about the person, oldest first. */
  access: SubjectAccessRecords['access'];
}

/** What the export reads besides the caller's repository; made once at wiring. */
export interface SubjectAccessSources {
  plans: CarePlanService;
  /** The demographics held about the person (not asked of PDS again: the request is about what is held). */
  heldPerson(nhsNumber: string): Promise<StoredPerson | undefined>;
  /** The app's clock: when the export is made. */
  clock: () => Date;
}

/**
 * Assembles a subject access export for the caller's repository, which decides whether the caller
 * may have it (the person, or a trusted auditor) and reads the EHR extract and audit trail; the
 * export is audited before it is returned.
 */
export class SubjectAccessExporter {
  constructor(private readonly sources: SubjectAccessSources) {}

  async export(repository: Repository, nhsNumber: string): Promise<SubjectAccessExport> {
    const records = await repository.subjectAccessRecords(nhsNumber);
    const person = await this.sources.heldPerson(nhsNumber);
    if (!records.openehr && !person) throw new AppError('not-found', `Nothing is held about ${nhsNumber}.`);
    const resources: Resource[] = [];
    if (person) resources.push(patientOf(person));
    if (records.openehr) resources.push(...(await planResources(this.sources.plans, records.openehr.ehrId)));
    const generatedAt = this.sources.clock().toISOString();
    const exported: SubjectAccessExport = {
      nhsNumber,
      generatedAt,
      openehr: records.openehr,
      fhir: {
        resourceType: 'Bundle',
        type: 'collection',
        timestamp: generatedAt,
        entry: resources.map((resource) => ({ resource })),
      },
      access: records.access,
    };
    await repository.auditSubjectAccessExport(nhsNumber, records.openehr?.ehrId, {
      versions: records.openehr?.versions.length ?? 0,
      fhirResources: resources.length,
      auditEntries: records.access.length,
    });
    return exported;
  }
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

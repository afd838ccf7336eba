import type { Organization, Patient, Practitioner, Reference } from '@medplum/fhirtypes';
import { NHS_NUMBER_SYSTEM, ODS_ORGANISATION_SYSTEM } from '../uk-core.js';

/** The person as every resource refers to them: by Patient id (the NHS number) and by identifier. */
export function patientReference(nhsNumber: string, display?: string): Reference<Patient> {
  return {
    reference: `Patient/${nhsNumber}`,
    identifier: { system: NHS_NUMBER_SYSTEM, value: nhsNumber },
    ...(display ? { display } : {}),
  };
}

export function organizationReference(odsCode: string, display?: string | null): Reference<Organization> {
  return {
    reference: `Organization/${odsCode}`,
    identifier: { system: ODS_ORGANISATION_SYSTEM, value: odsCode },
    ...(display ? { display } : {}),
  };
}

/** Someone the plan records as acting: the platform user when known, else by name only. */
export function actorReference(actor: { id: string; name: string; odsCode: string | null }): Reference<Practitioner> {
  return /^[0-9a-f-]{36}$/i.test(actor.id) ? { reference: `Practitioner/${actor.id}`, display: actor.name } : { display: actor.name };
}

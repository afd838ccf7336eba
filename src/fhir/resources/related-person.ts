import type { RelatedPerson } from '@medplum/fhirtypes';
import { UK_CORE_PROFILES } from '../uk-core.js';
import { narrative } from './narrative.js';
import { planResourceId, type PlanFacts, type Summary } from './plan-facts.js';
import { patientReference } from './references.js';

const ROLE_CODE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';

/**
 * The people the plan says to call first, each a UK Core RelatedPerson numbered in the plan's
 * order (the plan holds no identity for them beyond name, relationship and telephone).
 */
export function toRelatedPersons(plan: PlanFacts, summary: Summary | undefined): RelatedPerson[] {
  return (summary?.whoToCallFirst ?? []).map((contact, index) => ({
    resourceType: 'RelatedPerson',
    id: planResourceId(plan.ehrId, `contact-${index + 1}`),
    meta: { profile: [UK_CORE_PROFILES.RelatedPerson], versionId: String(plan.planVersion), lastUpdated: plan.updatedAt },
    text: narrative(
      `${contact.name}${contact.relationship ? ` (${contact.relationship})` : ''}${contact.telephone ? `, ${contact.telephone}` : ''}`,
    ),
    patient: patientReference(plan.nhsNumber),
    relationship: [
      ...(contact.nextOfKin ? [{ coding: [{ system: ROLE_CODE, code: 'NOK', display: 'next of kin' }] }] : []),
      ...(contact.relationship ? [{ text: contact.relationship }] : []),
      ...(!contact.nextOfKin && !contact.relationship ? [{ text: 'Contact named in the urgent care plan' }] : []),
    ],
    name: [{ text: contact.name }],
    ...(contact.telephone ? { telecom: [{ system: 'phone', value: contact.telephone }] } : {}),
  }));
}

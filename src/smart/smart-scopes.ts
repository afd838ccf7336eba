import { isSmartResourceScope } from '../fhir/http/fhir-scopes.js';

/** Scopes that are not about resources: identity and launch context (SMART App Launch 2 §scopes). */
export const SMART_CONTEXT_SCOPES = ['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access', 'online_access'] as const;

/** The resource scopes the server grants, v2 and their v1 equivalents: what the FHIR facade serves is read-only. */
export const SMART_RESOURCE_SCOPES = [
  'patient/*.rs',
  'user/*.rs',
  'patient/*.read',
  'user/*.read',
  'patient/*.r',
  'user/*.r',
  'patient/*.s',
  'user/*.s',
];

const RESOURCE_TYPES = [
  'Patient',
  'Flag',
  'CarePlan',
  'Consent',
  'RelatedPerson',
  'CareTeam',
  'Provenance',
  'DocumentReference',
  'Organization',
  'Practitioner',
  'PractitionerRole',
];
for (const type of RESOURCE_TYPES)
  for (const context of ['patient', 'user']) SMART_RESOURCE_SCOPES.push(`${context}/${type}.rs`, `${context}/${type}.read`);

export function isSmartScope(scope: string): boolean {
  return (
    (SMART_CONTEXT_SCOPES as readonly string[]).includes(scope) || (isSmartResourceScope(scope) && SMART_RESOURCE_SCOPES.includes(scope))
  );
}

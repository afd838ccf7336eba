/**
 * The identifier systems, profiles, extensions and code systems of HL7 UK Core R4 and NHS England
 * that the platform's FHIR resources use. One place, so that the mappers, the capability
 * statement and the validation rules cannot disagree about a URL.
 */
export { NHS_NUMBER_SYSTEM } from '../nhs/nhs-number.js';

export const ODS_ORGANISATION_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
/** Staff identifiers issued by the platform itself (user ids), where no national one is known. */
export const UCP_USER_SYSTEM = 'https://urgentcareplan.nhs.uk/Id/user';
export const UCP_EHR_SYSTEM = 'https://urgentcareplan.nhs.uk/Id/ehr-id';
export const SNOMED = 'http://snomed.info/sct';
export const NHS_NUMBER_VERIFICATION_EXTENSION = 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus';
export const NHS_NUMBER_VERIFICATION_SYSTEM = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland';

const profile = (name: string) => `https://fhir.hl7.org.uk/StructureDefinition/UKCore-${name}`;

/** The UK Core profile each resource type we serve claims (meta.profile); absent types claim none. */
export const UK_CORE_PROFILES = {
  Patient: profile('Patient'),
  Flag: profile('Flag'),
  CarePlan: profile('CarePlan'),
  Consent: profile('Consent'),
  RelatedPerson: profile('RelatedPerson'),
  Organization: profile('Organization'),
  Practitioner: profile('Practitioner'),
  PractitionerRole: profile('PractitionerRole'),
} as const;

export type ProfiledType = keyof typeof UK_CORE_PROFILES;

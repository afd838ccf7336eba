/**
 * The parts of FHIR R4 resources (UK Core, as PDS serves them) that the mapping reads. Every
 * field is optional: what arrives over the wire is checked as it is read, never trusted.
 */

export interface FhirPeriod {
  start?: string;
  end?: string;
}

export interface FhirCoding {
  system?: string;
  code?: string;
  display?: string;
}

export interface FhirExtension {
  url?: string;
  valueCodeableConcept?: { coding?: FhirCoding[] };
  extension?: FhirExtension[];
}

export interface FhirIdentifier {
  system?: string;
  value?: string;
  period?: FhirPeriod;
  extension?: FhirExtension[];
}

export interface FhirHumanName {
  use?: string;
  period?: FhirPeriod;
  prefix?: string[];
  given?: string[];
  family?: string;
  suffix?: string[];
}

export interface FhirAddress {
  use?: string;
  period?: FhirPeriod;
  line?: string[];
  city?: string;
  district?: string;
  postalCode?: string;
}

export interface FhirContactPoint {
  system?: string;
  use?: string;
  value?: string;
  period?: FhirPeriod;
}

export interface FhirPatient {
  resourceType: 'Patient';
  id?: string;
  meta?: { versionId?: string; security?: FhirCoding[] };
  identifier?: FhirIdentifier[];
  name?: FhirHumanName[];
  gender?: string;
  birthDate?: string;
  deceasedDateTime?: string;
  address?: FhirAddress[];
  telecom?: FhirContactPoint[];
  generalPractitioner?: { type?: string; identifier?: FhirIdentifier }[];
}

export interface FhirBundle {
  resourceType: 'Bundle';
  type?: string;
  total?: number;
  entry?: { fullUrl?: string; search?: { score?: number }; resource?: unknown }[];
}

export interface FhirOperationOutcome {
  resourceType: 'OperationOutcome';
  issue?: { severity?: string; code?: string; details?: { coding?: FhirCoding[] }; diagnostics?: string }[];
}

export const ODS_ORGANISATION_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const NHS_NUMBER_VERIFICATION_URL = 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus';
export const CONFIDENTIALITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';

export function isFhirResource<T extends { resourceType: string }>(value: unknown, resourceType: T['resourceType']): value is T {
  return typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === resourceType;
}

/** The Spine error code of an OperationOutcome (RESOURCE_NOT_FOUND, INVALID_RESOURCE_ID, TOO_MANY_MATCHES …). */
export function spineErrorCode(outcome: unknown): string | undefined {
  if (!isFhirResource<FhirOperationOutcome>(outcome, 'OperationOutcome')) return undefined;
  for (const issue of outcome.issue ?? []) {
    const code = issue.details?.coding?.find((coding) => typeof coding.code === 'string')?.code;
    if (code) return code;
  }
  return undefined;
}

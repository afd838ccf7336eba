import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '../nhs/nhs-number.js';
import {
  CONFIDENTIALITY_SYSTEM,
  NHS_NUMBER_VERIFICATION_URL,
  ODS_ORGANISATION_SYSTEM,
  type FhirAddress,
  type FhirContactPoint,
  type FhirExtension,
  type FhirHumanName,
  type FhirPatient,
  type FhirPeriod,
} from './fhir-patient.js';
import {
  GENDERS,
  nameText,
  type ContactPoint,
  type NhsNumberStatus,
  type PersonDemographics,
  type PersonName,
  type PostalAddress,
} from './person-demographics.js';

/** A PDS answer the mapping cannot use (no NHS number, not a Patient): a fault of the source, never of the person. */
export class MalformedPdsResponse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedPdsResponse';
  }
}

/**
 * Maps a PDS Patient (UK Core) to the demographics the platform holds, as of `today`
 * (YYYY-MM-DD). Names, addresses, contacts and the GP registration carry periods: one whose
 * period has ended is history and is not shown (PDS itself returns only current ones). A person
 * always has a name, so when no usual name is current the latest one is taken. Restricted
 * (S-flagged) records keep no location data even if a source sent some: address, contacts and
 * registered GP are dropped here, so they are never stored.
 */
export function mapPdsPatient(patient: FhirPatient, today: string): PersonDemographics {
  const identifier = (patient.identifier ?? []).find((candidate) => candidate.system === NHS_NUMBER_SYSTEM);
  const nhsNumber = text(identifier?.value) ?? text(patient.id);
  if (!nhsNumber || !isValidNhsNumber(nhsNumber)) throw new MalformedPdsResponse('the Patient resource carries no valid NHS number');
  const restricted = isRestricted(patient);
  return {
    nhsNumber,
    nhsNumberStatus: verificationStatus(identifier?.extension),
    restricted,
    name: usualName(patient.name ?? [], today),
    birthDate: partialDate(patient.birthDate),
    gender: GENDERS.find((gender) => gender === patient.gender) ?? 'unknown',
    address: restricted ? null : homeAddress(patient.address ?? [], today),
    telecom: restricted ? [] : contactPoints(patient.telecom ?? [], today),
    registeredGpOdsCode: restricted ? null : registeredGp(patient, today),
    deceased: deceasedOn(patient.deceasedDateTime),
  };
}

/** Any confidentiality other than U ("unrestricted") is treated as restricted: R, V, REDACTED, or one not yet known. */
export function isRestricted(patient: FhirPatient): boolean {
  return (patient.meta?.security ?? []).some((coding) => coding.system === CONFIDENTIALITY_SYSTEM && coding.code !== 'U');
}

function verificationStatus(extensions: readonly FhirExtension[] | undefined): NhsNumberStatus | null {
  const coding = (extensions ?? []).find((extension) => extension.url === NHS_NUMBER_VERIFICATION_URL)?.valueCodeableConcept?.coding?.[0];
  const code = text(coding?.code);
  return code ? { code, display: text(coding?.display) ?? code } : null;
}

function usualName(names: readonly FhirHumanName[], today: string): PersonName | null {
  const usual = names.filter((name) => name.use === undefined || name.use === 'usual' || name.use === 'official');
  const candidates = usual.length > 0 ? usual : names;
  const chosen = candidates.find((name) => isCurrent(name.period, today)) ?? latest(candidates);
  if (!chosen) return null;
  const parts = {
    prefix: texts(chosen.prefix),
    given: texts(chosen.given),
    family: text(chosen.family) ?? '',
    suffix: texts(chosen.suffix),
  };
  if (parts.family === '' && parts.given.length === 0) return null;
  return { ...parts, text: nameText(parts) };
}

function homeAddress(addresses: readonly FhirAddress[], today: string): PostalAddress | null {
  const home = addresses.find((address) => (address.use === undefined || address.use === 'home') && isCurrent(address.period, today));
  if (!home) return null;
  const lines = texts(home.line);
  const postalCode = text(home.postalCode);
  if (lines.length === 0 && !postalCode) return null;
  // PDS sends every line but the postcode in `line` (the post town among them); `city` only if a source sets it.
  return { lines, city: text(home.city) ?? null, postalCode: postalCode ?? null };
}

function contactPoints(telecom: readonly FhirContactPoint[], today: string): ContactPoint[] {
  const points: ContactPoint[] = [];
  for (const point of telecom) {
    const value = text(point.value);
    if (!value || !isCurrent(point.period, today)) continue;
    const system = point.system === 'phone' || point.system === 'email' ? point.system : 'other';
    points.push({ system, use: text(point.use) ?? null, value });
  }
  return points;
}

function registeredGp(patient: FhirPatient, today: string): string | null {
  for (const reference of patient.generalPractitioner ?? []) {
    const identifier = reference.identifier;
    const code = text(identifier?.value);
    if (identifier?.system === ODS_ORGANISATION_SYSTEM && code && isCurrent(identifier.period, today)) return code;
  }
  return null;
}

function deceasedOn(dateTime: string | undefined): { date: string } | null {
  const date = partialDate(dateTime?.slice(0, 10));
  return date ? { date } : null;
}

/** Whether a period (dates or date-times) covers `today`; no period, or an open end, is current. */
export function isCurrent(period: FhirPeriod | undefined, today: string): boolean {
  const start = period?.start?.slice(0, 10);
  const end = period?.end?.slice(0, 10);
  return (start === undefined || start <= today) && (end === undefined || end >= today);
}

function latest<T extends { period?: FhirPeriod }>(items: readonly T[]): T | undefined {
  return [...items].sort((a, b) => (b.period?.start ?? '').localeCompare(a.period?.start ?? ''))[0];
}

function partialDate(value: unknown): string | null {
  return typeof value === 'string' && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(value) ? value : null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function texts(values: unknown): string[] {
  return Array.isArray(values) ? values.map(text).filter((value): value is string => value !== undefined) : [];
}

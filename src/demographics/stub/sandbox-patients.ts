import { readFileSync } from 'node:fs';
import type { FhirBundle, FhirPatient } from '../fhir-patient.js';
import type { PdsStubData } from './pds-stub.js';

/** The PDS sandbox's test NHS numbers, one per scenario (see sandbox/README.md). */
export const SANDBOX_NHS_NUMBERS = {
  /** A full record; it also records a death. */
  full: '9000000009',
  /** S-flagged: confidentiality R, location data removed. */
  restricted: '9000000025',
  /** Hardly any data. */
  minimal: '9000000033',
  /** Merged into 9000000009 (added by the stub: the sandbox has none). */
  superseded: '9000000041',
  /** A valid number PDS does not know. */
  notFound: '9111231130',
  /** Fails the check digit. */
  invalid: '9000000000',
} as const;

function readSandbox<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`./sandbox/${file}`, import.meta.url), 'utf8')) as T;
}

/** The sandbox's records and search answers, as the stub serves them. */
export function sandboxStubData(): Required<Omit<PdsStubData, 'unlisted'>> {
  const searchEntries = ['PatientSearch.json', 'Sensitive_PatientSearch.json'].flatMap((file) =>
    (readSandbox<FhirBundle>(file).entry ?? []).map((entry) => ({
      resource: entry.resource as FhirPatient,
      score: entry.search?.score ?? 1,
    })),
  );
  return {
    patients: ['Patient.json', 'Sensitive_Patient.json', 'Minimal_Patient.json'].map((file) => readSandbox<FhirPatient>(file)),
    searchEntries,
    superseded: new Map([[SANDBOX_NHS_NUMBERS.superseded, SANDBOX_NHS_NUMBERS.full]]),
  };
}

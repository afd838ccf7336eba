import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FhirPatient } from './fhir-patient.js';
import { isCurrent, MalformedPdsResponse, mapPdsPatient } from './map-pds-patient.js';

const sandbox = (file: string) => JSON.parse(readFileSync(new URL(`./stub/sandbox/${file}`, import.meta.url), 'utf8')) as FhirPatient;

// The sandbox's periods run 2024-01-01 to 2025-12-31: inside them, and after.
const DURING = '2025-06-01';
const AFTER = '2026-12-07';

describe('mapping a PDS Patient', () => {
  it('maps the sandbox full record while its periods are current', () => {
    expect(mapPdsPatient(sandbox('Patient.json'), DURING)).toEqual({
      nhsNumber: '9000000009',
      nhsNumberStatus: { code: '01', display: 'Number present and verified' },
      restricted: false,
      name: { prefix: ['Mrs'], given: ['Jane'], family: 'Smith', suffix: ['MBE'], text: 'Mrs Jane SMITH MBE' },
      birthDate: '2010-10-22',
      gender: 'female',
      // The home address, not the temporary one; PDS sends the post town among the lines.
      address: { lines: ['1 Trevelyan Square', 'Boar Lane', 'City Centre', 'Leeds', 'West Yorkshire'], city: null, postalCode: 'LS1 6AE' },
      // The e-mail address ended in 2022: history, not a way to reach the person.
      telecom: [
        { system: 'phone', use: 'home', value: '01632960587' },
        { system: 'other', use: 'home', value: '01632960587' },
      ],
      registeredGpOdsCode: 'Y12345',
      deceased: { date: '2010-10-22' },
    });
  });

  it('shows no ended address, contact or GP registration, but keeps the usual name', () => {
    const mapped = mapPdsPatient(sandbox('Patient.json'), AFTER);
    expect(mapped).toMatchObject({ address: null, telecom: [], registeredGpOdsCode: null });
    expect(mapped.name?.text).toBe('Mrs Jane SMITH MBE');
  });

  it('marks the S-flagged record restricted and keeps no location data even when a source sends some', () => {
    const restricted = sandbox('Sensitive_Patient.json');
    expect(mapPdsPatient(restricted, DURING)).toMatchObject({ nhsNumber: '9000000025', restricted: true, address: null, telecom: [] });
    const leaky: FhirPatient = {
      ...restricted,
      address: sandbox('Patient.json').address ?? [],
      telecom: [{ system: 'phone', value: '01632960587' }],
      generalPractitioner: sandbox('Patient.json').generalPractitioner ?? [],
    };
    expect(mapPdsPatient(leaky, DURING)).toMatchObject({ restricted: true, address: null, telecom: [], registeredGpOdsCode: null });
    for (const code of ['V', 'REDACTED']) {
      const patient: FhirPatient = {
        ...leaky,
        meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code }] },
      };
      expect(mapPdsPatient(patient, DURING).restricted, code).toBe(true);
    }
  });

  it('maps a record with hardly any data without inventing any', () => {
    expect(mapPdsPatient(sandbox('Minimal_Patient.json'), DURING)).toEqual({
      nhsNumber: '9000000033',
      nhsNumberStatus: { code: '01', display: 'Number present and verified' },
      restricted: false,
      name: null,
      birthDate: null,
      gender: 'unknown',
      address: null,
      telecom: [],
      registeredGpOdsCode: null,
      deceased: null,
    });
  });

  it('prefers the current usual name to an old one, and ignores nicknames', () => {
    const patient: FhirPatient = {
      resourceType: 'Patient',
      id: '9000000009',
      name: [
        { use: 'usual', period: { start: '1950-01-01', end: '1975-06-30' }, given: ['Margaret'], family: 'Jones' },
        { use: 'nickname', given: ['Peggy'], family: 'Okafor' },
        { use: 'usual', period: { start: '1975-07-01' }, prefix: ['Mrs'], given: ['Margaret', 'Ann'], family: 'Okafor' },
      ],
    };
    expect(mapPdsPatient(patient, DURING).name).toEqual({
      prefix: ['Mrs'],
      given: ['Margaret', 'Ann'],
      family: 'Okafor',
      suffix: [],
      text: 'Mrs Margaret Ann OKAFOR',
    });
  });

  it('refuses a resource without a valid NHS number: a fault of the source, not a person', () => {
    expect(() => mapPdsPatient({ resourceType: 'Patient', id: '9000000000' }, DURING)).toThrow(MalformedPdsResponse);
    expect(() => mapPdsPatient({ resourceType: 'Patient' }, DURING)).toThrow(MalformedPdsResponse);
  });

  it('reads periods of dates and date-times, open at either end', () => {
    expect(isCurrent(undefined, DURING)).toBe(true);
    expect(isCurrent({ start: '2025-06-01T10:00:00+00:00' }, DURING)).toBe(true);
    expect(isCurrent({ end: '2025-05-31' }, DURING)).toBe(false);
    expect(isCurrent({ start: '2025-06-02' }, DURING)).toBe(false);
  });
});

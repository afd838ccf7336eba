import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Bundle, Identifier, Patient, Resource } from '@medplum/fhirtypes';
import { fhirIssues, UK_CORE_MUST_SUPPORT, type FhirIssue } from '../support/fhir-validation.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/fhir/', import.meta.url));
const read = (path: string): Resource => JSON.parse(readFileSync(`${FIXTURES}${path}`, 'utf8')) as Resource;
/** Published examples with a real flaw, and the rule that must find it. */
const FLAWED_EXAMPLES: Readonly<Record<string, string>> = {
  // Its NHS number 9912003890 fails the modulus 11 check (the check digit would be 6).
  'uk-core/examples-json/UKCore-Patient-BabyPatient-Example.json': 'nhs-number-format',
  // PDS pairs the code "01" with the older UK Core code system, whose codes are words
  // ("number-present-and-verified"); "01" belongs to UKCore-NHSNumberVerificationStatusEngland.
  'nhs-pds-sandbox/Patient.json': 'nhs-number-verification',
  'nhs-pds-sandbox/Sensitive_Patient.json': 'nhs-number-verification',
};
const examples = readdirSync(`${FIXTURES}uk-core/examples-json`)
  .map((file) => `uk-core/examples-json/${file}`)
  .filter((path) => !(path in FLAWED_EXAMPLES));
const richard = () => read('uk-core/examples-json/UKCore-Patient-RichardSmith-Example.json') as Resource & Record<string, unknown>;
const validators = (issues: FhirIssue[]) => [...new Set(issues.map((issue) => issue.validator))].sort();

describe('the FHIR validation harness', () => {
  it.each([...examples, 'nhs-pds-sandbox/RelatedPersonBundle.json', 'hl7-r4-examples/Flag-example.json'])(
    'accepts the published example %s',
    (path) => {
      expect(fhirIssues(read(path))).toEqual([]);
    },
  );

  it.each(Object.entries(FLAWED_EXAMPLES))('finds the one real flaw of the published example %s (%s)', (path, rule) => {
    expect(fhirIssues(read(path))).toEqual([{ validator: 'uk-core', path: 'Patient', message: expect.stringContaining(rule) }]);
  });

  it('reads the must-support elements of the UK Core profiles the project carries', () => {
    expect(UK_CORE_MUST_SUPPORT.get('https://fhir.hl7.org.uk/StructureDefinition/UKCore-Flag')).toEqual({
      type: 'Flag',
      elements: expect.arrayContaining(['status', 'code', 'subject']),
    });
  });

  it('rejects an element R4 does not have, with both validators', () => {
    expect(validators(fhirIssues({ ...richard(), favouriteColour: 'blue' } as unknown as Resource))).toEqual(['fhir', 'medplum']);
  });

  it('rejects a value of the wrong type and a code outside a required binding', () => {
    const issues = fhirIssues({ ...richard(), birthDate: 19740823, gender: 'sometimes' } as unknown as Resource);
    expect(
      issues
        .filter((issue) => issue.validator === 'medplum')
        .map((issue) => issue.path)
        .join(),
    ).toContain('birthDate');
    expect(issues.some((issue) => issue.validator === 'fhir' && issue.path.includes('gender'))).toBe(true);
  });

  it('rejects an NHS number with a wrong check digit, and one without its verification status', () => {
    const nhsNumberOf = (patient: Patient): Identifier => {
      const found = patient.identifier?.find((identifier) => identifier.system === 'https://fhir.nhs.uk/Id/nhs-number');
      if (!found?.value) throw new Error('the example has no NHS number');
      return found;
    };
    const wrongDigit = richard() as Patient;
    const nhs = nhsNumberOf(wrongDigit);
    nhs.value = `${nhs.value?.slice(0, 9)}${(Number(nhs.value?.[9]) + 1) % 10}`;
    expect(fhirIssues(wrongDigit).map((issue) => issue.message)).toEqual([expect.stringContaining('nhs-number-format')]);
    const unverified = richard() as Patient;
    delete nhsNumberOf(unverified).extension;
    expect(fhirIssues(unverified).map((issue) => issue.message)).toEqual([expect.stringContaining('nhs-number-verification')]);
  });

  it('rejects a malformed ODS code wherever it appears, and a profiled Organization without one', () => {
    const role = read('uk-core/examples-json/UKCore-PractitionerRole-GeneralPractitioner-Example.json') as Resource & {
      organization: { identifier?: { system: string; value: string } };
    };
    role.organization.identifier = { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'y12 345' };
    expect(fhirIssues(role).map((issue) => issue.message)).toEqual([expect.stringContaining('ods-code-format')]);
    const organisation = read('uk-core/examples-json/UKCore-Organization-LeedsTeachingHospital-Example.json') as Resource & {
      identifier?: unknown[];
    };
    delete organisation.identifier;
    organisation.meta = { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization'] };
    expect(fhirIssues(organisation).map((issue) => issue.message)).toEqual([expect.stringContaining('organisation-ods')]);
  });

  it('rejects a profile of another type, and an empty must-support element when asked to check them', () => {
    const flag = read('uk-core/examples-json/UKCore-Flag-FoodAllergy-Example.json') as Resource & { code?: unknown };
    flag.meta = { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-CarePlan'] };
    expect(fhirIssues(flag).map((issue) => issue.message)).toEqual([expect.stringContaining('profile-type')]);
    flag.meta = { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Flag'] };
    expect(fhirIssues(flag, { mustSupport: true })).toEqual([]);
    delete flag.code;
    expect(fhirIssues(flag, { mustSupport: true }).map((issue) => `${issue.validator} ${issue.path}`)).toEqual(
      expect.arrayContaining(['uk-core Flag.code']),
    );
  });

  it('checks the resources inside a Bundle', () => {
    const bundle = read('nhs-pds-sandbox/RelatedPersonBundle.json') as Bundle;
    const first = bundle.entry?.[0]?.resource;
    if (!first) throw new Error('the example bundle is empty');
    Object.assign(first, { nickname: 'x' });
    expect(fhirIssues(bundle).map((issue) => `${issue.validator} ${issue.path}`)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^fhir Bundle\.entry\[0\]\.resource/)]),
    );
  });
});

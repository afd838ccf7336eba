import type { Database } from '../../src/db/database.js';
import { localPdsStubData } from '../../src/demo/demo-demographics.js';
import { CONFIDENTIALITY_SYSTEM, NHS_NUMBER_VERIFICATION_URL, type FhirPatient } from '../../src/demographics/fhir-patient.js';
import { PdsStub } from '../../src/demographics/stub/pds-stub.js';
import { isTestRangeNhsNumber, NHS_NUMBER_SYSTEM, nhsCheckDigit } from '../../src/nhs/nhs-number.js';

/**
 * The PDS the tests' applications ask (no UCP_PDS_URL): the demo's local stub, which also knows a
 * synthetic person for every test-range number `nextTestNhsNumber()` hands out (999 0… to 999 4…),
 * so a test can start a plan for a fresh number. Numbers from 999 5… are never known: they are the
 * typos (`unknownToPds`, and the one-digit typos of demo numbers the people API tests use).
 */
export function testPdsStub(db: Database): PdsStub {
  return new PdsStub(async () => ({ ...(await localPdsStubData(db)), unlisted: testRangePerson }));
}

/** A synthetic PDS record for a test-range number below 999 5…; undefined for any other number. */
export function testRangePerson(nhsNumber: string): FhirPatient | undefined {
  if (!isTestRangeNhsNumber(nhsNumber) || Number(nhsNumber[3]) >= 5) return undefined;
  return {
    resourceType: 'Patient',
    id: nhsNumber,
    meta: { versionId: '1', security: [{ system: CONFIDENTIALITY_SYSTEM, code: 'U', display: 'unrestricted' }] },
    identifier: [
      {
        system: NHS_NUMBER_SYSTEM,
        value: nhsNumber,
        extension: [
          {
            url: NHS_NUMBER_VERIFICATION_URL,
            valueCodeableConcept: {
              coding: [
                {
                  system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus',
                  code: '01',
                  display: 'Number present and verified',
                },
              ],
            },
          },
        ],
      },
    ],
    name: [{ use: 'usual', given: ['Test'], family: `Person ${nhsNumber.slice(-4)}` }],
    gender: Number(nhsNumber[8]) % 2 === 0 ? 'female' : 'male',
    birthDate: `19${30 + (Number(nhsNumber.slice(6, 8)) % 60)}-0${1 + (Number(nhsNumber[5]) % 9)}-1${nhsNumber[7] ?? '0'}`,
  };
}

let typos = 0;
/** A valid test-range NHS number (999 9…) that the tests' PDS does not know: a different one on each call. */
export function unknownToPds(): string {
  for (;;) {
    const nine = `9999${String(Math.floor(Math.random() * 90_000) + 10_000 + typos++).slice(-5)}`;
    const check = nhsCheckDigit(nine);
    if (check !== undefined) return `${nine}${check}`;
  }
}

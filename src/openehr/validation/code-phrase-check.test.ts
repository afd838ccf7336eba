import { describe, expect, it } from 'vitest';
import type { CCodePhrase } from '../template/opt-model.js';
import { checkCodePhrase, sameTerminology } from './code-phrase-check.js';

const base = {
  rmTypeName: 'CODE_PHRASE',
  nodeId: '',
  occurrences: { lower: 1, upper: 1, lowerIncluded: true, upperIncluded: true, lowerUnbounded: false, upperUnbounded: false },
};
const local: CCodePhrase = { type: 'C_CODE_PHRASE', ...base, terminologyId: 'local', codeList: ['at0001', 'at0002'] };
const anySnomed: CCodePhrase = { type: 'C_CODE_PHRASE', ...base, terminologyId: 'SNOMED-CT', codeList: [] };
const valueSet: CCodePhrase = { type: 'C_CODE_REFERENCE', ...base, codeList: [], referenceSetUri: 'terminology://fhir.hl7.org/ValueSet/x' };
const phrase = (terminologyId: string, code: string): Record<string, unknown> => ({
  terminology_id: { value: terminologyId },
  code_string: code,
});

describe('checkCodePhrase', () => {
  it('local codes: terminology and list', () => {
    expect(checkCodePhrase(local, phrase('local', 'at0002'), undefined)).toEqual([]);
    expect(checkCodePhrase(local, phrase('local', 'at0003'), undefined).map((problem) => [problem.subPath, problem.constraint])).toEqual([
      ['/code_string', 'code in {at0001, at0002}'],
    ]);
    expect(
      checkCodePhrase(local, phrase('SNOMED-CT', 'at0002'), undefined).map((problem) => [problem.subPath, problem.constraint]),
    ).toEqual([['/terminology_id/value', 'terminology local']]);
  });

  it('an external terminology without a list accepts any of its codes, versioned or not', () => {
    expect(checkCodePhrase(anySnomed, phrase('SNOMED-CT', '22298006'), undefined)).toEqual([]);
    expect(checkCodePhrase(anySnomed, phrase('SNOMED-CT(2023-01)', '22298006'), undefined)).toEqual([]);
    expect(checkCodePhrase(anySnomed, phrase('LOINC', '8480-6'), undefined).map((problem) => problem.constraint)).toEqual([
      'terminology SNOMED-CT',
    ]);
  });

  it('asks the terminology service, when there is one, about codes the template does not list', () => {
    const seen: unknown[] = [];
    const terminology = {
      isValidCode: (code: unknown): boolean => {
        seen.push(code);
        return false;
      },
    };
    expect(checkCodePhrase(valueSet, phrase('http://snomed.info/sct', '1'), undefined)).toEqual([]);
    expect(checkCodePhrase(valueSet, phrase('http://snomed.info/sct', '1'), terminology).map((problem) => problem.constraint)).toEqual([
      'code in terminology://fhir.hl7.org/ValueSet/x',
    ]);
    expect(seen).toEqual([{ terminologyId: 'http://snomed.info/sct', code: '1', valueSetUri: 'terminology://fhir.hl7.org/ValueSet/x' }]);
    expect(checkCodePhrase(local, phrase('local', 'at0001'), terminology)).toEqual([]);
  });

  it('compares terminology ids without their version', () => {
    expect(sameTerminology('LOINC(2.56)', 'LOINC')).toBe(true);
    expect(sameTerminology('LOINC', 'SNOMED-CT')).toBe(false);
  });
});

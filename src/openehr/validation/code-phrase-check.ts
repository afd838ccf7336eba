import type { CCodePhrase } from '../template/opt-model.js';
import type { ConstraintProblem } from './constraint-problem.js';
import type { TerminologyCheck } from './validation-options.js';

export interface CodePhraseValue {
  readonly terminologyId: string | undefined;
  readonly code: string | undefined;
}

function stringAt(value: unknown, ...keys: string[]): string | undefined {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'string' ? current : undefined;
}

/** Reads `terminology_id/value` and `code_string` of a canonical CODE_PHRASE. */
export function readCodePhrase(value: unknown): CodePhraseValue {
  return { terminologyId: stringAt(value, 'terminology_id', 'value'), code: stringAt(value, 'code_string') };
}

/** `SNOMED-CT(2003)` names the same terminology as `SNOMED-CT`. */
export function sameTerminology(actual: string, expected: string): boolean {
  if (actual === expected) return true;
  const versionless = (id: string): string => id.replace(/\(.*\)$/, '').trim();
  return versionless(actual) === versionless(expected);
}

function formatCodes(codes: readonly string[]): string {
  const shown = codes.length > 12 ? [...codes.slice(0, 12), '…'] : codes;
  return `{${shown.join(', ')}}`;
}

/**
 * Checks a CODE_PHRASE against a C_CODE_PHRASE (terminology and code list) or a C_CODE_REFERENCE
 * (a value set only a terminology service can check). With no code list the code is free within
 * the terminology, unless `terminology` says otherwise.
 */
export function checkCodePhrase(constraint: CCodePhrase, value: unknown, terminology: TerminologyCheck | undefined): ConstraintProblem[] {
  const { terminologyId, code } = readCodePhrase(value);
  if (terminologyId === undefined || code === undefined) return []; // the RM check reports missing parts
  const expected = constraint.terminologyId;
  if (expected !== undefined && !sameTerminology(terminologyId, expected)) {
    return [
      {
        constraint: `terminology ${expected}`,
        message: `the code ${terminologyId}::${code} is from terminology '${terminologyId}', but the template requires '${expected}'${constraint.codeList.length > 0 ? ` codes ${formatCodes(constraint.codeList)}` : ''}`,
        subPath: '/terminology_id/value',
        value: terminologyId,
      },
    ];
  }
  if (constraint.codeList.length > 0) {
    if (constraint.codeList.includes(code)) return [];
    return [
      {
        constraint: `code in ${formatCodes(constraint.codeList)}`,
        message: `the code '${code}' is not in the list the template allows for ${expected ?? terminologyId}: ${formatCodes(constraint.codeList)}`,
        subPath: '/code_string',
        value: code,
      },
    ];
  }
  const local = expected === 'local' || expected === 'openehr';
  if (terminology === undefined || local) return [];
  const verdict = terminology.isValidCode({
    terminologyId,
    code,
    ...(constraint.referenceSetUri !== undefined ? { valueSetUri: constraint.referenceSetUri } : {}),
  });
  if (verdict !== false) return [];
  const where = constraint.referenceSetUri ?? expected ?? terminologyId;
  return [
    {
      constraint: `code in ${where}`,
      message: `the code ${terminologyId}::${code} is not in ${constraint.referenceSetUri !== undefined ? 'the value set' : 'the terminology'} ${where}`,
      subPath: '/code_string',
      value: code,
    },
  ];
}

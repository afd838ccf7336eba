import type { CDvOrdinal } from '../template/opt-model.js';
import type { ConstraintProblem } from './constraint-problem.js';
import { readCodePhrase, sameTerminology } from './code-phrase-check.js';

function formatOrdinals(constraint: CDvOrdinal): string {
  return `{${constraint.list.map((item) => `${item.value}|${item.symbol.codeString}`).join(', ')}}`;
}

/**
 * Checks a DV_ORDINAL against C_DV_ORDINAL: the symbol's code must be one of the list and the
 * value must be the one the list pairs with that code.
 */
export function checkOrdinal(constraint: CDvOrdinal, value: Record<string, unknown>): ConstraintProblem[] {
  if (constraint.list.length === 0) return [];
  const symbol = value.symbol;
  const definingCode = typeof symbol === 'object' && symbol !== null ? (symbol as Record<string, unknown>).defining_code : undefined;
  const { terminologyId, code } = readCodePhrase(definingCode);
  const ordinal = value.value;
  if (terminologyId === undefined || code === undefined) return [];
  const item = constraint.list.find(
    (candidate) => candidate.symbol.codeString === code && sameTerminology(terminologyId, candidate.symbol.terminologyId),
  );
  if (!item) {
    return [
      {
        constraint: `ordinal in ${formatOrdinals(constraint)}`,
        message: `the ordinal symbol ${terminologyId}::${code} is not one of the template's ordinals ${formatOrdinals(constraint)}`,
        subPath: '/symbol/defining_code/code_string',
        value: code,
      },
    ];
  }
  if (typeof ordinal === 'number' && ordinal !== item.value) {
    return [
      {
        constraint: `ordinal in ${formatOrdinals(constraint)}`,
        message: `the ordinal value ${ordinal} does not belong to symbol ${code}; the template pairs ${code} with ${item.value}`,
        subPath: '/value',
        value: ordinal,
      },
    ];
  }
  return [];
}

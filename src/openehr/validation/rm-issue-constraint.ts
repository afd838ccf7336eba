import type { RmIssueCode } from '../rm/rm-structure-check.js';

const CONSTRAINTS: Readonly<Record<RmIssueCode, string>> = {
  not_an_object: 'RM object',
  missing_type: 'RM _type required',
  unknown_type: 'RM known type',
  incompatible_type: 'RM type conformance',
  abstract_type: 'RM concrete type',
  unknown_attribute: 'RM known attribute',
  missing_attribute: 'RM mandatory attribute',
  expected_list: 'RM list',
  unexpected_list: 'RM single value',
  empty_list: 'RM non-empty list',
  wrong_primitive_type: 'RM primitive type',
  invalid_value: 'RM value format',
};

/** The `constraint` text of an issue found by `checkRmStructure`. */
export function rmIssueConstraint(code: RmIssueCode): string {
  return CONSTRAINTS[code];
}

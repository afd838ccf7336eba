/**
 * The JSON Logic operators a form rule may use: comparisons, logic and `var`; nothing that
 * computes or calls. Kept free of imports so the web app's form engine interprets exactly the
 * operators the server's check allows (web/tsconfig.json includes this file).
 */
export const PATHWAY_RULE_OPERATORS = [
  'var',
  '==',
  '!=',
  '===',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  'and',
  'or',
  '!',
  '!!',
  'in',
  'missing',
] as const;

export type PathwayRuleOperator = (typeof PATHWAY_RULE_OPERATORS)[number];

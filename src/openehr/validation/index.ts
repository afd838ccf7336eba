export { validateComposition } from './validate-composition.js';
export { compileTemplateValidator } from './template-validator.js';
export type { TemplateValidator } from './template-validator.js';
export type { ValidationIssue } from './validation-issue.js';
export type { ExternalCode, TerminologyCheck, ValidationOptions } from './validation-options.js';

import type { OperationalTemplate } from '../template/opt-model.js';
import { compileTemplateValidator } from './template-validator.js';
import type { TemplateValidator } from './template-validator.js';
import type { ValidationIssue } from './validation-issue.js';
import type { ValidationOptions } from './validation-options.js';

/** Compiled validators, per parsed template object, so repeated calls do not recompile the OPT. */
const validators = new WeakMap<OperationalTemplate, TemplateValidator>();

/**
 * Validates a canonical JSON composition against its operational template and the Reference
 * Model. Returns every issue found (an empty array means valid); never throws on bad data.
 * The template is compiled on first use and the result is cached for the template object.
 */
export function validateComposition(composition: unknown, template: OperationalTemplate, options?: ValidationOptions): ValidationIssue[] {
  let validator = validators.get(template);
  if (validator === undefined) {
    validator = compileTemplateValidator(template);
    validators.set(template, validator);
  }
  return validator.validate(composition, options);
}

import type { OperationalTemplate } from '../template/opt-model.js';
import { compileTemplateValidator } from '../validation/index.js';
import type { CompositionValidator } from './template-service.js';

/**
 * The validator every composition write passes: the RM structure and every constraint of the
 * template (occurrences, cardinality, types, term sets, units, ranges, patterns …). Each issue
 * names the path, the constraint and the offending value.
 */
export function createCompositionValidator(template: OperationalTemplate): CompositionValidator {
  const validator = compileTemplateValidator(template);
  return (composition) =>
    validator.validate(composition).map((issue) => ({
      path: issue.path,
      message: `${issue.message} (constraint: ${issue.constraint}${issue.value !== undefined ? `; value: ${JSON.stringify(issue.value)}` : ''})`,
      ...(issue.missing ? { missing: true as const } : {}),
    }));
}

import { checkRmStructure } from '../rm/rm-structure-check.js';
import type { OperationalTemplate } from '../template/opt-model.js';
import type { CompositionValidator } from './template-service.js';

/**
 * The validator every composition write passes: the RM structure of the document.
 * Template-level checks are added here as they land.
 */
export function createCompositionValidator(template: OperationalTemplate): CompositionValidator {
  void template;
  return (composition) => checkRmStructure(composition, 'COMPOSITION').map((issue) => ({ path: issue.path, message: issue.message }));
}

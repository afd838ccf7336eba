import { flatFields } from '../diff/flat-fields.js';
import { EMERGENCY_SUMMARY_PATHS } from '../pathway/emergency-summary-paths.js';
import type { ModuleContent } from '../plan-model.js';
import { isDeclared } from '../summary/declared-paths.js';

type Module = Pick<ModuleContent, 'templateId' | 'flat' | 'title'>;

/**
 * Prompts that do not block (SCCI1580 req. 54: alert when preferred place of death 1st choice is
 * missing). A CPR decision without its maker's registration number is no longer a prompt: it is a
 * quality gate that refuses the submit (quality-gates.ts).
 */
export function qualityWarnings(view: { modules: readonly Module[] }): string[] {
  const warnings: string[] = [];
  const placeOfDeath = [EMERGENCY_SUMMARY_PATHS.preferredPlaceOfDeath];
  const recorded = view.modules.some((module) =>
    [...flatFields(module.flat ?? {}).keys()].some((path) => isDeclared(module.templateId, path, placeOfDeath)),
  );
  if (!recorded)
    warnings.push('Preferred place of death (1st choice) is not recorded. Record it, or that the person was unable or chose not to say.');
  return warnings;
}

import { flatFields } from '../diff/flat-fields.js';
import { EMERGENCY_SUMMARY_PATHS } from '../pathway/emergency-summary-paths.js';
import type { ModuleContent } from '../plan-model.js';
import { isDeclared } from '../summary/declared-paths.js';

/** Prompts that do not block (SCCI1580 req. 54: alert when preferred place of death 1st choice is missing). */
export function qualityWarnings(view: { modules: readonly Pick<ModuleContent, 'templateId' | 'flat'>[] }): string[] {
  const warnings: string[] = [];
  const placeOfDeath = [EMERGENCY_SUMMARY_PATHS.preferredPlaceOfDeath];
  const recorded = view.modules.some((module) =>
    [...flatFields(module.flat ?? {}).keys()].some((path) => isDeclared(module.templateId, path, placeOfDeath)),
  );
  if (!recorded)
    warnings.push('Preferred place of death (1st choice) is not recorded. Record it, or that the person was unable or chose not to say.');
  return warnings;
}

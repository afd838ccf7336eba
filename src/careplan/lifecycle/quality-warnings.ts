import { flatFields } from '../diff/flat-fields.js';
import { EMERGENCY_SUMMARY_FACTS, EMERGENCY_SUMMARY_PATHS } from '../pathway/emergency-summary-paths.js';
import type { ModuleContent } from '../plan-model.js';
import { declaredFormOf, isDeclared } from '../summary/declared-paths.js';

type Module = Pick<ModuleContent, 'templateId' | 'flat' | 'title'>;

/** Prompts that do not block (SCCI1580 req. 54: alert when preferred place of death 1st choice is missing). */
export function qualityWarnings(view: { modules: readonly Module[] }): string[] {
  const warnings: string[] = [];
  const placeOfDeath = [EMERGENCY_SUMMARY_PATHS.preferredPlaceOfDeath];
  const recorded = view.modules.some((module) =>
    [...flatFields(module.flat ?? {}).keys()].some((path) => isDeclared(module.templateId, path, placeOfDeath)),
  );
  if (!recorded)
    warnings.push('Preferred place of death (1st choice) is not recorded. Record it, or that the person was unable or chose not to say.');
  for (const module of view.modules) {
    for (const decision of cprDecisionsWithoutRegistration(module))
      warnings.push(
        `The CPR decision in ${module.title} does not record its decision maker's professional registration number (GMC, NMC, HCPC …): ` +
          `the senior clinician who made it saves the section again from an account that holds it, or an integration sends it (${decision}/_other_participation:0|identifiers_id:0).`,
      );
  }
  return warnings;
}

/** The CPR decision entries (recorded paths) of a module whose decision maker has no identifier: no registration number. */
function cprDecisionsWithoutRegistration(module: Module): string[] {
  const keys = Object.keys(module.flat ?? {});
  const declared: readonly string[] = EMERGENCY_SUMMARY_FACTS.cprDecision
    .filter((node) => node.templateId === module.templateId)
    .map((node) => node.path);
  const entries = keys
    .filter((key) => key.endsWith('|code') && declared.includes(declaredFormOf(key.slice(0, -'|code'.length))))
    .map((key) => key.slice(0, key.lastIndexOf('/')));
  return entries.filter(
    (entry) => !keys.some((key) => key.startsWith(`${entry}/_other_participation:`) && key.includes('|identifiers_id:')),
  );
}

import { EMERGENCY_SUMMARY_PATHS, type SummaryPath } from '../pathway/emergency-summary-paths.js';
import type { ModuleContent } from '../plan-model.js';

/** Whether a module records anything at a declared path (any instance of its repeating nodes). */
export function recordsAt(module: Pick<ModuleContent, 'templateId' | 'flat'>, declared: SummaryPath): boolean {
  if (module.templateId !== declared.templateId) return false;
  return Object.entries(module.flat ?? {}).some(([key, value]) => value !== '' && sameNode(key.replace(/:\d+/g, ':0'), declared.path));
}

function sameNode(key: string, path: string): boolean {
  return key === path || key.startsWith(`${path}/`) || key.startsWith(`${path}|`) || key.startsWith(`${path}:0`);
}

/** Prompts that do not block (SCCI1580 req. 54: alert when preferred place of death 1st choice is missing). */
export function qualityWarnings(view: { modules: readonly Pick<ModuleContent, 'templateId' | 'flat' | 'title'>[] }): string[] {
  const warnings: string[] = [];
  if (!view.modules.some((module) => recordsAt(module, EMERGENCY_SUMMARY_PATHS.preferredPlaceOfDeath)))
    warnings.push('Preferred place of death (1st choice) is not recorded. Record it, or that the person was unable or chose not to say.');
  for (const module of view.modules) {
    for (const decision of cprDecisionsWithoutRegistration(module.flat ?? {}))
      warnings.push(
        `The CPR decision in ${module.title} does not record its decision maker's professional registration number (GMC, NMC, HCPC …): ` +
          `the senior clinician who made it saves the section again from an account that holds it, or an integration sends it (${decision}/_other_participation:0|identifiers_id:0).`,
      );
  }
  return warnings;
}

/** The CPR decisions (by entry path) whose decision maker has no identifier: no registration number recorded. */
function cprDecisionsWithoutRegistration(flat: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(flat);
  return keys
    .map((key) => /^(.*\/cpr_decision(?::\d+)?)\/cpr_decision(?::\d+)?\|code$/.exec(key)?.[1])
    .filter((entry): entry is string => entry !== undefined)
    .filter((entry) => !keys.some((key) => key.startsWith(`${entry}/_other_participation:`) && /\|identifiers_id:\d+$/.test(key)));
}

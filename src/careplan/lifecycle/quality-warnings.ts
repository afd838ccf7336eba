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
export function qualityWarnings(view: { modules: readonly Pick<ModuleContent, 'templateId' | 'flat'>[] }): string[] {
  const warnings: string[] = [];
  if (!view.modules.some((module) => recordsAt(module, EMERGENCY_SUMMARY_PATHS.preferredPlaceOfDeath)))
    warnings.push('Preferred place of death (1st choice) is not recorded. Record it, or that the person was unable or chose not to say.');
  return warnings;
}

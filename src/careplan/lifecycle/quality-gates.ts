import { AppError } from '../../errors/app-error.js';
import { flatFields } from '../diff/flat-fields.js';
import { QUALITY_GATES, type QualityGate, type QualityGateId } from '../pathway/quality-gate-paths.js';
import type { ModuleContent } from '../plan-model.js';
import { declaredFormOf, entryInstanceOf, isAtOrUnder } from '../summary/declared-paths.js';

type Module = Pick<ModuleContent, 'moduleId' | 'templateId' | 'title' | 'flat'>;

/** What the gates read of a plan: its sections as the plan will show them, and its review date. */
export interface GatedPlan {
  modules: readonly Module[];
  reviewDate: string | null | undefined;
}

export interface GateOutcome {
  gate: QualityGate;
  moduleId: string;
  met: boolean;
}

/** Each gate that applies to the plan (per section it applies to), met or not. Pure. */
export function qualityGateOutcomes(plan: GatedPlan): GateOutcome[] {
  return plan.modules.flatMap((module) => {
    const flat = module.flat ?? {};
    const fields = [...flatFields(flat).keys()];
    return QUALITY_GATES.filter((gate) => gate.templateId === module.templateId && applies(gate, flat, fields)).map((gate) => ({
      gate,
      moduleId: module.moduleId,
      met: meets(gate, flat, fields, plan.reviewDate),
    }));
  });
}

const recordedAt = (fields: readonly string[], node: string): boolean => fields.some((path) => isAtOrUnder(path, node));

function applies(gate: QualityGate, flat: Readonly<Record<string, unknown>>, fields: readonly string[]): boolean {
  const when = gate.appliesWhen;
  if ('node' in when)
    return Object.entries(flat).some(
      ([key, value]) => key.endsWith('|code') && value === when.code && declaredFormOf(key.slice(0, -'|code'.length)) === when.node,
    );
  return when.recorded === 'module' ? fields.length > 0 : recordedAt(fields, when.recorded);
}

function meets(
  gate: QualityGate,
  flat: Readonly<Record<string, unknown>>,
  fields: readonly string[],
  reviewDate: GatedPlan['reviewDate'],
): boolean {
  const how = gate.meetsWhen;
  if ('header' in how) return typeof reviewDate === 'string' && reviewDate.trim() !== '';
  if ('anyOf' in how) return how.anyOf.some((node) => recordedAt(fields, node));
  const instances = new Set(fields.flatMap((path) => entryInstanceOf(path, how.entry)?.instance ?? []));
  return instances.size > 0 && [...instances].every((instance) => namesRegisteredParticipant(flat, instance));
}

/** Whether an entry names a participant (`_other_participation:n|name`) with an identifier (`|identifiers_id:m`): their registration number. */
function namesRegisteredParticipant(flat: Readonly<Record<string, unknown>>, instance: string): boolean {
  const recorded = (key: string) => typeof flat[key] === 'string' && String(flat[key]).trim() !== '';
  const prefix = `${instance}/_other_participation:`;
  const participations = new Set(
    Object.keys(flat)
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length).split('|')[0]),
  );
  return [...participations].some(
    (index) =>
      recorded(`${prefix}${index}|name`) &&
      Object.keys(flat).some((key) => key.startsWith(`${prefix}${index}|identifiers_id:`) && recorded(key)),
  );
}

export interface QualityGap {
  gate: QualityGateId;
  moduleId: string;
  section: string;
  toAdd: string;
}

/** The gates the plan does not meet, each with the section to complete and what to add. Pure. */
export function qualityGaps(plan: GatedPlan): QualityGap[] {
  return qualityGateOutcomes(plan)
    .filter((outcome) => !outcome.met)
    .map(({ gate, moduleId }) => ({ gate: gate.id, moduleId, section: gate.section, toAdd: gate.toAdd }));
}

/**
 * A plan whose ReSPECT or CPR recommendation lacks what a crew relies on at 3 a.m. — capacity,
 * who it was discussed with, who decided (with their registration), a review date — is not
 * submitted or approved; the refusal names each gap with its section.
 */
export function refuseQualityGaps(plan: GatedPlan, step: 'submitted' | 'approved'): void {
  const gaps = qualityGaps(plan);
  if (gaps.length === 0) return;
  const list = gaps.map((gap, index) => `(${index + 1}) ${gap.section}: ${gap.toAdd}`).join('; ');
  throw new AppError(
    'unprocessable',
    `The plan cannot be ${step} yet: its ReSPECT / CPR recommendation is missing ${gaps.length} thing(s). Add: ${list}.`,
    {
      issues: gaps.map((gap) => ({
        path: gap.gate === 'reviewDate' ? '/reviewDate' : `/modules/${gap.moduleId}`,
        message: `${gap.section}: ${gap.toAdd}`,
      })),
    },
  );
}

import type { Queryable } from '../../db/database.js';
import { compositionToFlat, type JsonObject as FlatJsonObject } from '../../openehr/flat/index.js';
import type { CompiledTemplate } from '../../openehr/service/template-service.js';
import type { CarePlanRow, PlanHeader } from '../care-plan-store.js';
import { labelOfFlatPath } from '../diff/flat-fields.js';
import type { PlanContext } from '../plan-context.js';
import { emergencySummary, type EmergencySummary, type SummaryModuleInput } from './emergency-summary.js';

/**
 * The emergency summary of the plan as it is being published (or closed), from its published
 * compositions, read in the write's transaction so it says exactly what the new revision says.
 */
export async function summaryProjection(
  tx: Queryable,
  context: PlanContext,
  plan: CarePlanRow,
  header: PlanHeader,
  templates: ReadonlyMap<string, CompiledTemplate>,
): Promise<EmergencySummary> {
  const { catalogue } = context;
  const inputs: SummaryModuleInput[] = [];
  for (const pathwayId of [catalogue.core.id, ...plan.pathways]) {
    for (const module of catalogue.pathway(pathwayId)?.modules ?? []) {
      const objectId = plan.modules[module.id]?.published;
      if (!objectId) continue;
      const stored = await context.openehr.versions.read(tx, { ehrId: plan.ehrId, objectType: 'COMPOSITION', objectId });
      const template = templates.get(module.templateId);
      if (!stored?.data || stored.lifecycleState === 'deleted' || !template) continue;
      inputs.push({
        moduleId: module.id,
        title: module.title,
        templateId: module.templateId,
        pathwayId,
        flat: compositionToFlat(stored.data as FlatJsonObject, template.webTemplate, { skippedNode: template.skippedNode }),
        labelOf: (path) => labelOfFlatPath(template.webTemplate, path),
        ...(module.highlights ? { highlights: module.highlights } : {}),
      });
    }
  }
  const approver = header.approver;
  return emergencySummary(
    {
      ehrId: plan.ehrId,
      corePathwayId: catalogue.core.id,
      status: plan.status,
      planVersion: plan.planVersion,
      lastUpdated: context.now(),
      reviewDate: plan.reviewDate ?? undefined,
      pathways: plan.pathways.map((id) => ({ id, title: context.pathwayTitle(id) })),
      approvedBy: approver ? `${approver.name}${approver.organisation ? `, ${approver.organisation}` : ''}` : undefined,
      death: header.death ? { date: header.death.date, place: header.death.place } : undefined,
    },
    inputs,
    context.today(),
  );
}

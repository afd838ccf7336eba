import type { WebTemplate } from '../../openehr/template/index.js';
import type { PlanContext } from '../plan-context.js';
import { readEmergencySummary, readPublished } from '../reads/plan-reads.js';
import { renderPlanPdf, type PdfPerson } from './plan-pdf.js';

export interface PublishedPlanPdf {
  pdf: Buffer;
  fileName: string;
}

/** The published plan on paper, printed now (by the service's clock), naming the person when their identity is known. */
export async function publishedPlanPdf(context: PlanContext, ehrId: string, person: PdfPerson | undefined): Promise<PublishedPlanPdf> {
  const [plan, summary] = await Promise.all([readPublished(context, ehrId), readEmergencySummary(context, ehrId)]);
  const webTemplates = new Map<string, WebTemplate>();
  for (const module of plan.modules) webTemplates.set(module.templateId, (await context.template(module.templateId)).webTemplate);
  const pdf = await renderPlanPdf({ plan, summary, webTemplates, printedAt: context.clock(), ...(person ? { person } : {}) });
  return { pdf, fileName: `urgent-care-plan-${plan.nhsNumber}-v${plan.planVersion}.pdf` };
}

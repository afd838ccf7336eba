import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WebTemplate } from '../../openehr/template/index.js';
import { problemResponses } from '../../http/schemas.js';
import type { CarePlanService } from '../care-plan-service.js';
import { renderPlanPdf } from '../pdf/plan-pdf.js';
import { EhrParams } from './care-plan-schemas.js';

export interface CarePlanPdfRoutesOptions {
  plans: CarePlanService;
}

/**
 * GET /care-plans/{ehr_id}/pdf: the published plan as a PDF for a care home's paper file, made on
 * the server. A read of the person's record like any other: the same policy and audit.
 */
export const carePlanPdfRoutes: FastifyPluginAsyncTypebox<CarePlanPdfRoutesOptions> = async (app, { plans }) => {
  app.get(
    '/care-plans/:ehr_id/pdf',
    {
      config: { policy: { kind: 'person', action: 'read', scope: 'plan:read' } },
      schema: {
        tags: ['care plans'],
        summary: 'The published plan as a PDF (CPR recommendation first, then every section), for a paper file',
        params: EhrParams,
        produces: ['application/pdf'],
        response: { ...problemResponses },
      },
    },
    async (request, reply) => {
      const { ehrId } = request.person;
      const [plan, summary] = await Promise.all([plans.readPublished(ehrId), plans.emergencySummary(ehrId)]);
      const webTemplates = new Map<string, WebTemplate>();
      for (const module of plan.modules) webTemplates.set(module.templateId, (await plans.webTemplateOf(module.templateId)) as WebTemplate);
      const pdf = await renderPlanPdf({ plan, summary, webTemplates, printedAt: new Date() });
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="urgent-care-plan-${plan.nhsNumber}-v${plan.planVersion}.pdf"`)
        .send(pdf);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../../http/schemas.js';
import type { CarePlanService } from '../care-plan-service.js';
import type { PdfPerson } from '../pdf/plan-pdf.js';
import { EhrParams } from './care-plan-schemas.js';

export interface CarePlanPdfRoutesOptions {
  plans: CarePlanService;
  /** Who the NHS number belongs to (name, date of birth), so the paper copy names the person; undefined when not known. */
  personOf?: (nhsNumber: string) => Promise<PdfPerson | undefined>;
}

/**
 * GET /care-plans/{ehr_id}/pdf: the published plan as a PDF for a care home's paper file, made on
 * the server. A read of the person's record like any other: the same policy and audit.
 */
export const carePlanPdfRoutes: FastifyPluginAsyncTypebox<CarePlanPdfRoutesOptions> = async (app, { plans, personOf }) => {
  app.get(
    '/care-plans/:ehr_id/pdf',
    {
      config: { policy: { kind: 'person', action: 'read', scope: 'plan:read' } },
      schema: {
        tags: ['care plans'],
        summary: 'The published plan as a PDF (the person, CPR recommendation first, then every section), for a paper file',
        params: EhrParams,
        produces: ['application/pdf'],
        response: { ...problemResponses },
      },
    },
    async (request, reply) => {
      const { ehrId, nhsNumber } = request.person;
      const person = nhsNumber && personOf ? await personOf(nhsNumber) : undefined;
      const { pdf, fileName } = await plans.publishedPdf(ehrId, person);
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(pdf);
    },
  );
};

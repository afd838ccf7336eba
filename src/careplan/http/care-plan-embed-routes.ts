import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import type { CarePlanService, PlanView } from '../care-plan-service.js';
import { EmbeddedFormSchema } from './care-plan-schemas.js';

const EmbedParams = Type.Object({
  nhs_number: Type.String({ pattern: '^[0-9]{10}$', description: "the person's NHS number" }),
  pathway: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', description: 'a published pathway id' }),
});

/**
 * The one read an embedded form makes (src/integration/embedded-launch-service.ts): a published
 * pathway's forms and the person's current plan, read-only. Only an embedded session's cookie
 * reaches it (policy `embedded`), for the person that session was launched for; the read is
 * decided and audited as any other, as the launching user.
 */
export const carePlanEmbedRoutes: FastifyPluginAsyncTypebox<{ plans: CarePlanService }> = async (app, { plans }) => {
  app.get(
    '/embed/people/:nhs_number/pathways/:pathway',
    {
      config: { policy: { kind: 'embedded', action: 'read' } },
      schema: {
        tags: ['care plans'],
        summary: "An embedded form: a published pathway's forms and the person's current plan, read-only",
        params: EmbedParams,
        response: { 200: EmbeddedFormSchema, ...problemResponses },
      },
    },
    async (request) => {
      const catalogue = await plans.pathways();
      const pathway = [catalogue.core, ...catalogue.pathways].find((candidate) => candidate.id === request.params.pathway);
      if (!pathway) throw new AppError('not-found', `There is no published pathway ${request.params.pathway}.`);
      const modules = [];
      for (const module of pathway.modules) {
        const { form } = await plans.formOf(module.templateId, module.form);
        modules.push({ id: module.id, title: module.title, templateId: module.templateId, form, rules: [...(module.rules ?? [])] });
      }
      const templates = new Set(pathway.modules.map((module) => module.templateId));
      const plan = request.person.ehrId ? await publishedOrNone(plans, request.person.ehrId) : null;
      return {
        nhsNumber: request.params.nhs_number,
        pathway: { id: pathway.id, title: pathway.title, modules },
        plan: plan && { ...plan, modules: plan.modules.filter((module) => templates.has(module.templateId)) },
      };
    },
  );
};

/** The published plan; null when the person has none yet (a draft only). A deleted plan answers 410 as everywhere. */
export async function publishedOrNone(plans: CarePlanService, ehrId: string): Promise<PlanView | null> {
  try {
    return await plans.readPublished(ehrId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not-found') return null;
    throw error;
  }
}

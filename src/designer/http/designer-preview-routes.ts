import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CarePlanService } from '../../careplan/care-plan-service.js';
import { publishedOrNone } from '../../careplan/http/care-plan-embed-routes.js';
import type { RoutePolicy } from '../../http/route-policy.js';
import { problemResponses } from '../../http/schemas.js';
import type { PathwayDesignService } from '../pathway-design-service.js';
import { PreviewSchema } from './designer-schemas.js';

/** The header the designer's preview sends with every request: the server refuses any write that carries it. */
export const PREVIEW_HEADER = 'x-ucp-preview';

const PreviewParams = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$', maxLength: 64, description: 'the pathway id (kebab-case)' }),
  version: Type.Integer({ minimum: 1 }),
  nhs_number: Type.String({ pattern: '^[0-9]{10}$', description: "the person's NHS number" }),
});

/**
 * A pathway version previewed over a real person's current plan (issue #17), read-only. The
 * designer needs `pathway:design` for the version and, for the person, what any reader needs:
 * the ordinary access decision (a legitimate relationship, the organisation's emergency access,
 * or a stated break-glass reason), made and audited as a read of the plan like any other. Being
 * a designer opens nobody's plan. Nothing is saved from a preview: there is no write here, and
 * the server refuses any write that carries the preview's header (registerPreviewGuard).
 */
export const designerPreviewRoutes: FastifyPluginAsyncTypebox<{ design: PathwayDesignService; plans: CarePlanService }> = async (
  app,
  { design, plans },
) => {
  const policy = { kind: 'permission', permission: 'pathway:design' } satisfies RoutePolicy;
  app.get(
    '/designer/pathways/:key/versions/:version/preview/:nhs_number',
    {
      config: { policy },
      schema: {
        tags: ['designer'],
        summary: "The person's current plan to preview a pathway version over (read-only; the read is decided and audited as any other)",
        params: PreviewParams,
        response: { 200: PreviewSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { key, version, nhs_number: nhsNumber } = request.params;
      // The version first: a preview of nothing reads nobody's plan.
      await design.version(key, version);
      const person = await request.openPerson({ nhsNumber }, 'read');
      const plan = person.ehrId ? await publishedOrNone(plans, person.ehrId) : null;
      return { nhsNumber, version, plan };
    },
  );
};

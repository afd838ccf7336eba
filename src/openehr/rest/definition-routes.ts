import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { callerOf } from '../../http/request-caller.js';
import { buildExampleComposition } from '../example/index.js';
import type { TemplateService } from '../service/template-service.js';
import type { CompositionFormats } from './composition-formats.js';
import { openEhrErrorResponses, RmObject } from './rest-schemas.js';
import { DEFINITION_READ } from './route-policies.js';

export interface DefinitionRoutesOptions {
  templates: TemplateService;
  formats: CompositionFormats;
  baseUrl: string;
  /** The app's clock: the times an example composition holds. */
  clock: () => Date;
}

export const WEB_TEMPLATE_MEDIA_TYPE = 'application/openehr.wt+json';

const TemplateSummary = Type.Object({
  template_id: Type.String(),
  version: Type.Integer({ description: 'revision of this template id held here; the newest is current' }),
  concept: Type.String(),
  archetype_id: Type.String(),
  created_timestamp: Type.String(),
});

/** DEFINITION API for ADL 1.4 operational templates. */
export const definitionRoutes: FastifyPluginAsyncTypebox<DefinitionRoutesOptions> = async (app, { templates, formats, baseUrl, clock }) => {
  const tags = ['openEHR DEFINITION'];

  app.post(
    '/definition/template/adl1.4',
    {
      config: { policy: { kind: 'permission', permission: 'platform:admin', scope: 'admin' } },
      schema: {
        tags,
        summary: 'Upload an operational template (OPT 1.4 XML); a changed template with a known id is a revision',
        description:
          'A revision is accepted only when the latest version of every existing composition of that template stays valid, ' +
          'reads as FLAT and keeps its FLAT paths; otherwise 409 lists what would break and nothing is stored.',
        response: { 201: Type.Object({ template_id: Type.String(), version: Type.Integer() }), ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      if (typeof request.body !== 'string') {
        throw new AppError('unsupported-media-type', 'Send the operational template as application/xml.');
      }
      const { template } = await templates.upload(request.body, { caller: callerOf(request) });
      reply.code(201).header('Location', `${baseUrl}/definition/template/adl1.4/${encodeURIComponent(template.templateId)}`);
      return { template_id: template.templateId, version: template.version };
    },
  );

  app.get(
    '/definition/template/adl1.4',
    {
      config: { policy: DEFINITION_READ },
      schema: { tags, summary: 'List the current templates', response: { 200: Type.Array(TemplateSummary), ...openEhrErrorResponses } },
    },
    async () =>
      (await templates.list()).map((template) => ({
        template_id: template.templateId,
        version: template.version,
        concept: template.concept,
        archetype_id: template.archetypeId,
        created_timestamp: template.createdAt,
      })),
  );

  app.get(
    '/definition/template/adl1.4/:template_id',
    {
      config: { policy: DEFINITION_READ },
      schema: {
        tags,
        summary: `A template as OPT XML (Accept: application/xml) or web template (Accept: ${WEB_TEMPLATE_MEDIA_TYPE})`,
        params: Type.Object({ template_id: Type.String() }),
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const template = await templates.get(request.params.template_id, request.query.version);
      const accept = request.headers.accept ?? '';
      if (/application\/openehr\.wt\+json|application\/json/i.test(accept) && !/application\/xml/i.test(accept.split(',')[0] ?? '')) {
        return reply.type(WEB_TEMPLATE_MEDIA_TYPE).send(template.webTemplate);
      }
      return reply.type('application/xml').send(template.optXml);
    },
  );

  app.get(
    '/definition/template/adl1.4/:template_id/example',
    {
      config: { policy: DEFINITION_READ },
      schema: {
        tags,
        summary: 'An example composition of the template, with every node once and values its constraints allow',
        description: 'Format by Accept or ?format=JSON|XML|FLAT|STRUCTURED, as for compositions.',
        params: Type.Object({ template_id: Type.String() }),
        querystring: Type.Object({ format: Type.Optional(Type.String()) }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const template = await templates.get(request.params.template_id);
      const example = buildExampleComposition(template.opt, { now: clock().toISOString(), webTemplate: template.webTemplate });
      const encoded = await formats.encode(example, request.headers.accept, request.query.format);
      return reply.type(encoded.contentType).send(encoded.body);
    },
  );
};

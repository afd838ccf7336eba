import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../../api/administration/administered-change.js';
import type { RoutePolicy } from '../../http/route-policy.js';
import { problemResponses } from '../../http/schemas.js';
import type { StoredTemplate } from '../../openehr/service/template-service.js';
import type { TemplateDesignService } from '../template-design-service.js';
import {
  ArchetypeListSchema,
  CreatedTemplateSchema,
  NewTemplateBody,
  ReviseBody,
  RevisedTemplateSchema,
  RevisionListSchema,
  TemplateFormSchema,
  TemplateListSchema,
  TemplateTreeSchema,
} from './template-composer-schemas.js';

const tags = ['designer'];
const TemplateParams = Type.Object({ templateId: Type.String({ minLength: 1, maxLength: 250 }) });
function revisionView(template: StoredTemplate): {
  templateId: string;
  version: number;
  concept: string;
  current: boolean;
  createdAt: string;
  uploadedBy: { id: string; name: string } | null;
  pathMap: { from: string; to: string }[];
} {
  return {
    templateId: template.templateId,
    version: template.version,
    concept: template.concept,
    current: template.isCurrent,
    createdAt: template.createdAt,
    uploadedBy: template.uploadedBy ?? null,
    pathMap: template.pathMap,
  };
}

/**
 * The template composer's API (`pathway:design`; tokens need the `admin` scope): the templates and
 * their revisions, the description a revision starts from, and a new revision from declarative
 * edits, compiled by the template builder and checked against every stored composition.
 */
export const templateComposerRoutes: FastifyPluginAsyncTypebox<{ composer: TemplateDesignService }> = async (app, { composer }) => {
  const config = { policy: { kind: 'permission', permission: 'pathway:design', scope: 'admin' } satisfies RoutePolicy };

  app.get(
    '/designer/templates',
    {
      config,
      schema: {
        tags,
        summary: 'The current revision of every template',
        response: { 200: TemplateListSchema, ...problemResponses },
      },
    },
    async () => ({ templates: (await composer.list()).map(revisionView) }),
  );

  app.get(
    '/designer/archetypes',
    {
      config,
      schema: {
        tags,
        summary: 'The archetypes a new template can be made of (those the shipped template descriptions use), with their nodes',
        response: { 200: ArchetypeListSchema, ...problemResponses },
      },
    },
    async () => ({ archetypes: await composer.archetypes() }),
  );

  app.post(
    '/designer/templates',
    {
      config,
      schema: {
        tags,
        summary: 'A new template from catalogue archetypes: a COMPOSITION archetype and its sections and entries, compiled to OPT 1.4',
        description:
          '422 lists every problem of the choice at its path (/composition, /entries/{i}/archetypeId, /entries/{i}/nodes/{j}); ' +
          '409 when the template id is taken. Either way nothing is stored.',
        body: NewTemplateBody,
        response: { 201: CreatedTemplateSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const template = await composer.create(callerOf(request), request.body);
      reply.code(201);
      return { revision: revisionView(template) };
    },
  );

  app.get(
    '/designer/templates/:templateId/tree',
    {
      config,
      schema: {
        tags,
        summary: "The current revision's nodes with their field paths, and whether the composer can edit it",
        params: TemplateParams,
        response: { 200: TemplateTreeSchema, ...problemResponses },
      },
    },
    async (request) => composer.tree(request.params.templateId),
  );

  app.get(
    '/designer/templates/:templateId/form',
    {
      config,
      schema: {
        tags,
        summary: 'The form the current revision generates, without overrides (for a pathway draft on a template no published pathway uses)',
        params: TemplateParams,
        response: { 200: TemplateFormSchema, ...problemResponses },
      },
    },
    async (request) => ({ form: await composer.form(request.params.templateId) }),
  );

  app.get(
    '/designer/templates/:templateId/revisions',
    {
      config,
      schema: {
        tags,
        summary: "A template's revisions, newest first, with who uploaded each and when",
        params: TemplateParams,
        response: { 200: RevisionListSchema, ...problemResponses },
      },
    },
    async (request) => ({ revisions: (await composer.revisions(request.params.templateId)).map(revisionView) }),
  );

  app.get(
    '/designer/templates/:templateId/description',
    {
      config,
      schema: {
        tags,
        summary: 'The template description the current revision was compiled from (409 when the builder did not make it)',
        params: TemplateParams,
        response: { 200: Type.Object({ version: Type.Integer(), description: Type.Unknown() }), ...problemResponses },
      },
    },
    async (request) => composer.description(request.params.templateId),
  );

  app.post(
    '/designer/templates/:templateId/revisions',
    {
      config,
      schema: {
        tags,
        summary: 'A new revision from edits to the current one, compiled to OPT 1.4 and checked against every stored composition',
        description:
          '422 lists edits that cannot be applied, a result that does not compile, or a path map that does not match what the ' +
          'revision moves; 409 lists, per stored composition, ' +
          'what the revision would break. Either way nothing is stored.',
        params: TemplateParams,
        body: ReviseBody,
        response: { 201: RevisedTemplateSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { template, revisedFrom } = await composer.revise(
        callerOf(request),
        request.params.templateId,
        request.body.edits,
        request.body.pathMap ?? [],
      );
      reply.code(201);
      return { revision: revisionView(template), revisedFrom };
    },
  );
};

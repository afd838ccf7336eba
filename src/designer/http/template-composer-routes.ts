import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../../api/administration/administered-change.js';
import type { RoutePolicy } from '../../http/route-policy.js';
import { problemResponses } from '../../http/schemas.js';
import type { StoredTemplate } from '../../openehr/service/template-service.js';
import type { TemplateDesignService } from '../template-design-service.js';

const tags = ['designer'];
const TemplateParams = Type.Object({ templateId: Type.String({ minLength: 1, maxLength: 250 }) });
const FlatPath = Type.String({ minLength: 1, maxLength: 1000, description: 'FLAT path of the node in the current web template' });

const PathMove = Type.Object(
  {
    from: Type.String({ minLength: 1, maxLength: 1000, description: 'FLAT path (ids, no indexes) in the current revision' }),
    to: Type.String({ minLength: 1, maxLength: 1000, description: 'the FLAT path of the same node in the new revision' }),
  },
  { additionalProperties: false },
);

const Revision = Type.Object({
  templateId: Type.String(),
  version: Type.Integer({ description: 'revision number of this template id' }),
  concept: Type.String(),
  current: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  uploadedBy: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()], {
    description: 'who uploaded the revision; null for revisions installed before uploads were attributed',
  }),
  pathMap: Type.Array(PathMove, { description: 'the FLAT paths this revision moves (renamed or moved nodes), old to new' }),
});

const Edit = Type.Union([
  Type.Object(
    { op: Type.Literal('rename'), path: FlatPath, name: Type.String({ minLength: 1, maxLength: 200 }) },
    {
      additionalProperties: false,
      description:
        'rename a node (its FLAT id follows its name: a rename of a node holding data is refused unless the path map declares the move)',
    },
  ),
  Type.Object(
    { op: Type.Literal('occurrences'), path: FlatPath, occurrences: Type.String({ pattern: '^[0-9]+\\.\\.([0-9]+|\\*)$' }) },
    { additionalProperties: false, description: 'constrain (or widen) how often a node occurs, e.g. 1..1 makes it required' },
  ),
  Type.Object({ op: Type.Literal('remove'), path: FlatPath }, { additionalProperties: false, description: 'remove an optional node' }),
  Type.Object(
    {
      op: Type.Literal('add'),
      parent: FlatPath,
      node: Type.Record(Type.String(), Type.Unknown(), {
        description:
          'a template description node (ELEMENT, CLUSTER or an archetype), as src/openehr/template-builder/README.md describes; optional',
      }),
    },
    { additionalProperties: false, description: 'add an optional node to an entry, cluster, section or the composition' },
  ),
]);

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
        response: { 200: Type.Object({ templates: Type.Array(Revision) }), ...problemResponses },
      },
    },
    async () => ({ templates: (await composer.list()).map(revisionView) }),
  );

  app.get(
    '/designer/templates/:templateId/revisions',
    {
      config,
      schema: {
        tags,
        summary: "A template's revisions, newest first, with who uploaded each and when",
        params: TemplateParams,
        response: { 200: Type.Object({ revisions: Type.Array(Revision) }), ...problemResponses },
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
        body: Type.Object(
          {
            edits: Type.Array(Edit, { minItems: 1, maxItems: 100 }),
            pathMap: Type.Optional(
              Type.Array(PathMove, {
                maxItems: 100,
                description: 'the FLAT paths the edits move, old to new: stored data at an old path is then read at the new one',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ revision: Revision, revisedFrom: Type.Integer() }), ...problemResponses },
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

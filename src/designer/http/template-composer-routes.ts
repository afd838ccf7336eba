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

const Occurrences = Type.String({ pattern: '^[0-9]+\\.\\.([0-9]+|\\*)$', description: 'min..max, e.g. 0..1, 1..1, 0..*' });

const NewTemplateBody = Type.Object(
  {
    templateId: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9 ()_,-]{0,150}\\.v[0-9]{1,4}$',
      description: 'the new template id: a name, then .v and a number, e.g. "UCP - Crisis plan.v1"',
    }),
    name: Type.String({ minLength: 1, maxLength: 200, description: "the composition's name, as forms and plans show it" }),
    purpose: Type.String({ minLength: 1, maxLength: 2000 }),
    composition: Type.String({ minLength: 1, maxLength: 250, description: 'a COMPOSITION archetype of the catalogue' }),
    entries: Type.Array(
      Type.Object(
        {
          archetypeId: Type.String({ minLength: 1, maxLength: 250, description: 'a section or entry archetype of the catalogue' }),
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          occurrences: Type.Optional(Occurrences),
          nodes: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 250 }), {
              minItems: 1,
              maxItems: 200,
              description: 'the keys of the catalogue nodes kept (at-codes or nested archetype ids); all when left out',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);

const CatalogueNode = Type.Object({
  key: Type.String({ description: 'the at-code, or the archetype id of a nested CLUSTER archetype' }),
  rmType: Type.String(),
  text: Type.String(),
  description: Type.String(),
  valueType: Type.Optional(Type.String()),
  occurrences: Type.String(),
  children: Type.Optional(Type.Array(Type.Unknown(), { description: 'nodes of a CLUSTER, in the same form' })),
  definition: Type.Record(Type.String(), Type.Unknown(), {
    description: "the node as a template description holds it, ready for an 'add' edit",
  }),
});

const CatalogueArchetype = Type.Object({
  archetypeId: Type.String(),
  rmType: Type.String(),
  text: Type.String(),
  description: Type.String(),
  local: Type.Boolean({ description: 'ours (a ucp_ archetype), not a published CKM archetype' }),
  usedBy: Type.Array(Type.String(), { description: 'the shipped templates using it' }),
  nodes: Type.Array(CatalogueNode),
  definition: Type.Record(Type.String(), Type.Unknown(), {
    description: "the archetype as a template description holds it (a section or entry: ready for an 'add' edit)",
  }),
});

const TreeNode = Type.Object({
  path: Type.String({ description: 'the FLAT path edits name the node by' }),
  name: Type.String(),
  rmType: Type.String(),
  nodeId: Type.Optional(Type.String()),
  min: Type.Integer(),
  max: Type.Integer({ description: '-1: unbounded' }),
  valueType: Type.Optional(Type.String()),
  children: Type.Array(Type.Unknown(), { description: 'child nodes, in the same form' }),
});

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
    '/designer/archetypes',
    {
      config,
      schema: {
        tags,
        summary: 'The archetypes a new template can be made of (those the shipped template descriptions use), with their nodes',
        response: { 200: Type.Object({ archetypes: Type.Array(CatalogueArchetype) }), ...problemResponses },
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
        response: { 201: Type.Object({ revision: Revision }), ...problemResponses },
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
        response: {
          200: Type.Object({ version: Type.Integer(), composable: Type.Boolean(), tree: TreeNode }),
          ...problemResponses,
        },
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
        response: { 200: Type.Object({ form: Type.Unknown({ description: 'the generated form definition' }) }), ...problemResponses },
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

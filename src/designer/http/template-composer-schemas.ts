import { Type } from 'typebox';

/** TypeBox schemas of the template composer's API (template-composer-routes.ts): validation, serialisation and OpenAPI. */

const FlatPath = Type.String({ minLength: 1, maxLength: 1000, description: 'FLAT path of the node in the current web template' });

export const PathMove = Type.Object(
  {
    from: Type.String({ minLength: 1, maxLength: 1000, description: 'FLAT path (ids, no indexes) in the current revision' }),
    to: Type.String({ minLength: 1, maxLength: 1000, description: 'the FLAT path of the same node in the new revision' }),
  },
  { additionalProperties: false },
);

export const Revision = Type.Object({
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

export const Edit = Type.Union([
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

export const NewTemplateBody = Type.Object(
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

export const CatalogueNode = Type.Object({
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

export const CatalogueArchetype = Type.Object({
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

export const TreeNode = Type.Object({
  path: Type.String({ description: 'the FLAT path edits name the node by' }),
  name: Type.String(),
  rmType: Type.String(),
  nodeId: Type.Optional(Type.String()),
  min: Type.Integer(),
  max: Type.Integer({ description: '-1: unbounded' }),
  valueType: Type.Optional(Type.String()),
  children: Type.Array(Type.Unknown(), { description: 'child nodes, in the same form' }),
});

export const TemplateListSchema = Type.Object({ templates: Type.Array(Revision) });

export const RevisionListSchema = Type.Object({ revisions: Type.Array(Revision) });

export const ArchetypeListSchema = Type.Object({ archetypes: Type.Array(CatalogueArchetype) });

export const CreatedTemplateSchema = Type.Object({ revision: Revision });

export const TemplateTreeSchema = Type.Object({ version: Type.Integer(), composable: Type.Boolean(), tree: TreeNode });

export const TemplateFormSchema = Type.Object({ form: Type.Unknown({ description: 'the generated form definition' }) });

export const ReviseBody = Type.Object(
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
);

export const RevisedTemplateSchema = Type.Object({ revision: Revision, revisedFrom: Type.Integer() });

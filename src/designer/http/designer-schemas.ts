import { Type } from 'typebox';
import { PlanSchema } from '../../careplan/http/care-plan-schemas.js';

/** TypeBox schemas of the designer's API over pathway versions (designer-routes.ts): validation, serialisation and OpenAPI. */

export const SafetyNote = Type.Object(
  {
    hazard: Type.String({ minLength: 1, maxLength: 2000, description: 'what could harm a person through this pathway' }),
    controls: Type.String({ minLength: 1, maxLength: 2000, description: 'what prevents or reduces the harm' }),
  },
  { additionalProperties: false },
);
const Person = Type.Object({ id: Type.String(), name: Type.String() });
const Problem = Type.Object({ path: Type.String({ description: 'JSON pointer into the definition' }), message: Type.String() });

export const VersionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  pathwayKey: Type.String(),
  version: Type.Integer(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('review'), Type.Literal('published'), Type.Literal('retired')]),
  definition: Type.Unknown({ description: 'the pathway definition (schema: src/careplan/pathway/pathway-definition.ts)' }),
  safetyNotes: Type.Array(SafetyNote),
  basedOn: Type.Union([Type.String(), Type.Null()], { description: 'the version this one was copied from' }),
  author: Person,
  review: Type.Union([
    Type.Object({
      outcome: Type.Union([Type.Literal('approved'), Type.Literal('returned')]),
      reviewer: Person,
      note: Type.Union([Type.String(), Type.Null()]),
      at: Type.String({ format: 'date-time' }),
    }),
    Type.Null(),
  ]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  submittedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  retiredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const VersionViewSchema = Type.Object({
  ...VersionSchema.properties,
  problems: Type.Array(Problem, { description: 'what stops the version being submitted or published; empty when sound' }),
});
export const SummarySchema = Type.Object({
  key: Type.String(),
  title: Type.String(),
  published: Type.Union([Type.Integer(), Type.Null()]),
  latest: Type.Integer(),
  open: Type.Union([
    Type.Object({ version: Type.Integer(), status: Type.Union([Type.Literal('draft'), Type.Literal('review')]) }),
    Type.Null(),
  ]),
});
export const DraftBody = Type.Object(
  {
    definition: Type.Unknown({ description: 'the pathway definition; checked, and every problem returned with its path' }),
    safetyNotes: Type.Optional(Type.Array(SafetyNote, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export const ChangeSchema = Type.Object({
  path: Type.String(),
  change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
  from: Type.Optional(Type.Unknown()),
  to: Type.Optional(Type.Unknown()),
  /** The change in plain language: `Module ‘M’ › section ‘S’ › field ‘F’: label changed from ‘a’ to ‘b’`. */
  description: Type.String(),
});

export const SummaryListSchema = Type.Object({ pathways: Type.Array(SummarySchema) });

export const VersionListSchema = Type.Object({ key: Type.String(), versions: Type.Array(VersionSchema) });

export const CopyBody = Type.Object({ fromVersion: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const ReviewBody = Type.Object(
  { outcome: Type.Union([Type.Literal('approve'), Type.Literal('return')]), note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const DiffSchema = Type.Object({ from: Type.Integer(), to: Type.Integer(), changes: Type.Array(ChangeSchema) });

/** A version previewed over a person's current plan (designer-preview-routes.ts). */
export const PreviewSchema = Type.Object({
  nhsNumber: Type.String(),
  version: Type.Integer(),
  plan: Type.Union([PlanSchema, Type.Null()], { description: 'the published plan; null when the person has none' }),
});

import { Type } from 'typebox';
import { Actor, FieldChange, Flat, PlanSchema } from './care-plan-schemas.js';

/** Schemas of the drafts of one's own (care-plan-draft-routes.ts). */

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const DraftParams = Type.Object({
  ehr_id: Type.String({ format: 'uuid' }),
  draft_id: Type.String({ format: 'uuid', description: 'the draft id, from the list of drafts' }),
});

export const DraftModuleParams = Type.Object({
  ehr_id: Type.String({ format: 'uuid' }),
  module_id: Type.String({ pattern: '^[a-z0-9-]+$', description: 'module id, e.g. about-me' }),
});

export const DraftSaveBody = Type.Object({
  flat: Type.Record(Type.String(), Type.Unknown(), {
    description:
      'FLAT paths to values, merged into your draft of the section (null removes a value); the section as you read it at the If-Match revision is what your changes are merged against later',
  }),
});

export const ProposeBody = Type.Object({
  note: Type.Optional(Type.String({ maxLength: 1000, description: 'a message to the professionals who will look at it' })),
});

const ResolutionSchema = Type.Union([Type.Literal('mine'), Type.Literal('theirs')]);

export const MergeBody = Type.Object({
  resolutions: Type.Optional(
    Type.Record(Type.String(), Type.Record(Type.String(), ResolutionSchema), {
      description: 'module id → field path → whose value stays, for each field both the draft and the plan changed (the conflicts)',
    }),
  ),
  changeSummary: Type.Optional(Type.String({ maxLength: 500 })),
});

export const DeclineBody = Type.Object({
  reason: Type.String({ minLength: 10, maxLength: 1000, description: 'why, for the person to read' }),
});

const Outcome = Type.Union([
  Type.Object({
    by: Actor,
    at: Type.String(),
    revision: Type.Optional(Type.Integer()),
    reason: Type.Optional(Type.String()),
  }),
  Type.Null(),
]);

const DraftCommon = {
  draftId: Type.String(),
  ehrId: Type.String(),
  author: Actor,
  byPerson: Type.Boolean({ description: 'written by the person whose plan it is (a proposal)' }),
  state: Type.Union([
    Type.Literal('open'),
    Type.Literal('proposed'),
    Type.Literal('merged'),
    Type.Literal('withdrawn'),
    Type.Literal('declined'),
  ]),
  note: NullableString,
  outcome: Outcome,
  createdAt: Type.String(),
  updatedAt: Type.String(),
};

const Conflict = Type.Object({
  moduleId: Type.String(),
  path: Type.String(),
  label: Type.String(),
  startedFrom: Type.Optional(Type.String()),
  mine: Type.Optional(Type.String()),
  now: Type.Optional(Type.String()),
});

export const DraftSchema = Type.Object({
  ...DraftCommon,
  planRevision: Type.Integer({ description: "the plan's revision now: send it in If-Match to merge" }),
  sections: Type.Array(
    Type.Object({
      moduleId: Type.String(),
      title: Type.String(),
      basedOnRevision: Type.Integer(),
      changes: Type.Array(FieldChange, { description: 'what the author changed' }),
      changedSince: Type.Array(FieldChange, { description: 'what others changed in the section since the author read it' }),
      conflicts: Type.Array(Conflict, { description: 'fields both changed differently: a merge needs a resolution for each' }),
      flat: Flat,
    }),
  ),
});

export const DraftListSchema = Type.Object({
  drafts: Type.Array(Type.Object({ ...DraftCommon, sections: Type.Array(Type.String()) })),
});

export const MergeResultSchema = Type.Object({
  plan: PlanSchema,
  draft: DraftSchema,
  changes: Type.Array(Type.Object({ moduleId: Type.String(), title: Type.String(), changes: Type.Array(FieldChange) })),
});

export const AwaitingAttentionSchema = Type.Object({
  approvals: Type.Array(
    Type.Object({
      ehrId: Type.String(),
      nhsNumber: Type.String(),
      name: NullableString,
      submittedAt: Type.String(),
      changeSummary: NullableString,
      pathways: Type.Array(Type.String()),
    }),
    { description: 'drafts submitted and waiting to be approved, oldest first' },
  ),
  proposals: Type.Array(
    Type.Object({
      ehrId: Type.String(),
      nhsNumber: Type.String(),
      name: NullableString,
      draftId: Type.String(),
      author: Type.String(),
      note: NullableString,
      proposedAt: Type.String(),
    }),
    { description: 'changes people proposed to their own plans, waiting for a professional, oldest first' },
  ),
});

import { Type } from 'typebox';
import { FormRuleSchema, PathwayDefinitionSchema, PathwayModuleSchema, PrefillSchema } from '../pathway/pathway-definition.js';
import { FREE_TEXT_LIMIT } from '../text-limits.js';

/** TypeBox schemas of the care plan API: validation, serialisation and OpenAPI from one place. */

const Json = Type.Unknown();
export const Flat = Type.Record(Type.String(), Json, {
  description: 'FLAT (simSDT) composition: path → value, as the generated forms produce it',
});

export const EhrParams = Type.Object({ ehr_id: Type.String({ format: 'uuid', description: "the person's EHR id" }) });
export const ModuleParams = Type.Object({
  ehr_id: Type.String({ format: 'uuid' }),
  module_id: Type.String({ pattern: '^[a-z0-9-]+$', description: 'module id, e.g. respect, about-me, sickle-cell' }),
});

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'the plan revision the change is based on (the ETag you read), e.g. "7"' })),
});

export const Actor = Type.Object({
  id: Type.String(),
  name: Type.String(),
  odsCode: Type.Union([Type.String(), Type.Null()]),
  organisation: Type.Union([Type.String(), Type.Null()]),
});

const Header = Type.Object(
  {
    status: Type.String(),
    pathways: Type.Array(Type.String()),
    changeSummary: Type.Optional(Type.String()),
    author: Type.Optional(Actor),
    approver: Type.Optional(Actor),
    approvedAt: Type.Optional(Type.String()),
    reviewDate: Type.Optional(Type.String()),
    consent: Type.Optional(Type.Object({ toShare: Type.Boolean(), route: Type.String() })),
    death: Type.Optional(
      Type.Object({ date: Type.String(), place: Type.String(), placeDiffersReason: Type.Optional(Type.String()), recordedBy: Actor }),
    ),
    deletion: Type.Optional(
      Type.Object({ at: Type.String(), by: Actor, reason: Type.String(), kind: Type.Optional(Type.Literal('wrong-person')) }),
    ),
  },
  { description: 'the plan header: status, author, approver, review date, consent, death' },
);

const ModuleContent = Type.Object({
  moduleId: Type.String(),
  title: Type.String(),
  pathwayId: Type.String(),
  templateId: Type.String(),
  kind: Type.Union([Type.Literal('clinical'), Type.Literal('non-clinical')]),
  seniorDecision: Type.Boolean(),
  source: Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('empty')]),
  versionUid: Type.Union([Type.String(), Type.Null()], { description: 'the composition version (readable through /openehr/v1)' }),
  committedAt: Type.Union([Type.String(), Type.Null()]),
  committer: Type.Union([Type.String(), Type.Null()]),
  flat: Type.Union([Flat, Type.Null()]),
});

export const PlanSchema = Type.Object({
  ehrId: Type.String(),
  nhsNumber: Type.String(),
  status: Type.String({ description: 'draft, awaiting-approval, published, closed or deleted' }),
  draftState: Type.Union([Type.Literal('editing'), Type.Literal('awaiting-approval'), Type.Null()], {
    description: 'the open draft of the plan, if any',
  }),
  revision: Type.Integer({ description: 'also the ETag: send it back in If-Match' }),
  planVersion: Type.Integer({ description: 'published versions so far' }),
  pathways: Type.Array(Type.String()),
  reviewDate: Type.Union([Type.String(), Type.Null()]),
  latestReviewDate: Type.String({ description: "the latest review date the plan's pathways allow" }),
  header: Header,
  modules: Type.Array(ModuleContent),
  updatedAt: Type.String(),
});

export const SaveModuleBody = Type.Object({
  flat: Type.Record(Type.String(), Json, {
    description:
      `FLAT paths to values; a text value holds at most ${FREE_TEXT_LIMIT} characters (longer is refused with 400 naming the field). ` +
      'Merged into the section by default: a key with a value sets that value, a key with null removes it ' +
      '(a repeating instance `…:n` with its sub-keys), keys not sent are kept. With mode "replace", the whole section as it is to be.',
  }),
  mode: Type.Optional(
    Type.Union([Type.Literal('merge'), Type.Literal('replace')], {
      default: 'merge',
      description: '"merge" (JSON merge patch over the section) or "replace" (fields not sent are removed; the answer lists them)',
    }),
  ),
  changeSummary: Type.Optional(Type.String({ maxLength: 500 })),
});

export const Issue = Type.Object({ path: Type.String(), message: Type.String() });

export const FieldChange = Type.Object({
  path: Type.String(),
  label: Type.String(),
  change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
  before: Type.Optional(Type.String()),
  after: Type.Optional(Type.String()),
});

export const SaveResultSchema = Type.Object({
  plan: PlanSchema,
  moduleId: Type.String(),
  versionUid: Type.String(),
  incomplete: Type.Array(Issue, { description: 'what the template still needs before the plan can be submitted' }),
  changes: Type.Array(FieldChange, { description: 'what this save changed in the section, field by field (removals included)' }),
});

export const CreateBody = Type.Object({
  nhsNumber: Type.String({ pattern: '^[0-9 ]{10,12}$' }),
  pathways: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { default: [], maxItems: 50 })),
  consent: Type.Optional(
    Type.Object({
      toShare: Type.Boolean(),
      route: Type.Union([Type.Literal('explicit'), Type.Literal('best-interests'), Type.Literal('lpa'), Type.Literal('withdrawn')]),
    }),
  ),
});

export const PathwaysBody = Type.Object({ pathways: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }) });

export const SubmitBody = Type.Object({
  reviewDate: Type.Optional(
    Type.String({ maxLength: 10, description: "YYYY-MM-DD; required, at most the pathway's limit ahead (12 months by default)" }),
  ),
  changeSummary: Type.Optional(Type.String({ maxLength: 500 })),
});

export const SubmitResultSchema = Type.Object({ plan: PlanSchema, warnings: Type.Array(Type.String()) });

export const DeathBody = Type.Object({
  date: Type.String({ format: 'date' }),
  place: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'actual place of death (e.g. a DEATH LOCATION TYPE: home, hospital, hospice, care home)',
  }),
  placeDiffersReason: Type.Optional(Type.String({ maxLength: 1000, description: 'why it differed from the preferred place of death' })),
});

export const DeathCorrectionBody = Type.Object({
  reason: Type.String({
    minLength: 10,
    maxLength: 1000,
    description: 'why the death was recorded in error (a wrong person, a mistaken report …): kept in the plan history and the audit',
  }),
});

export const WrongSubjectCorrectionBody = Type.Object(
  {
    reason: Type.String({
      minLength: 10,
      maxLength: 1000,
      description:
        "how the mistake was found (who the plan was meant for, by description): kept in the wrong person's plan history and the audit",
    }),
    rightNhsNumber: Type.Optional(
      Type.String({
        pattern: '^[0-9 ]{10,12}$',
        description: 'the person the plan was meant for: its content becomes a new draft of their plan (you must be caring for them)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const WrongSubjectCorrectionResult = Type.Object({
  withdrawn: Type.Object({
    ehrId: Type.String(),
    revision: Type.Integer(),
    status: Type.Literal('deleted'),
  }),
  reRecorded: Type.Union([PlanSchema, Type.Null()], { description: "the right person's new draft plan, when rightNhsNumber was given" }),
});

export const DeleteQuery = Type.Object({
  reason: Type.String({ minLength: 5, maxLength: 1000, description: 'why the plan is deleted (audited)' }),
});

export const ChangesSchema = Type.Object({
  fromRevision: Type.Integer(),
  toRevision: Type.Integer(),
  header: Type.Array(FieldChange),
  modules: Type.Array(Type.Object({ moduleId: Type.String(), title: Type.String(), changes: Type.Array(FieldChange) })),
});

export const DiffQuery = Type.Object({
  from: Type.Integer({ minimum: 1, description: 'published plan version (or revision with by=revision)' }),
  to: Type.Integer({ minimum: 1 }),
  by: Type.Optional(Type.Union([Type.Literal('version'), Type.Literal('revision')], { default: 'version' })),
});

export const HistorySchema = Type.Object({
  ehrId: Type.String(),
  revisions: Type.Array(
    Type.Object({
      revision: Type.Integer(),
      planVersion: Type.Union([Type.Integer(), Type.Null()]),
      event: Type.String(),
      status: Type.String(),
      modules: Type.Record(Type.String(), Type.String()),
      actor: Actor,
      changeSummary: Type.Union([Type.String(), Type.Null()]),
      recordedAt: Type.String(),
    }),
  ),
  compositions: Type.Array(
    Type.Object({
      moduleId: Type.String(),
      objectId: Type.String(),
      versions: Type.Array(
        Type.Object({
          versionUid: Type.String(),
          timeCommitted: Type.String(),
          changeType: Type.String(),
          lifecycleState: Type.String(),
          committer: Type.Union([Type.String(), Type.Null()]),
          description: Type.Union([Type.String(), Type.Null()]),
        }),
      ),
    }),
  ),
});

export const DueQuery = Type.Object({
  ods: Type.Optional(Type.String({ maxLength: 20, description: "the organisation (default: the caller's own)" })),
  within_days: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 366, default: 30, description: 'due within this many days (overdue plans included)' }),
  ),
});

export const DueSchema = Type.Object({
  odsCode: Type.String(),
  until: Type.String(),
  plans: Type.Array(
    Type.Object({
      ehrId: Type.String(),
      nhsNumber: Type.String(),
      name: Type.Union([Type.String(), Type.Null()], { description: 'as the demographics service last gave it; null when none is held' }),
      reviewDate: Type.String(),
      overdue: Type.Boolean(),
      planVersion: Type.Integer(),
      pathways: Type.Array(Type.String()),
      draftState: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

const Labelled = Type.Object({ label: Type.String(), value: Type.String() });
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const EmergencySummarySchema = Type.Object({
  person: Type.Object(
    {
      nhsNumber: Type.String(),
      name: NullableString,
      birthDate: NullableString,
      gender: NullableString,
      address: Type.Union([
        Type.Object({ lines: Type.Array(Type.String()), city: NullableString, postalCode: NullableString }),
        Type.Null(),
      ]),
      restricted: Type.Boolean(),
      verification: Type.String({ description: 'verified, unverified (PDS could not be reached), not-found or not-held' }),
      deceased: Type.Union([Type.Object({ date: Type.String() }), Type.Null()]),
    },
    {
      description:
        "Who the person is, from the demographics held (never a restricted record's address): confirm it before acting on the plan",
    },
  ),
  ehrId: Type.String(),
  status: Type.String(),
  planVersion: Type.Integer(),
  lastUpdated: Type.String(),
  reviewDate: NullableString,
  reviewOverdue: Type.Boolean(),
  approvedBy: NullableString,
  death: Type.Union([Type.Object({ date: Type.String(), place: NullableString }), Type.Null()]),
  cpr: Type.Union([
    Type.Object({ recommendation: Type.String(), code: NullableString, notForCpr: Type.Boolean(), decidedOn: NullableString }),
    Type.Null(),
  ]),
  focusOfCare: NullableString,
  ceilingOfTreatment: NullableString,
  advanceDecisions: Type.Array(Labelled),
  legalProxies: Type.Array(Labelled),
  whatMattersMost: Type.Array(Labelled),
  whoToCallFirst: Type.Array(
    Type.Object({ name: Type.String(), relationship: NullableString, telephone: NullableString, nextOfKin: Type.Boolean() }),
  ),
  homeAccess: Type.Array(Labelled),
  anticipatoryMedicines: Type.Array(Labelled),
  preferredPlaces: Type.Array(Labelled),
  diagnoses: Type.Array(Type.String()),
  allergies: Type.Array(Type.Object({ substance: Type.String(), reaction: NullableString, criticality: NullableString })),
  noKnownAllergies: Type.Boolean(),
  pathwayHighlights: Type.Array(Type.Object({ pathwayId: Type.String(), pathway: Type.String(), items: Type.Array(Labelled) })),
  sections: Type.Array(Type.Object({ moduleId: Type.String(), title: Type.String(), href: Type.String() })),
});

export const PathwayQuery = Type.Object({
  forms: Type.Optional(
    Type.Boolean({ default: false, description: "include each module's generated form definition and the web template it is built from" }),
  ),
  retired: Type.Optional(
    Type.Boolean({
      default: false,
      description:
        'also list the pathways no longer offered (retired), as last published, marked retired: plans that have them read with them',
    }),
  ),
});

export const PathwayListSchema = Type.Object({
  pathways: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      reviewMaxMonths: Type.Integer(),
      approval: PathwayDefinitionSchema.properties.approval,
      retired: Type.Optional(Type.Boolean({ description: 'true for a pathway no longer offered to new plans (listed with retired=true)' })),
      modules: Type.Array(
        Type.Object({
          id: Type.String(),
          title: Type.String(),
          templateId: Type.String(),
          kind: PathwayModuleSchema.properties.kind,
          seniorDecision: Type.Boolean(),
          form: Type.Optional(Type.Unknown({ description: 'the generated form definition, when the templates provide one' })),
          webTemplate: Type.Optional(Type.Unknown({ description: 'the web template the form is built on' })),
          rules: Type.Optional(
            Type.Array(FormRuleSchema, { description: "the form's when/then rules (JSON Logic conditions over FLAT paths)" }),
          ),
          prefill: Type.Optional(
            Type.Array(PrefillSchema, {
              description: "where fields' first values come from (AQL over the person's record, demographics)",
            }),
          ),
        }),
      ),
    }),
  ),
});

// Spelled out, not mapped from a list: TypeBox types a union by its members' tuple, and a mapped
// array has none (the report's gates were typed never).
const GateIds = Type.Union([
  Type.Literal('capacity'),
  Type.Literal('lackOfCapacityExplained'),
  Type.Literal('involvement'),
  Type.Literal('decisionMaker'),
  Type.Literal('reviewDate'),
]);

/** The ReSPECT completeness report (care-plan-completeness-route.ts). */
export const CompletenessSchema = Type.Object({
  odsCode: Type.String(),
  today: Type.String(),
  plans: Type.Integer({ description: 'published plans the organisation authored or approved' }),
  gated: Type.Integer({ description: 'of those, plans holding a ReSPECT or CPR recommendation the quality gates apply to' }),
  gates: Type.Array(
    Type.Object({
      gate: GateIds,
      section: Type.String(),
      applicable: Type.Integer(),
      met: Type.Integer(),
      share: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'met / applicable; null when none' }),
    }),
  ),
  overdueReviews: Type.Integer({ description: 'published plans whose review date has passed' }),
  needingAttention: Type.Union(
    [
      Type.Array(
        Type.Object({
          nhsNumber: Type.String(),
          name: Type.Union([Type.String(), Type.Null()]),
          ehrId: Type.String(),
          reviewDate: Type.Union([Type.String(), Type.Null()]),
          overdue: Type.Boolean(),
          missing: Type.Array(GateIds),
        }),
      ),
      Type.Null(),
    ],
    {
      description: 'each plan missing a gate or overdue, by NHS number and name; null for a caller who may not see people (not an auditor)',
    },
  ),
});

/** An embedded form (care-plan-embed-routes.ts): a published pathway's forms and the person's current plan. */
export const EmbeddedFormSchema = Type.Object({
  nhsNumber: Type.String(),
  pathway: Type.Object({
    id: Type.String(),
    title: Type.String(),
    modules: Type.Array(
      Type.Object({
        id: Type.String(),
        title: Type.String(),
        templateId: Type.String(),
        form: Type.Unknown({ description: 'the generated form definition with the published overrides' }),
        rules: Type.Array(FormRuleSchema, { description: "the form's when/then rules" }),
      }),
    ),
  }),
  plan: Type.Union([PlanSchema, Type.Null()], {
    description: "the person's current (published) plan, its sections of this pathway only; null when they have none",
  }),
});

/** 412: the plan moved on; what changed since the revision the writer based their change on. */
export const StaleProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  instance: Type.String(),
  code: Type.String(),
  requestId: Type.String(),
  currentRevision: Type.Integer(),
  changes: ChangesSchema,
});

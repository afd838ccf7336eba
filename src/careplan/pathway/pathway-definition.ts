import { Type, type Static } from 'typebox';

const Text = Type.String({ minLength: 1 });
const Id = Type.String({ pattern: '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$', description: 'kebab-case id' });

/**
 * Changes to the form generated from a module's web template, keyed by FLAT path (the paths the
 * generated form definition gives its sections and fields; a repeating node's path has `:0`).
 */
export const FormOverridesSchema = Type.Object(
  {
    /** Field or section label by path. */
    labels: Type.Optional(Type.Record(Type.String(), Text)),
    /** Help text by path. */
    help: Type.Optional(Type.Record(Type.String(), Type.String())),
    /** Paths of sections or fields to leave out of the form (a section hides everything in it). */
    hidden: Type.Optional(Type.Array(Type.String())),
    /** Top-level section paths in the order they are to appear; the others follow in template order. */
    order: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);
export type FormOverrides = Static<typeof FormOverridesSchema>;

/** What a rule does to a field (FLAT path) of the module's form when its condition holds. */
export const RuleActionSchema = Type.Union([
  /** The field is shown only while a rule showing it holds (hidden otherwise). */
  Type.Object({ show: Text }, { additionalProperties: false }),
  Type.Object({ hide: Text }, { additionalProperties: false }),
  /** The field must be filled while the rule holds. */
  Type.Object({ require: Text }, { additionalProperties: false }),
  Type.Object({ set: Text, value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]) }, { additionalProperties: false }),
  Type.Object({ clear: Text }, { additionalProperties: false }),
]);
export type RuleAction = Static<typeof RuleActionSchema>;

/**
 * A when/then rule of a form, as data: `when` is a JSON Logic condition over the form's fields
 * (`{"var": "<FLAT path>"}`) using only the operators PATHWAY_RULE_OPERATORS lists; it is
 * interpreted by the form engine, never evaluated as code. Checked against the template's paths.
 */
export const FormRuleSchema = Type.Object(
  {
    id: Id,
    /** What the rule is for, in plain language (shown to the reviewer). */
    description: Type.Optional(Type.String({ maxLength: 500 })),
    when: Type.Unknown({ description: 'JSON Logic condition; `var` names a FLAT path of the form' }),
    then: Type.Array(RuleActionSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type FormRule = Static<typeof FormRuleSchema>;

export { PATHWAY_RULE_OPERATORS } from './rule-operators.js';

/**
 * Where a field's first value comes from when a plan's form is opened: a stored-data question in
 * AQL (run in the person's EHR — `$ehr_id` — through the caller's repository, first row's
 * `column`) or a fact of the person's demographics. Data, never code.
 */
export const PrefillSchema = Type.Object(
  {
    path: Text,
    from: Type.Union([
      Type.Object(
        {
          aql: Type.String({ minLength: 1, maxLength: 4000, description: 'AQL with the parameter $ehr_id' }),
          /** The SELECT column (its alias) whose value fills the field; every row's value for a repeating field. */
          column: Text,
        },
        { additionalProperties: false },
      ),
      Type.Object(
        { demographics: Type.Union([Type.Literal('name'), Type.Literal('birthDate'), Type.Literal('address'), Type.Literal('gp')]) },
        { additionalProperties: false },
      ),
    ]),
  },
  { additionalProperties: false },
);
export type Prefill = Static<typeof PrefillSchema>;

export const PathwayModuleSchema = Type.Object(
  {
    /** Stable id used in the API and projections (respect, about-me, sickle-cell-crisis-plan …). */
    id: Id,
    title: Text,
    /** The template each composition of the module follows. */
    templateId: Text,
    /**
     * The template revision the module was designed on (docs/designer.md). Plans are read and
     * written with the current revision, which accepts every stored composition; this names the
     * one whose fields the form, rules and prefills were written against.
     */
    templateVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    /** `clinical` modules are written by clinicians; `non-clinical` ones by any contributor to the plan. */
    kind: Type.Union([Type.Literal('clinical'), Type.Literal('non-clinical')]),
    /** The module records senior decisions (ReSPECT, CPR): writing and approving it need a senior clinician. */
    seniorDecision: Type.Boolean(),
    /** A plan on the pathway is not submitted or published while this section is empty (a sickle cell plan without its crisis plan). */
    neededToPublish: Type.Optional(Type.Boolean()),
    form: Type.Optional(FormOverridesSchema),
    rules: Type.Optional(Type.Array(FormRuleSchema)),
    prefill: Type.Optional(Type.Array(PrefillSchema)),
  },
  { additionalProperties: false },
);
export type PathwayModule = Static<typeof PathwayModuleSchema>;

/**
 * A care pathway as data (templates/pathways/*.json): what a plan on it holds and how it is
 * governed. The core pathway (`core: true`) is in every plan and names the plan header template;
 * every other pathway adds its modules to it. A new pathway is a JSON file and its OPT(s).
 */
export const PathwayDefinitionSchema = Type.Object(
  {
    id: Id,
    title: Text,
    description: Text,
    /** The pathway every plan has. Exactly one pathway is core. */
    core: Type.Optional(Type.Boolean()),
    /** The template of the plan header composition (status, approval, consent, death); core pathway only. */
    headerTemplateId: Type.Optional(Text),
    modules: Type.Array(PathwayModuleSchema, { minItems: 1 }),
    /** `senior`: every published version needs a senior clinician's approval; `clinician`: any clinician may publish (senior-decision modules still need a senior). */
    approval: Type.Union([Type.Literal('senior'), Type.Literal('clinician')]),
    /** The longest a plan on this pathway may go before review, in months. */
    reviewMaxMonths: Type.Integer({ minimum: 1, maximum: 12, default: 12 }),
    /** The record type the national record locator lists a plan on this pathway under (SNOMED CT), when it is not the urgent care plan's. */
    recordType: Type.Optional(Type.Object({ system: Text, code: Text, display: Text }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type PathwayDefinition = Static<typeof PathwayDefinitionSchema>;

/** The longest any plan goes without review (a yearly review, as London's GP service asks). */
export const DEFAULT_REVIEW_MAX_MONTHS = 12;

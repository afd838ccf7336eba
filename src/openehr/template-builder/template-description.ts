import { Type, type Static } from 'typebox';

/**
 * A template described as plain JSON data: what a low-code designer produces and what
 * {@link compileTemplate} turns into an ADL 1.4 operational template. The shape follows the RM:
 * a COMPOSITION archetype holds SECTION and ENTRY archetypes, whose data trees hold CLUSTERs,
 * ELEMENTs and nested CLUSTER archetypes. Every archetyped node names the at-code (and text) of the
 * archetype it comes from, so that published archetypes keep their codes; `rename` gives a node a
 * template-level name without touching the archetype's term.
 *
 * Each node kind has its own TypeBox schema (children as unknown values); the checker walks the
 * tree and validates every node against the schema of its kind, so a bad description yields one
 * message per problem with its path, rather than the noise of a union that failed as a whole.
 */

/** "min..max", max a number or "*", e.g. "0..1", "1..1", "0..*". */
export const OccurrencesSchema = Type.String({ pattern: '^[0-9]+\\.\\.([0-9]+|\\*)$', description: 'min..max, e.g. 0..1 or 1..*' });

const Text = Type.String({ minLength: 1 });

/** Fields every archetyped node (at-coded or archetype root) carries. */
const NodeFields = {
  text: Text,
  description: Type.String(),
  occurrences: Type.Optional(OccurrencesSchema),
  /** A template-level name replacing the archetype's text (emitted as a name constraint). */
  rename: Type.Optional(Text),
  /**
   * Names the node had in earlier revisions, still allowed in stored data after `rename` (the name
   * constraint allows them after the new name, which gives the FLAT id): how a node holding data
   * is renamed without its stored compositions becoming invalid.
   */
  formerNames: Type.Optional(Type.Array(Text, { maxItems: 20 })),
  /** The node's meaning in an external terminology (a term binding of its at-code), e.g. a SNOMED CT observable. */
  binding: Type.Optional(
    Type.Object({ terminology: Type.String({ minLength: 1 }), code: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  ),
};

export const CodedTermSchema = Type.Object(
  {
    code: Text,
    text: Text,
    description: Type.Optional(Type.String()),
    /** A binding of a local code to an external terminology, e.g. SNOMED-CT. */
    binding: Type.Optional(Type.Object({ terminology: Text, code: Text }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const OrdinalTermSchema = Type.Object(
  {
    value: Type.Integer(),
    code: Text,
    text: Text,
    description: Type.Optional(Type.String()),
    binding: Type.Optional(Type.Object({ terminology: Text, code: Text }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const QuantityUnitSchema = Type.Object(
  {
    units: Text,
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    /** Decimal places; 0 for whole numbers. */
    precision: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

const TemporalPattern = Type.Optional(Type.String({ minLength: 1, description: 'AOM 1.4 pattern, e.g. yyyy-mm-dd or yyyy-??-??' }));

/** One schema per data value type; `type` selects it. */
export const VALUE_SCHEMAS = {
  DV_TEXT: Type.Object(
    { type: Type.Literal('DV_TEXT'), list: Type.Optional(Type.Array(Text)), pattern: Type.Optional(Text) },
    { additionalProperties: false },
  ),
  DV_CODED_TEXT: Type.Object(
    {
      type: Type.Literal('DV_CODED_TEXT'),
      /** 'local' for at-codes of the archetype, otherwise an external terminology id such as SNOMED-CT. */
      terminology: Text,
      /** The codes allowed; left out only for an external terminology, to allow any of its codes. */
      codes: Type.Optional(Type.Array(CodedTermSchema)),
    },
    { additionalProperties: false },
  ),
  DV_BOOLEAN: Type.Object({ type: Type.Literal('DV_BOOLEAN') }, { additionalProperties: false }),
  DV_DATE: Type.Object({ type: Type.Literal('DV_DATE'), pattern: TemporalPattern }, { additionalProperties: false }),
  DV_DATE_TIME: Type.Object({ type: Type.Literal('DV_DATE_TIME'), pattern: TemporalPattern }, { additionalProperties: false }),
  DV_TIME: Type.Object({ type: Type.Literal('DV_TIME'), pattern: TemporalPattern }, { additionalProperties: false }),
  DV_DURATION: Type.Object({ type: Type.Literal('DV_DURATION'), pattern: TemporalPattern }, { additionalProperties: false }),
  DV_COUNT: Type.Object(
    { type: Type.Literal('DV_COUNT'), min: Type.Optional(Type.Integer()), max: Type.Optional(Type.Integer()) },
    { additionalProperties: false },
  ),
  DV_QUANTITY: Type.Object(
    {
      type: Type.Literal('DV_QUANTITY'),
      /** openEHR property code, e.g. 382 (mass concentration), 125 (mass). */
      property: Type.Optional(Type.Object({ code: Text, text: Text }, { additionalProperties: false })),
      units: Type.Array(QuantityUnitSchema),
    },
    { additionalProperties: false },
  ),
  DV_ORDINAL: Type.Object({ type: Type.Literal('DV_ORDINAL'), scale: Type.Array(OrdinalTermSchema) }, { additionalProperties: false }),
  DV_IDENTIFIER: Type.Object({ type: Type.Literal('DV_IDENTIFIER') }, { additionalProperties: false }),
  DV_URI: Type.Object({ type: Type.Literal('DV_URI') }, { additionalProperties: false }),
  DV_EHR_URI: Type.Object({ type: Type.Literal('DV_EHR_URI') }, { additionalProperties: false }),
  DV_PARSABLE: Type.Object({ type: Type.Literal('DV_PARSABLE') }, { additionalProperties: false }),
  DV_MULTIMEDIA: Type.Object({ type: Type.Literal('DV_MULTIMEDIA') }, { additionalProperties: false }),
} as const;

export type ValueType = keyof typeof VALUE_SCHEMAS;
export type ValueConstraint = { [K in ValueType]: Static<(typeof VALUE_SCHEMAS)[K]> }[ValueType];
export type CodedTerm = Static<typeof CodedTermSchema>;
export type OrdinalTerm = Static<typeof OrdinalTermSchema>;
export type QuantityUnit = Static<typeof QuantityUnitSchema>;

/** A structure node of an entry (ITEM_TREE, HISTORY, EVENT, ACTIVITY) addressed by its at-code. */
export const StructureSchema = Type.Object(
  { code: Text, text: Type.Optional(Text), description: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
export type Structure = Static<typeof StructureSchema>;

const Children = Type.Array(Type.Unknown());

/** The schema of each node kind, without its children (checked recursively by the walker). */
export const NODE_SCHEMAS = {
  ELEMENT: Type.Object(
    { rmType: Type.Literal('ELEMENT'), code: Text, ...NodeFields, value: Type.Unknown() },
    { additionalProperties: false },
  ),
  CLUSTER: Type.Object({ rmType: Type.Literal('CLUSTER'), code: Text, ...NodeFields, items: Children }, { additionalProperties: false }),
  CLUSTER_ARCHETYPE: Type.Object(
    { rmType: Type.Literal('CLUSTER'), archetypeId: Text, ...NodeFields, items: Children },
    { additionalProperties: false },
  ),
  SECTION: Type.Object(
    { rmType: Type.Literal('SECTION'), archetypeId: Text, ...NodeFields, items: Children },
    { additionalProperties: false },
  ),
  OBSERVATION: Type.Object(
    {
      rmType: Type.Literal('OBSERVATION'),
      archetypeId: Text,
      ...NodeFields,
      history: StructureSchema,
      event: StructureSchema,
      data: StructureSchema,
      items: Children,
    },
    { additionalProperties: false },
  ),
  EVALUATION: Type.Object(
    { rmType: Type.Literal('EVALUATION'), archetypeId: Text, ...NodeFields, data: StructureSchema, items: Children },
    { additionalProperties: false },
  ),
  ADMIN_ENTRY: Type.Object(
    { rmType: Type.Literal('ADMIN_ENTRY'), archetypeId: Text, ...NodeFields, data: StructureSchema, items: Children },
    { additionalProperties: false },
  ),
  INSTRUCTION: Type.Object(
    {
      rmType: Type.Literal('INSTRUCTION'),
      archetypeId: Text,
      ...NodeFields,
      activity: StructureSchema,
      /** The activity's description tree. */
      data: StructureSchema,
      items: Children,
    },
    { additionalProperties: false },
  ),
  ACTION: Type.Object(
    {
      rmType: Type.Literal('ACTION'),
      archetypeId: Text,
      ...NodeFields,
      /** The action's description tree (the RM attribute `description`). */
      data: StructureSchema,
      items: Children,
      careflowSteps: Type.Optional(
        Type.Array(
          Type.Object(
            { code: Text, text: Text, description: Type.String(), currentState: Type.String({ pattern: '^[0-9]+$' }) },
            { additionalProperties: false },
          ),
        ),
      ),
    },
    { additionalProperties: false },
  ),
} as const;

type Node<K extends keyof typeof NODE_SCHEMAS, C> = Omit<Static<(typeof NODE_SCHEMAS)[K]>, 'items' | 'value'> & C;

export type ElementNode = Node<'ELEMENT', { value: ValueConstraint }>;
export type ClusterNode = Node<'CLUSTER', { items: TreeItem[] }>;
export type ClusterArchetypeNode = Node<'CLUSTER_ARCHETYPE', { items: TreeItem[] }>;
export type TreeItem = ElementNode | ClusterNode | ClusterArchetypeNode;
export type SectionNode = Node<'SECTION', { items: ContentItem[] }>;
export type ObservationNode = Node<'OBSERVATION', { items: TreeItem[] }>;
export type EvaluationNode = Node<'EVALUATION', { items: TreeItem[] }>;
export type AdminEntryNode = Node<'ADMIN_ENTRY', { items: TreeItem[] }>;
export type InstructionNode = Node<'INSTRUCTION', { items: TreeItem[] }>;
export type ActionNode = Node<'ACTION', { items: TreeItem[] }>;
export type EntryNode = ObservationNode | EvaluationNode | AdminEntryNode | InstructionNode | ActionNode;
export type ContentItem = SectionNode | EntryNode;

export const COMPOSITION_SCHEMA = Type.Object(
  {
    archetypeId: Text,
    text: Text,
    description: Type.String(),
    rename: Type.Optional(Text),
    category: Type.Union([Type.Literal('event'), Type.Literal('persistent')]),
    otherContext: Type.Optional(Type.Object({ code: Text, text: Type.Optional(Text), items: Children }, { additionalProperties: false })),
    content: Children,
  },
  { additionalProperties: false },
);

export type CompositionNode = Omit<Static<typeof COMPOSITION_SCHEMA>, 'content' | 'otherContext'> & {
  otherContext?: Structure & { items: TreeItem[] };
  content: ContentItem[];
};

export const TEMPLATE_HEADER_SCHEMA = Type.Object(
  {
    templateId: Text,
    concept: Text,
    /** ISO 639-1 code; the template's only language. */
    language: Type.String({ pattern: '^[a-z]{2}$' }),
    description: Type.Object(
      {
        purpose: Text,
        use: Type.Optional(Type.String()),
        misuse: Type.Optional(Type.String()),
        keywords: Type.Optional(Type.Array(Text)),
        author: Type.Object(
          { name: Text, organisation: Type.Optional(Text), email: Type.Optional(Text), date: Type.String({ format: 'date' }) },
          { additionalProperties: false },
        ),
        copyright: Type.Optional(Text),
        licence: Type.Optional(Text),
        lifecycleState: Type.Optional(Text),
      },
      { additionalProperties: false },
    ),
    /**
     * Archetypes used here that are our own, not published ones (their ids must be in this list,
     * so that nobody mistakes them for CKM archetypes and the fidelity check knows to skip them).
     */
    localArchetypes: Type.Optional(Type.Array(Text)),
    root: Type.Unknown(),
  },
  { additionalProperties: false },
);

export type TemplateDescription = Omit<Static<typeof TEMPLATE_HEADER_SCHEMA>, 'root'> & { root: CompositionNode };

export type ArchetypeNode = CompositionNode | ContentItem | ClusterArchetypeNode;

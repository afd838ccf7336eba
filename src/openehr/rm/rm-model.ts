/**
 * The openEHR Reference Model (RM 1.1.0, with the BASE 1.1.0 identifier classes) as data.
 *
 * Attribute order follows the openEHR XML schemas (ITS-XML, RM Release-1.1.0), because canonical
 * XML must be written in that order; cardinalities follow the RM specification (its BMM), which
 * is stricter than the schema in a few places (DV_URI.value), except for DV_INTERVAL's
 * lower_included/upper_included, optional as in the schema.
 *
 * Attribute notation, one string per attribute:
 *   `name: TYPE`            optional single value
 *   `name: TYPE!`           mandatory single value
 *   `name: List<TYPE>`      optional list
 *   `name: List<TYPE>!`     mandatory list, may be empty
 *   `name: List<TYPE>+`     mandatory list with at least one item
 *   `@name: ...`            written as an XML attribute rather than an element
 * A class name may declare generic parameters (`DV_INTERVAL<T:DV_ORDERED>`), and attribute and
 * parent types may use them (`EVENT<T>`). An attribute repeated in a subclass redefines the
 * inherited one in place (as the RM does for DV_QUANTITY.normal_range).
 */

export interface RmClassDefinition {
  readonly name: string;
  readonly abstract?: true;
  readonly parents?: readonly string[];
  readonly attributes?: readonly string[];
}

/** Types whose values are JSON primitives (strings, numbers, booleans), never objects. */
export const RM_PRIMITIVE_TYPES: readonly string[] = [
  'String',
  'Integer',
  'Integer64',
  'Real',
  'Double',
  'Boolean',
  'Character',
  'Array<Octet>',
  'Iso8601_date',
  'Iso8601_time',
  'Iso8601_date_time',
  'Iso8601_duration',
  'PROPORTION_KIND',
];

const LOCATABLE_ATTRIBUTES = [
  '@archetype_node_id: String!',
  'name: DV_TEXT!',
  'uid: UID_BASED_ID',
  'links: List<LINK>',
  'archetype_details: ARCHETYPED',
  'feeder_audit: FEEDER_AUDIT',
];

export const RM_CLASS_DEFINITIONS: readonly RmClassDefinition[] = [
  // BASE base_types: identification
  { name: 'OBJECT_ID', abstract: true, attributes: ['value: String!'] },
  { name: 'UID_BASED_ID', abstract: true, parents: ['OBJECT_ID'] },
  { name: 'HIER_OBJECT_ID', parents: ['UID_BASED_ID'] },
  { name: 'OBJECT_VERSION_ID', parents: ['UID_BASED_ID'] },
  { name: 'ARCHETYPE_ID', parents: ['OBJECT_ID'] },
  { name: 'TEMPLATE_ID', parents: ['OBJECT_ID'] },
  { name: 'TERMINOLOGY_ID', parents: ['OBJECT_ID'] },
  { name: 'GENERIC_ID', parents: ['OBJECT_ID'], attributes: ['scheme: String!'] },
  { name: 'OBJECT_REF', attributes: ['id: OBJECT_ID!', 'namespace: String!', 'type: String!'] },
  { name: 'PARTY_REF', parents: ['OBJECT_REF'] },
  { name: 'ACCESS_GROUP_REF', parents: ['OBJECT_REF'] },
  { name: 'LOCATABLE_REF', parents: ['OBJECT_REF'], attributes: ['id: UID_BASED_ID!', 'path: String'] },

  // data_types
  { name: 'DATA_VALUE', abstract: true },
  { name: 'DV_BOOLEAN', parents: ['DATA_VALUE'], attributes: ['value: Boolean!'] },
  {
    name: 'DV_IDENTIFIER',
    parents: ['DATA_VALUE'],
    attributes: ['issuer: String', 'assigner: String', 'id: String!', 'type: String'],
  },
  { name: 'DV_STATE', parents: ['DATA_VALUE'], attributes: ['value: DV_CODED_TEXT!', 'is_terminal: Boolean!'] },
  {
    name: 'DV_ORDERED',
    abstract: true,
    parents: ['DATA_VALUE'],
    attributes: [
      'normal_range: DV_INTERVAL<DV_ORDERED>',
      'other_reference_ranges: List<REFERENCE_RANGE<DV_ORDERED>>',
      'normal_status: CODE_PHRASE',
    ],
  },
  {
    name: 'DV_INTERVAL<T:DV_ORDERED>',
    parents: ['DATA_VALUE'],
    // The RM makes the *_included flags mandatory; the schema and much real data omit them.
    attributes: [
      'lower: T',
      'upper: T',
      'lower_included: Boolean',
      'upper_included: Boolean',
      'lower_unbounded: Boolean!',
      'upper_unbounded: Boolean!',
    ],
  },
  { name: 'REFERENCE_RANGE<T:DV_ORDERED>', attributes: ['meaning: DV_TEXT!', 'range: DV_INTERVAL<T>!'] },
  { name: 'DV_QUANTIFIED', abstract: true, parents: ['DV_ORDERED'], attributes: ['magnitude_status: String'] },
  {
    name: 'DV_AMOUNT',
    abstract: true,
    parents: ['DV_QUANTIFIED'],
    attributes: ['accuracy: Real', 'accuracy_is_percent: Boolean'],
  },
  {
    name: 'DV_COUNT',
    parents: ['DV_AMOUNT'],
    attributes: ['normal_range: DV_INTERVAL<DV_COUNT>', 'other_reference_ranges: List<REFERENCE_RANGE<DV_COUNT>>', 'magnitude: Integer64!'],
  },
  { name: 'DV_ABSOLUTE_QUANTITY', abstract: true, parents: ['DV_QUANTIFIED'] },
  { name: 'DV_TEMPORAL', abstract: true, parents: ['DV_ABSOLUTE_QUANTITY'], attributes: ['accuracy: DV_DURATION'] },
  {
    name: 'DV_QUANTITY',
    parents: ['DV_AMOUNT'],
    attributes: [
      'normal_range: DV_INTERVAL<DV_QUANTITY>',
      'other_reference_ranges: List<REFERENCE_RANGE<DV_QUANTITY>>',
      'magnitude: Real!',
      'units: String!',
      'precision: Integer',
      'units_system: String',
      'units_display_name: String',
      // RM 1.1.0 adds `property`; the 1.1.0 schema does not have it yet, so it goes last.
      'property: CODE_PHRASE',
    ],
  },
  { name: 'DV_ORDINAL', parents: ['DV_ORDERED'], attributes: ['value: Integer!', 'symbol: DV_CODED_TEXT!'] },
  { name: 'DV_SCALE', parents: ['DV_ORDERED'], attributes: ['value: Real!', 'symbol: DV_CODED_TEXT!'] },
  {
    name: 'DV_PROPORTION',
    parents: ['DV_AMOUNT'],
    attributes: [
      'normal_range: DV_INTERVAL<DV_PROPORTION>',
      'other_reference_ranges: List<REFERENCE_RANGE<DV_PROPORTION>>',
      'numerator: Real!',
      'denominator: Real!',
      'type: PROPORTION_KIND!',
      'precision: Integer',
    ],
  },
  { name: 'DV_PARAGRAPH', parents: ['DATA_VALUE'], attributes: ['items: List<DV_TEXT>+'] },
  {
    name: 'DV_TEXT',
    parents: ['DATA_VALUE'],
    attributes: [
      'value: String!',
      'hyperlink: DV_URI',
      'formatting: String',
      'mappings: List<TERM_MAPPING>',
      'language: CODE_PHRASE',
      'encoding: CODE_PHRASE',
    ],
  },
  { name: 'DV_CODED_TEXT', parents: ['DV_TEXT'], attributes: ['defining_code: CODE_PHRASE!'] },
  {
    name: 'CODE_PHRASE',
    attributes: ['terminology_id: TERMINOLOGY_ID!', 'code_string: String!', 'preferred_term: String'],
  },
  { name: 'TERM_MAPPING', attributes: ['match: Character!', 'purpose: DV_CODED_TEXT', 'target: CODE_PHRASE!'] },
  { name: 'DV_DATE_TIME', parents: ['DV_TEMPORAL'], attributes: ['value: Iso8601_date_time!'] },
  { name: 'DV_TIME', parents: ['DV_TEMPORAL'], attributes: ['value: Iso8601_time!'] },
  { name: 'DV_DATE', parents: ['DV_TEMPORAL'], attributes: ['value: Iso8601_date!'] },
  { name: 'DV_DURATION', parents: ['DV_AMOUNT'], attributes: ['value: Iso8601_duration!'] },
  { name: 'DV_TIME_SPECIFICATION', abstract: true, parents: ['DATA_VALUE'], attributes: ['value: DV_PARSABLE!'] },
  { name: 'DV_PERIODIC_TIME_SPECIFICATION', parents: ['DV_TIME_SPECIFICATION'] },
  { name: 'DV_GENERAL_TIME_SPECIFICATION', parents: ['DV_TIME_SPECIFICATION'] },
  {
    name: 'DV_ENCAPSULATED',
    abstract: true,
    parents: ['DATA_VALUE'],
    attributes: ['charset: CODE_PHRASE', 'language: CODE_PHRASE'],
  },
  {
    name: 'DV_MULTIMEDIA',
    parents: ['DV_ENCAPSULATED'],
    attributes: [
      'alternate_text: String',
      'uri: DV_URI',
      'data: Array<Octet>',
      'media_type: CODE_PHRASE!',
      'compression_algorithm: CODE_PHRASE',
      'integrity_check: Array<Octet>',
      'integrity_check_algorithm: CODE_PHRASE',
      'size: Integer!',
      'thumbnail: DV_MULTIMEDIA',
    ],
  },
  {
    name: 'DV_PARSABLE',
    parents: ['DV_ENCAPSULATED'],
    // `size` is gone from RM 1.1.0 but the 1.1.0 schema keeps it for legacy instances.
    attributes: ['value: String!', 'formalism: String!', 'size: Integer'],
  },
  { name: 'DV_URI', parents: ['DATA_VALUE'], attributes: ['value: String!'] },
  { name: 'DV_EHR_URI', parents: ['DV_URI'] },

  // common: archetyped
  { name: 'PATHABLE', abstract: true },
  { name: 'LOCATABLE', abstract: true, parents: ['PATHABLE'], attributes: LOCATABLE_ATTRIBUTES },
  {
    name: 'ARCHETYPED',
    attributes: ['archetype_id: ARCHETYPE_ID!', 'template_id: TEMPLATE_ID', 'rm_version: String!'],
  },
  { name: 'LINK', attributes: ['meaning: DV_TEXT!', 'type: DV_TEXT!', 'target: DV_EHR_URI!'] },
  {
    name: 'FEEDER_AUDIT',
    attributes: [
      'originating_system_item_ids: List<DV_IDENTIFIER>',
      'feeder_system_item_ids: List<DV_IDENTIFIER>',
      'original_content: DV_ENCAPSULATED',
      'originating_system_audit: FEEDER_AUDIT_DETAILS!',
      'feeder_system_audit: FEEDER_AUDIT_DETAILS',
    ],
  },
  {
    name: 'FEEDER_AUDIT_DETAILS',
    attributes: [
      'system_id: String!',
      'location: PARTY_IDENTIFIED',
      'provider: PARTY_IDENTIFIED',
      'subject: PARTY_PROXY',
      'time: DV_DATE_TIME',
      'version_id: String',
      'other_details: ITEM_STRUCTURE',
    ],
  },

  // common: generic
  { name: 'REVISION_HISTORY', attributes: ['items: List<REVISION_HISTORY_ITEM>!'] },
  { name: 'REVISION_HISTORY_ITEM', attributes: ['version_id: OBJECT_VERSION_ID!', 'audits: List<AUDIT_DETAILS>+'] },
  {
    name: 'AUDIT_DETAILS',
    attributes: [
      'system_id: String!',
      'committer: PARTY_PROXY!',
      'time_committed: DV_DATE_TIME!',
      'change_type: DV_CODED_TEXT!',
      'description: DV_TEXT',
    ],
  },
  {
    name: 'ATTESTATION',
    parents: ['AUDIT_DETAILS'],
    attributes: ['attested_view: DV_MULTIMEDIA', 'proof: String', 'items: List<DV_EHR_URI>', 'reason: DV_TEXT!', 'is_pending: Boolean!'],
  },
  { name: 'PARTY_PROXY', abstract: true, attributes: ['external_ref: PARTY_REF'] },
  { name: 'PARTY_IDENTIFIED', parents: ['PARTY_PROXY'], attributes: ['name: String', 'identifiers: List<DV_IDENTIFIER>'] },
  { name: 'PARTY_RELATED', parents: ['PARTY_IDENTIFIED'], attributes: ['relationship: DV_CODED_TEXT!'] },
  { name: 'PARTY_SELF', parents: ['PARTY_PROXY'] },
  {
    name: 'PARTICIPATION',
    attributes: ['function: DV_TEXT!', 'performer: PARTY_PROXY!', 'time: DV_INTERVAL<DV_DATE_TIME>', 'mode: DV_CODED_TEXT'],
  },

  // common: change_control
  {
    name: 'VERSION<T>',
    abstract: true,
    attributes: ['contribution: OBJECT_REF!', 'commit_audit: AUDIT_DETAILS!', 'signature: String'],
  },
  {
    name: 'ORIGINAL_VERSION<T>',
    parents: ['VERSION<T>'],
    attributes: [
      'uid: OBJECT_VERSION_ID!',
      'data: T',
      'preceding_version_uid: OBJECT_VERSION_ID',
      'other_input_version_uids: List<OBJECT_VERSION_ID>',
      'attestations: List<ATTESTATION>',
      'lifecycle_state: DV_CODED_TEXT!',
    ],
  },
  { name: 'IMPORTED_VERSION<T>', parents: ['VERSION<T>'], attributes: ['item: ORIGINAL_VERSION<T>!'] },
  {
    name: 'VERSIONED_OBJECT<T>',
    attributes: ['uid: HIER_OBJECT_ID!', 'owner_id: OBJECT_REF!', 'time_created: DV_DATE_TIME!', 'versions: List<VERSION<T>>'],
  },
  { name: 'CONTRIBUTION', attributes: ['uid: HIER_OBJECT_ID!', 'versions: List<OBJECT_REF>+', 'audit: AUDIT_DETAILS!'] },

  // common: directory
  { name: 'VERSIONED_FOLDER', parents: ['VERSIONED_OBJECT<FOLDER>'] },
  {
    name: 'FOLDER',
    parents: ['LOCATABLE'],
    attributes: ['folders: List<FOLDER>', 'items: List<OBJECT_REF>', 'details: ITEM_STRUCTURE'],
  },

  // data_structures
  { name: 'DATA_STRUCTURE', abstract: true, parents: ['LOCATABLE'] },
  { name: 'ITEM_STRUCTURE', abstract: true, parents: ['DATA_STRUCTURE'] },
  { name: 'ITEM_SINGLE', parents: ['ITEM_STRUCTURE'], attributes: ['item: ELEMENT!'] },
  { name: 'ITEM_LIST', parents: ['ITEM_STRUCTURE'], attributes: ['items: List<ELEMENT>'] },
  { name: 'ITEM_TREE', parents: ['ITEM_STRUCTURE'], attributes: ['items: List<ITEM>'] },
  { name: 'ITEM_TABLE', parents: ['ITEM_STRUCTURE'], attributes: ['rows: List<CLUSTER>'] },
  { name: 'ITEM', abstract: true, parents: ['LOCATABLE'] },
  { name: 'CLUSTER', parents: ['ITEM'], attributes: ['items: List<ITEM>+'] },
  {
    name: 'ELEMENT',
    parents: ['ITEM'],
    attributes: ['value: DATA_VALUE', 'null_flavour: DV_CODED_TEXT', 'null_reason: DV_TEXT'],
  },
  {
    name: 'HISTORY<T:ITEM_STRUCTURE>',
    parents: ['DATA_STRUCTURE'],
    attributes: [
      'origin: DV_DATE_TIME!',
      'period: DV_DURATION',
      'duration: DV_DURATION',
      'events: List<EVENT<T>>',
      'summary: ITEM_STRUCTURE',
    ],
  },
  {
    name: 'EVENT<T:ITEM_STRUCTURE>',
    abstract: true,
    parents: ['LOCATABLE'],
    attributes: ['time: DV_DATE_TIME!', 'data: T!', 'state: ITEM_STRUCTURE'],
  },
  { name: 'POINT_EVENT<T:ITEM_STRUCTURE>', parents: ['EVENT<T>'] },
  {
    name: 'INTERVAL_EVENT<T:ITEM_STRUCTURE>',
    parents: ['EVENT<T>'],
    attributes: ['width: DV_DURATION!', 'sample_count: Integer', 'math_function: DV_CODED_TEXT!'],
  },

  // ehr
  {
    name: 'EHR',
    attributes: [
      'system_id: HIER_OBJECT_ID!',
      'ehr_id: HIER_OBJECT_ID!',
      'time_created: DV_DATE_TIME!',
      'contributions: List<OBJECT_REF>!',
      'ehr_access: OBJECT_REF!',
      'ehr_status: OBJECT_REF!',
      'directory: OBJECT_REF',
      'folders: List<OBJECT_REF>',
      'compositions: List<OBJECT_REF>',
    ],
  },
  { name: 'VERSIONED_EHR_ACCESS', parents: ['VERSIONED_OBJECT<EHR_ACCESS>'] },
  { name: 'EHR_ACCESS', parents: ['LOCATABLE'], attributes: ['settings: ACCESS_CONTROL_SETTINGS'] },
  { name: 'ACCESS_CONTROL_SETTINGS', abstract: true },
  { name: 'VERSIONED_EHR_STATUS', parents: ['VERSIONED_OBJECT<EHR_STATUS>'] },
  {
    name: 'EHR_STATUS',
    parents: ['LOCATABLE'],
    attributes: ['subject: PARTY_SELF!', 'is_queryable: Boolean!', 'is_modifiable: Boolean!', 'other_details: ITEM_STRUCTURE'],
  },
  { name: 'VERSIONED_COMPOSITION', parents: ['VERSIONED_OBJECT<COMPOSITION>'] },

  // composition and content
  {
    name: 'COMPOSITION',
    parents: ['LOCATABLE'],
    attributes: [
      'language: CODE_PHRASE!',
      'territory: CODE_PHRASE!',
      'category: DV_CODED_TEXT!',
      'composer: PARTY_PROXY!',
      'context: EVENT_CONTEXT',
      'content: List<CONTENT_ITEM>',
    ],
  },
  {
    name: 'EVENT_CONTEXT',
    parents: ['PATHABLE'],
    attributes: [
      'start_time: DV_DATE_TIME!',
      'end_time: DV_DATE_TIME',
      'location: String',
      'setting: DV_CODED_TEXT!',
      'other_context: ITEM_STRUCTURE',
      'health_care_facility: PARTY_IDENTIFIED',
      'participations: List<PARTICIPATION>',
    ],
  },
  { name: 'CONTENT_ITEM', abstract: true, parents: ['LOCATABLE'] },
  { name: 'SECTION', parents: ['CONTENT_ITEM'], attributes: ['items: List<CONTENT_ITEM>'] },
  { name: 'GENERIC_ENTRY', parents: ['CONTENT_ITEM'], attributes: ['data: ITEM_TREE!'] },
  {
    name: 'ENTRY',
    abstract: true,
    parents: ['CONTENT_ITEM'],
    attributes: [
      'language: CODE_PHRASE!',
      'encoding: CODE_PHRASE!',
      'subject: PARTY_PROXY!',
      'provider: PARTY_PROXY',
      'other_participations: List<PARTICIPATION>',
      'workflow_id: OBJECT_REF',
    ],
  },
  { name: 'ADMIN_ENTRY', parents: ['ENTRY'], attributes: ['data: ITEM_STRUCTURE!'] },
  {
    name: 'CARE_ENTRY',
    abstract: true,
    parents: ['ENTRY'],
    attributes: ['protocol: ITEM_STRUCTURE', 'guideline_id: OBJECT_REF'],
  },
  { name: 'EVALUATION', parents: ['CARE_ENTRY'], attributes: ['data: ITEM_STRUCTURE!'] },
  {
    name: 'OBSERVATION',
    parents: ['CARE_ENTRY'],
    attributes: ['data: HISTORY<ITEM_STRUCTURE>!', 'state: HISTORY<ITEM_STRUCTURE>'],
  },
  {
    name: 'INSTRUCTION',
    parents: ['CARE_ENTRY'],
    attributes: ['narrative: DV_TEXT!', 'expiry_time: DV_DATE_TIME', 'wf_definition: DV_PARSABLE', 'activities: List<ACTIVITY>'],
  },
  {
    name: 'ACTION',
    parents: ['CARE_ENTRY'],
    attributes: [
      'time: DV_DATE_TIME!',
      'description: ITEM_STRUCTURE!',
      'ism_transition: ISM_TRANSITION!',
      'instruction_details: INSTRUCTION_DETAILS',
    ],
  },
  {
    name: 'ACTIVITY',
    parents: ['LOCATABLE'],
    attributes: ['description: ITEM_STRUCTURE!', 'timing: DV_PARSABLE', 'action_archetype_id: String!'],
  },
  {
    name: 'INSTRUCTION_DETAILS',
    parents: ['PATHABLE'],
    attributes: ['instruction_id: LOCATABLE_REF!', 'activity_id: String!', 'wf_details: ITEM_STRUCTURE'],
  },
  {
    name: 'ISM_TRANSITION',
    parents: ['PATHABLE'],
    attributes: ['current_state: DV_CODED_TEXT!', 'transition: DV_CODED_TEXT', 'careflow_step: DV_CODED_TEXT', 'reason: List<DV_TEXT>'],
  },
];

/**
 * An ADL 1.4 operational template (OPT) as the openEHR AOM 1.4 and the OPT XML schema define it.
 *
 * Names follow the specification (C_COMPLEX_OBJECT -> CComplexObject, rm_type_name -> rmTypeName).
 * Every constraint object carries its XML schema type in `type`, which is also the discriminant of
 * the unions below. The model keeps everything a validator needs later: occurrences, existence,
 * cardinality, term sets, units, ranges, ordinals, patterns and the per-archetype terminology.
 */

/** An interval as AOM 1.4 defines it; a missing bound is unbounded (then `lower`/`upper` is absent). */
export interface Interval<T extends number | string> {
  readonly lower?: T;
  readonly upper?: T;
  readonly lowerIncluded: boolean;
  readonly upperIncluded: boolean;
  readonly lowerUnbounded: boolean;
  readonly upperUnbounded: boolean;
}

export interface CodePhrase {
  readonly terminologyId: string;
  readonly codeString: string;
}

export interface OperationalTemplate {
  readonly templateId: string;
  readonly uid?: string;
  readonly concept: string;
  /** The original language of the template, e.g. ISO_639-1::en. */
  readonly language: CodePhrase;
  readonly isControlled?: boolean;
  readonly description?: ResourceDescription;
  readonly definition: CArchetypeRoot;
  /** Template-level annotations (path -> key/value items), in document order. */
  readonly annotations: readonly TemplateAnnotation[];
  /** Template-level constraints (T_CONSTRAINT), mostly default values addressed by differential path. */
  readonly constraints: readonly TemplateConstraint[];
  /**
   * Extra terminology (usually translations) from `ontology` and `component_ontologies`, keyed by
   * archetype id. Term definitions inside each C_ARCHETYPE_ROOT are already merged into that root.
   */
  readonly ontologies: Readonly<Record<string, ArchetypeTerminology>>;
}

export interface ResourceDescription {
  readonly originalAuthor: Readonly<Record<string, string>>;
  readonly otherContributors: readonly string[];
  readonly lifecycleState?: string;
  readonly details: readonly ResourceDescriptionItem[];
  readonly otherDetails: Readonly<Record<string, string>>;
}

export interface ResourceDescriptionItem {
  readonly language: CodePhrase;
  readonly purpose?: string;
  readonly keywords: readonly string[];
  readonly use?: string;
  readonly misuse?: string;
  readonly copyright?: string;
}

export interface TemplateAnnotation {
  readonly path: string;
  readonly items: Readonly<Record<string, string>>;
}

export interface TemplateConstraint {
  readonly differentialPath?: string;
  readonly rmAttributeName: string;
  readonly rmTypeName?: string;
  readonly defaultValue?: DefaultValue;
}

/** A default or assumed RM value found in a template (DV_TEXT, DV_CODED_TEXT, DV_BOOLEAN, ...). */
export interface DefaultValue {
  readonly rmType: string;
  readonly value?: string;
  readonly definingCode?: CodePhrase;
}

export interface ArchetypeTerm {
  readonly code: string;
  readonly text: string;
  readonly description?: string;
  /** Any further items of the term, e.g. comment, fhir_mapping. */
  readonly other: Readonly<Record<string, string>>;
}

export interface ArchetypeTerminology {
  /** language -> code -> term */
  readonly termDefinitions: Readonly<Record<string, Readonly<Record<string, ArchetypeTerm>>>>;
  /** terminology id -> code or path -> bound code */
  readonly termBindings: Readonly<Record<string, Readonly<Record<string, CodePhrase>>>>;
}

interface CObjectBase {
  readonly rmTypeName: string;
  readonly occurrences: Interval<number>;
  /** at-code, or '' when the object has no node id. */
  readonly nodeId: string;
}

export interface CComplexObject extends CObjectBase {
  readonly type: 'C_COMPLEX_OBJECT';
  readonly attributes: readonly CAttribute[];
  readonly defaultValue?: DefaultValue;
}

/** The root of an archetype inside the template (and the template definition itself). */
export interface CArchetypeRoot extends CObjectBase, ArchetypeTerminology {
  readonly type: 'C_ARCHETYPE_ROOT';
  readonly attributes: readonly CAttribute[];
  readonly archetypeId: string;
  readonly templateId?: string;
  readonly defaultValue?: DefaultValue;
}

export interface ArchetypeSlot extends CObjectBase {
  readonly type: 'ARCHETYPE_SLOT';
  readonly includes: readonly SlotAssertion[];
  readonly excludes: readonly SlotAssertion[];
}

/** A slot assertion; most OPTs only carry `archetype_id/value matches {/pattern/}`. */
export interface SlotAssertion {
  readonly stringExpression?: string;
  /** The archetype id pattern when the assertion has that usual form. */
  readonly archetypeIdPattern?: string;
}

export interface ArchetypeInternalRef extends CObjectBase {
  readonly type: 'ARCHETYPE_INTERNAL_REF';
  readonly targetPath: string;
}

export interface ConstraintRef extends CObjectBase {
  readonly type: 'CONSTRAINT_REF';
  /** An ac-code naming an external constraint. */
  readonly reference: string;
}

/** C_CODE_PHRASE, and the C_CODE_REFERENCE variant that points at a terminology value set. */
export interface CCodePhrase extends CObjectBase {
  readonly type: 'C_CODE_PHRASE' | 'C_CODE_REFERENCE';
  readonly terminologyId?: string;
  readonly codeList: readonly string[];
  /** For C_CODE_REFERENCE, e.g. terminology:SNOMED-CT or terminology://fhir.hl7.org/ValueSet/... */
  readonly referenceSetUri?: string;
  readonly assumedValue?: CodePhrase;
}

export interface CQuantityItem {
  readonly units: string;
  readonly magnitude?: Interval<number>;
  readonly precision?: Interval<number>;
  readonly unitsSystem?: string;
  readonly unitsDisplayName?: string;
}

export interface CDvQuantity extends CObjectBase {
  readonly type: 'C_DV_QUANTITY';
  readonly property?: CodePhrase;
  readonly list: readonly CQuantityItem[];
  readonly assumedValue?: { readonly magnitude?: number; readonly units?: string; readonly precision?: number };
}

export interface Ordinal {
  readonly value: number;
  readonly symbol: CodePhrase;
}

export interface CDvOrdinal extends CObjectBase {
  readonly type: 'C_DV_ORDINAL';
  readonly list: readonly Ordinal[];
  readonly assumedValue?: Ordinal;
}

export interface CPrimitiveObject extends CObjectBase {
  readonly type: 'C_PRIMITIVE_OBJECT';
  readonly item: CPrimitive;
}

export type CPrimitive = CString | CInteger | CReal | CBoolean | CDate | CTime | CDateTime | CDuration;

export interface CString {
  readonly type: 'C_STRING';
  readonly pattern?: string;
  readonly list: readonly string[];
  readonly listOpen?: boolean;
  readonly assumedValue?: string;
}

export interface CInteger {
  readonly type: 'C_INTEGER';
  readonly range?: Interval<number>;
  readonly list: readonly number[];
  readonly assumedValue?: number;
}

export interface CReal {
  readonly type: 'C_REAL';
  readonly range?: Interval<number>;
  readonly list: readonly number[];
  readonly assumedValue?: number;
}

export interface CBoolean {
  readonly type: 'C_BOOLEAN';
  readonly trueValid: boolean;
  readonly falseValid: boolean;
  readonly assumedValue?: boolean;
}

/** Dates, times and durations keep their ISO 8601 text; patterns use the AOM 1.4 syntax (yyyy-mm-??). */
interface CTemporal<K extends string> {
  readonly type: K;
  readonly pattern?: string;
  readonly range?: Interval<string>;
  readonly assumedValue?: string;
}

export type CDate = CTemporal<'C_DATE'> & { readonly timezoneValidity?: string };
export type CTime = CTemporal<'C_TIME'> & { readonly timezoneValidity?: string };
export type CDateTime = CTemporal<'C_DATE_TIME'> & { readonly timezoneValidity?: string };
export type CDuration = CTemporal<'C_DURATION'>;

export type CObject =
  | CComplexObject
  | CArchetypeRoot
  | ArchetypeSlot
  | ArchetypeInternalRef
  | ConstraintRef
  | CCodePhrase
  | CDvQuantity
  | CDvOrdinal
  | CPrimitiveObject;

export interface Cardinality {
  readonly isOrdered: boolean;
  readonly isUnique: boolean;
  readonly interval: Interval<number>;
}

export interface CAttribute {
  readonly type: 'C_SINGLE_ATTRIBUTE' | 'C_MULTIPLE_ATTRIBUTE';
  readonly rmAttributeName: string;
  readonly existence: Interval<number>;
  readonly children: readonly CObject[];
  /** Only for C_MULTIPLE_ATTRIBUTE. */
  readonly cardinality?: Cardinality;
}

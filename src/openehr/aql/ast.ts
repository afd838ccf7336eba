/**
 * The syntax tree of an AQL query (openEHR Archetype Query Language, Release 1.1): what the
 * parser produces and the compiler consumes. Nodes are plain readonly data with a `kind`, so a
 * `switch` over `kind` is checked for exhaustiveness by the compiler. Every node keeps where it
 * began in the query text, so that errors found after parsing (an unknown variable, a function
 * given the wrong arguments) can still point at a line and column.
 *
 * Names follow the specification's grammar (AQL.g4): selectExpr, containsExpr, identifiedPath,
 * nodePredicate, terminal, …
 */

/** 1-based line and column, 0-based offset into the query text. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

interface Located {
  readonly position: SourcePosition;
}

// ─── the query ──────────────────────────────────────────────────────────────────────────────

export interface AqlQuery extends Located {
  readonly kind: 'query';
  readonly select: SelectClause;
  readonly from: ContainsExpr;
  readonly where: WhereExpr | undefined;
  /** Empty when there is no ORDER BY. */
  readonly orderBy: readonly OrderByExpr[];
  readonly limit: LimitClause | undefined;
}

export interface SelectClause extends Located {
  readonly kind: 'select';
  readonly distinct: boolean;
  /** `TOP n [FORWARD|BACKWARD]`: deprecated in 1.1 but still accepted; LIMIT is the modern form. */
  readonly top: { readonly count: number; readonly direction: 'forward' | 'backward' } | undefined;
  readonly columns: readonly SelectExpr[];
}

export interface SelectExpr extends Located {
  readonly kind: 'select-expr';
  readonly expr: ColumnExpr;
  /** `AS alias`, as written. */
  readonly alias: string | undefined;
}

export type ColumnExpr = IdentifiedPath | Primitive | AggregateFunctionCall | FunctionCall | Parameter;

export interface LimitClause extends Located {
  readonly kind: 'limit';
  readonly limit: number;
  readonly offset: number | undefined;
}

export interface OrderByExpr extends Located {
  readonly kind: 'order-by';
  /**
   * A path of a FROM variable, or (as a bare identifier with no path) the alias of a selected
   * column; the compiler tells which.
   */
  readonly path: IdentifiedPath;
  readonly direction: 'asc' | 'desc';
}

// ─── FROM: containment ──────────────────────────────────────────────────────────────────────

export type ContainsExpr = ClassExpression | VersionClassExpression | ContainsBinary;

/** `OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure.v2] CONTAINS …` */
export interface ClassExpression extends Located {
  readonly kind: 'class';
  /** The RM type as written, upper case: EHR, COMPOSITION, OBSERVATION, ENTRY, CLUSTER, … */
  readonly rmType: string;
  readonly variable: string | undefined;
  readonly predicate: NodePredicate | undefined;
  readonly contains: Containment | undefined;
}

/** `VERSION v[LATEST_VERSION] CONTAINS COMPOSITION c` */
export interface VersionClassExpression extends Located {
  readonly kind: 'version';
  readonly variable: string | undefined;
  /** Absent means the latest version only, as if LATEST_VERSION were written. */
  readonly predicate: VersionPredicate | undefined;
  readonly contains: Containment | undefined;
}

/** What a class expression contains; `not` for `NOT CONTAINS`. */
export interface Containment {
  readonly not: boolean;
  readonly expr: ContainsExpr;
}

/** `a CONTAINS (b AND c)`: both b and c inside a; `OR`: either. */
export interface ContainsBinary extends Located {
  readonly kind: 'contains-and' | 'contains-or';
  readonly left: ContainsExpr;
  readonly right: ContainsExpr;
}

export type VersionPredicate =
  (Located & { readonly kind: 'latest-version' }) | (Located & { readonly kind: 'all-versions' }) | StandardPredicate;

// ─── paths and their predicates ─────────────────────────────────────────────────────────────

/** `o[at0001]/data[at0002]/events[at0003]/data/items[at0004]/value/magnitude` */
export interface IdentifiedPath extends Located {
  readonly kind: 'identified-path';
  /** The FROM variable (or, in ORDER BY, possibly a column alias). */
  readonly variable: string;
  /** A predicate written directly on the variable (`o[at0001]`), rare but allowed. */
  readonly predicate: NodePredicate | undefined;
  /** Empty for the variable itself (`SELECT o`). */
  readonly path: ObjectPath;
}

export type ObjectPath = readonly PathPart[];

export interface PathPart extends Located {
  readonly kind: 'path-part';
  /** RM attribute name as written: `data`, `events`, `items`, `value`, `magnitude`, … */
  readonly attribute: string;
  readonly predicate: NodePredicate | undefined;
}

/**
 * What may stand in square brackets after a class or a path part. The common forms have their
 * own kinds; anything else is a comparison over relative paths joined by AND/OR.
 */
export type NodePredicate =
  NodeIdPredicate | ArchetypeIdPredicate | ParameterPredicate | StandardPredicate | RegexPredicate | NodePredicateBinary;

/**
 * `[at0001]`, `[id5]`, `[openEHR-EHR-OBSERVATION.x.v1]` with an optional name:
 * `[at0001, 'Systolic']`, `[at0001, $name]`, `[at0001, SNOMED-CT::12345]` — shorthand for
 * `archetype_node_id = … and name/value = …` (or `name/defining_code` for a term code).
 */
export interface NodeIdPredicate extends Located {
  readonly kind: 'node-id';
  /** An at/id code, or an archetype id (HRID). */
  readonly nodeId: string;
  readonly name: PredicateOperand | undefined;
}

/** `[openEHR-EHR-COMPOSITION.encounter.v1]` on a class expression, or `[$archetypeId]`. */
export interface ArchetypeIdPredicate extends Located {
  readonly kind: 'archetype-id';
  readonly archetypeId: string;
  readonly name: PredicateOperand | undefined;
}

/** `[$param]` alone: the parameter holds an archetype id or a node id. */
export interface ParameterPredicate extends Located {
  readonly kind: 'parameter-predicate';
  readonly parameter: Parameter;
}

/** `[name/value = 'x']`, `[archetype_node_id = 'at0001']`, `[commit_audit/time_committed/value > '2020']` */
export interface StandardPredicate extends Located {
  readonly kind: 'standard';
  readonly path: ObjectPath;
  readonly operator: ComparisonOperator;
  readonly value: PredicateOperand;
}

/** `[name/value matches {/regex/}]` */
export interface RegexPredicate extends Located {
  readonly kind: 'regex';
  readonly path: ObjectPath;
  /** The regular expression between the slashes, unescaped. */
  readonly pattern: string;
}

export interface NodePredicateBinary extends Located {
  readonly kind: 'predicate-and' | 'predicate-or';
  readonly left: NodePredicate;
  readonly right: NodePredicate;
}

export type PredicateOperand = Primitive | Parameter | TermCode | NodeCode | RelativePath;

/** `SNOMED-CT::450476008` or `SNOMED-CT::450476008|Not for CPR|` */
export interface TermCode extends Located {
  readonly kind: 'term-code';
  readonly terminology: string;
  readonly code: string;
  readonly term: string | undefined;
}

/** A bare `at0001` / `id1` used as a value. */
export interface NodeCode extends Located {
  readonly kind: 'node-code';
  readonly code: string;
}

/** A path relative to the predicate's node, used as a comparison operand inside brackets. */
export interface RelativePath extends Located {
  readonly kind: 'relative-path';
  readonly path: ObjectPath;
}

// ─── WHERE ──────────────────────────────────────────────────────────────────────────────────

export type WhereExpr = WhereBinary | WhereNot | ExistsExpr | ComparisonExpr | LikeExpr | MatchesExpr;

export interface WhereBinary extends Located {
  readonly kind: 'and' | 'or' | 'xor';
  readonly left: WhereExpr;
  readonly right: WhereExpr;
}

export interface WhereNot extends Located {
  readonly kind: 'not';
  readonly expr: WhereExpr;
}

export interface ExistsExpr extends Located {
  readonly kind: 'exists';
  readonly path: IdentifiedPath;
}

export type ComparisonOperator = '=' | '!=' | '>' | '>=' | '<' | '<=';

/** `path op terminal` or `function(...) op terminal`; the right side may be another path. */
export interface ComparisonExpr extends Located {
  readonly kind: 'comparison';
  readonly left: IdentifiedPath | FunctionCall;
  readonly operator: ComparisonOperator;
  readonly right: Terminal;
}

/** `path LIKE 'pat*tern?'` (AQL wildcards `*` and `?`) or `LIKE $param`. */
export interface LikeExpr extends Located {
  readonly kind: 'like';
  readonly path: IdentifiedPath;
  readonly pattern: StringLiteral | Parameter;
}

/** `path MATCHES {'a', 'b', $list}`, `MATCHES {TERMINOLOGY(...)}` or `MATCHES {uri}`. */
export interface MatchesExpr extends Located {
  readonly kind: 'matches';
  readonly path: IdentifiedPath;
  readonly operand: MatchesOperand;
}

export type MatchesOperand =
  | (Located & { readonly kind: 'value-list'; readonly items: readonly (Primitive | Parameter | TerminologyFunction)[] })
  | TerminologyFunction
  | (Located & { readonly kind: 'uri'; readonly uri: string });

export type Terminal = Primitive | Parameter | IdentifiedPath | FunctionCall;

// ─── values and functions ───────────────────────────────────────────────────────────────────

export type Primitive = StringLiteral | NumberLiteral | BooleanLiteral | NullLiteral | TemporalLiteral;

export interface StringLiteral extends Located {
  readonly kind: 'string';
  /** Unescaped. */
  readonly value: string;
}

export interface NumberLiteral extends Located {
  readonly kind: 'integer' | 'real';
  readonly value: number;
  /** As written (`1e10`, `-0.5`), so that large integers keep their digits. */
  readonly text: string;
}

export interface BooleanLiteral extends Located {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface NullLiteral extends Located {
  readonly kind: 'null';
}

/**
 * A quoted string the lexer recognised as an ISO 8601 date, time or date-time
 * (`'2021-03-04'`, `'10:00:00'`, `'2021-03-04T10:00:00Z'`). It compares as a temporal value
 * where the other side is temporal, and as a string otherwise.
 */
export interface TemporalLiteral extends Located {
  readonly kind: 'date' | 'time' | 'date-time';
  readonly value: string;
}

/** `$name`; the name without the dollar sign. */
export interface Parameter extends Located {
  readonly kind: 'parameter';
  readonly name: string;
}

export type AggregateFunctionName = 'COUNT' | 'MIN' | 'MAX' | 'SUM' | 'AVG';

export interface AggregateFunctionCall extends Located {
  readonly kind: 'aggregate';
  readonly name: AggregateFunctionName;
  readonly distinct: boolean;
  /** `COUNT(*)` has the argument '*'. */
  readonly argument: IdentifiedPath | '*';
}

/**
 * A function of the specification's library, upper-cased: string (LENGTH, CONTAINS, POSITION,
 * SUBSTRING, CONCAT, CONCAT_WS), numeric (ABS, MOD, CEIL, FLOOR, ROUND), date/time
 * (CURRENT_DATE, CURRENT_TIME, CURRENT_DATE_TIME, NOW, CURRENT_TIMEZONE). The parser accepts any
 * identifier followed by `(`; the compiler refuses names it does not know.
 */
export interface FunctionCall extends Located {
  readonly kind: 'function';
  readonly name: string;
  readonly args: readonly Terminal[];
}

/** `TERMINOLOGY('expand', 'hl7.org/fhir/4.0', 'url=…')` */
export interface TerminologyFunction extends Located {
  readonly kind: 'terminology';
  readonly operation: string;
  readonly serviceApi: string;
  readonly parameters: string;
}

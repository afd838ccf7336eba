import type {
  AggregateFunctionCall,
  AqlQuery,
  ClassExpression,
  ColumnExpr,
  ComparisonOperator,
  ContainsExpr,
  FunctionCall,
  IdentifiedPath,
  NodePredicate,
  ObjectPath,
  Parameter,
  Primitive,
  SourcePosition,
  Terminal,
  VersionClassExpression,
  WhereExpr,
} from '../ast.js';
import {
  getRmAttribute,
  isRmClass,
  isSubtypeOf,
  listRmAttributes,
  listRmClasses,
  listRmSubtypes,
  rmBaseTypeName,
} from '../../rm/rm-info.js';
import { parseIso8601 } from '../../rm/iso8601.js';
import { AqlCompileError } from './aql-compile-error.js';
import { JsonPathBuilder } from './json-path.js';
import { printPath } from './print-path.js';
import { SqlParams } from './sql-params.js';
import { printExists, printSelect, type SqlColumn, type SqlFromItem, type SqlOrder } from './sql-tree.js';
import {
  compareJson,
  jsonNumber,
  jsonText,
  literalCategory,
  orderedValue,
  orderedValueFor,
  orderingKey,
  type LiteralCategory,
  type SqlComparison,
  type TypedLiteral,
} from './sql-values.js';

/**
 * Which EHRs a query may see. `restricted` gives a SQL condition over the EHR's subject id
 * (the caller-bound access layer writes it), applied inside the query, never to its results.
 */
export type EhrScope =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'restricted';
      subjectCondition(subjectIdColumn: string, param: (value: unknown) => string): string;
    };

export interface AqlCompileOptions {
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly ehrScope: EhrScope;
  /** The request's window over the query's own LIMIT/OFFSET. */
  readonly offset?: number | undefined;
  readonly fetch?: number | undefined;
}

export interface AqlResultColumn {
  readonly name: string;
  readonly path?: string;
}

export interface CompiledAql {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly columns: readonly AqlResultColumn[];
  /**
   * The SQL column that names the EHRs behind each row: one ehr id per row, or, for aggregate
   * and DISTINCT queries, an array of the EHRs contributing to the row.
   */
  readonly ehrIdColumn: { readonly name: string; readonly aggregated: boolean };
  /** The RM type each column's values are declared with, where the path tells it. */
  readonly columnTypes: readonly (string | undefined)[];
}

export const EHR_ID_COLUMN = '__ehr';
const ROOT = 'e0';

/** Document types held as versions in object_version. */
const VERSIONED_TYPES = new Set(['COMPOSITION', 'EHR_STATUS', 'FOLDER']);

type Binding =
  | { readonly kind: 'ehr'; readonly alias: string }
  | { readonly kind: 'row'; readonly alias: string; readonly rmType: string }
  | { readonly kind: 'version'; readonly alias: string }
  | { readonly kind: 'node'; readonly alias: string; readonly rmType: string };

/** Where a class expression is being compiled into. */
interface Scope {
  readonly items: SqlFromItem[];
  readonly conditions: string[];
  /** Under an OR: joins are outer, and presence is tested in WHERE. */
  readonly optional: boolean;
  /** Collects the archetype ids every matching document must hold (undefined: not required). */
  readonly archetypes: string[] | undefined;
}

interface ValueRef {
  readonly from: readonly SqlFromItem[];
  /** A jsonb expression. */
  readonly expr: string;
}

type PathContext = 'where' | 'select' | 'scalar';

interface TrieNode {
  readonly part: ObjectPath[number] | undefined;
  readonly children: Map<string, TrieNode>;
  used: boolean;
  alias: string | undefined;
}

interface TrieRoot {
  readonly expr: string;
  readonly node: TrieNode;
}

export function compileAql(query: AqlQuery, options: AqlCompileOptions): CompiledAql {
  return new AqlCompiler(options).compile(query);
}

class AqlCompiler {
  private readonly params = new SqlParams();
  private readonly bindings = new Map<string, Binding>();
  private aliasCount = 0;
  private readonly tries = new Map<string, TrieRoot>();
  private readonly selectValues = new Map<IdentifiedPath, TrieNode>();

  constructor(private readonly options: AqlCompileOptions) {}

  compile(query: AqlQuery): CompiledAql {
    const scope: Scope = {
      items: [{ kind: 'table', table: 'ehr', alias: ROOT, optional: false, on: [] }],
      conditions: [],
      optional: false,
      archetypes: undefined,
    };
    const presence = this.containment(query.from, { kind: 'root' }, scope);
    // Every path of the query first registers in a tree per variable, so that paths sharing a
    // list share its iteration: one row per participation, not participations × participations,
    // and a WHERE condition filters the very values a column shows.
    for (const column of query.select.columns) this.registerColumn(column.expr);
    if (query.where) this.registerWhere(query.where);
    const aggregating = query.select.distinct || query.select.columns.some((column) => column.expr.kind === 'aggregate');
    for (const order of query.orderBy) {
      if (this.bindings.has(order.path.variable) && !aggregating) this.registerPath(order.path);
    }
    const laterals = this.emitTries();

    const where = [...scope.conditions];
    if (presence !== 'true') where.push(presence);
    if (query.where) where.push(this.where(query.where));
    where.push(this.scopeCondition());

    const columns: SqlColumn[] = [];
    const resultColumns: AqlResultColumn[] = [];
    const aggregate = query.select.columns.some((column) => column.expr.kind === 'aggregate');
    const grouped: number[] = [];
    query.select.columns.forEach((column, index) => {
      columns.push({ expr: this.column(column.expr), alias: `c${index}` });
      const path = column.expr.kind === 'identified-path' ? printPath(column.expr) : undefined;
      resultColumns.push({ name: column.alias ?? `#${index}`, ...(path !== undefined && { path }) });
      if (column.expr.kind !== 'aggregate') grouped.push(index + 1);
    });
    const groupBy = aggregate || query.select.distinct ? grouped : [];
    const aggregated = aggregate || query.select.distinct;
    columns.push({
      expr: aggregated ? `array_agg(DISTINCT ${ROOT}.ehr_id::text)` : `${ROOT}.ehr_id::text`,
      alias: EHR_ID_COLUMN,
    });

    // Instants and durations sort by what they denote, before anything sorts by its JSON.
    const orderBy: SqlOrder[] = query.orderBy.flatMap((order) => {
      const value = orderedValue(this.orderValue(order.path, query, columns, aggregated));
      const direction = order.direction === 'asc' ? 'ASC' : 'DESC';
      return [
        { expr: orderingKey(value), direction },
        { expr: value, direction },
      ];
    });

    const window = this.window(query);
    const sql = printSelect({
      kind: 'select',
      columns,
      from: [...scope.items, ...laterals],
      where,
      groupBy,
      orderBy,
      limit: window.limit,
      offset: window.offset,
    });
    const columnTypes = query.select.columns.map((column) => {
      const expr = column.expr;
      if (expr.kind === 'identified-path') return this.pathRmType(expr);
      if (expr.kind === 'aggregate' && (expr.name === 'MIN' || expr.name === 'MAX') && expr.argument !== '*')
        return this.pathRmType(expr.argument);
      return undefined;
    });
    return { sql, params: this.params.values, columns: resultColumns, ehrIdColumn: { name: EHR_ID_COLUMN, aggregated }, columnTypes };
  }

  // ─── FROM ───────────────────────────────────────────────────────────────────────────────

  private alias(prefix: string): string {
    return `${prefix}${++this.aliasCount}`;
  }

  private declare(variable: string | undefined, binding: Binding, position: SourcePosition): void {
    if (variable === undefined) return;
    if (this.bindings.has(variable)) throw new AqlCompileError(`The variable ${variable} is declared twice.`, position);
    this.bindings.set(variable, binding);
  }

  /** Compiles a containment expression into `scope`; returns the SQL condition that it is present. */
  private containment(expr: ContainsExpr, parent: Binding | { kind: 'root' }, scope: Scope): string {
    switch (expr.kind) {
      case 'contains-and': {
        const left = this.containment(expr.left, parent, scope);
        const right = this.containment(expr.right, parent, scope);
        return conjunction([left, right]);
      }
      case 'contains-or': {
        const optional: Scope = { ...scope, optional: true, archetypes: undefined };
        const acrossDocuments = parent.kind === 'root' || parent.kind === 'ehr' || isFolder(parent);
        if (acrossDocuments && (!declaresVariable(expr.left) || !declaresVariable(expr.right))) {
          // A side without variables only tests that the EHR holds such a document: it adds no rows.
          const side = (operand: ContainsExpr): string =>
            declaresVariable(operand) ? this.containment(operand, parent, optional) : this.existence(operand, parent);
          return `(${side(expr.left)} OR ${side(expr.right)})`;
        }
        if (!acrossDocuments) {
          // Within one node (a composition, a section, …) both sides' matches belong together:
          // the rows are those where either side is present, pairing what the node holds of each.
          // A side without variables only tests that something exists: the other side's
          // matches are the rows, or one row without them when only the test holds.
          const left = this.containment(expr.left, parent, optional);
          const right = this.containment(expr.right, parent, optional);
          return `(${left} OR ${right})`;
        }
        // Across documents, a union: every row comes from one side, which a discriminator names;
        // the other side's variables are null in it. Two compositions are never paired.
        const branch = this.alias('b');
        scope.items.push({ kind: 'lateral', call: '(VALUES (1), (2))', alias: branch, column: 'k', optional: scope.optional });
        const left = this.branch(expr.left, parent, optional, `${branch}.k = 1`);
        const right = this.branch(expr.right, parent, optional, `${branch}.k = 2`);
        return `((${branch}.k = 1 AND ${left}) OR (${branch}.k = 2 AND ${right}))`;
      }
      case 'version':
        return this.versionClass(expr, parent, scope);
      case 'class':
        if (parent.kind !== 'root' && parent.kind !== 'ehr' && !declaresVariable(expr)) {
          // A class without a variable (here or below) cannot be selected: it only says that
          // such a node exists, so it filters rather than joins (no row per match).
          const inner: Scope = { items: [], conditions: [], optional: false, archetypes: scope.optional ? undefined : scope.archetypes };
          const presence = this.classExpression(expr, parent, inner);
          return printExists(inner.items, presence === 'true' ? inner.conditions : [...inner.conditions, presence]);
        }
        return this.classExpression(expr, parent, scope);
    }
  }

  /** `EXISTS` over a containment below `parent`: it filters, and adds no row per match. */
  private existence(expr: ContainsExpr, parent: Binding | { kind: 'root' }): string {
    const inner: Scope = { items: [], conditions: [], optional: false, archetypes: undefined };
    const presence = this.containment(expr, parent, inner);
    return printExists(inner.items, presence === 'true' ? inner.conditions : [...inner.conditions, presence]);
  }

  /** One side of an OR: its joins only take part in the rows of its side (`guard`). */
  private branch(expr: ContainsExpr, parent: Binding | { kind: 'root' }, scope: Scope, guard: string): string {
    const start = scope.items.length;
    const presence = this.containment(expr, parent, scope);
    for (let index = start; index < scope.items.length; index++) {
      const item = scope.items[index];
      if (item) scope.items[index] = { ...item, on: [guard, ...(item.on ?? [])] };
    }
    return presence;
  }

  private contained(
    self: Binding,
    contains: { readonly not: boolean; readonly expr: ContainsExpr } | undefined,
    scope: Scope,
    archetypes: string[] | undefined,
  ): string {
    if (!contains) return 'true';
    if (!contains.not) return this.containment(contains.expr, self, { ...scope, archetypes });
    // NOT CONTAINS: no way of finding the sub-containment below this node. Its variables stay
    // inside the sub-query and cannot be used elsewhere.
    const inner: Scope = { items: [], conditions: [], optional: false, archetypes: undefined };
    const before = new Set(this.bindings.keys());
    const presence = this.containment(contains.expr, self, inner);
    for (const name of [...this.bindings.keys()]) if (!before.has(name)) this.bindings.delete(name);
    const conditions = [...inner.conditions];
    if (presence !== 'true') conditions.push(presence);
    return `NOT ${printExists(inner.items, conditions)}`;
  }

  private versionClass(expr: VersionClassExpression, parent: Binding | { kind: 'root' }, scope: Scope): string {
    if (parent.kind !== 'root' && parent.kind !== 'ehr' && !isFolder(parent)) {
      throw new AqlCompileError('VERSION may only be contained in an EHR or a FOLDER.', expr.position);
    }
    const alias = this.alias('v');
    const on = [`${alias}.ehr_id = ${ROOT}.ehr_id`, `${alias}.data IS NOT NULL`];
    if (isFolder(parent)) on.push(this.inFolder(parent, alias));
    const predicate = expr.predicate;
    if (predicate === undefined || predicate.kind === 'latest-version') on.push(`${alias}.is_latest`);
    const binding: Binding = { kind: 'version', alias };
    this.declare(expr.variable, binding, expr.position);
    const index = scope.items.length;
    scope.items.push({ kind: 'table', table: 'object_version', alias, optional: scope.optional, on });
    if (predicate?.kind === 'standard') on.push(this.nodeCondition(this.versionObject(alias), predicate));
    const archetypes: string[] = [];
    let presence = `${alias}.uid IS NOT NULL`;
    if (expr.contains) {
      const inner = versionedDocument(expr.contains.expr);
      if (expr.contains.not || inner.kind !== 'class' || !VERSIONED_TYPES.has(inner.rmType)) {
        throw new AqlCompileError(
          'A VERSION contains one COMPOSITION, EHR_STATUS or FOLDER, or content of a composition (a SECTION or an ENTRY).',
          inner.position,
        );
      }
      on.push(...this.documentConditions(alias, inner, archetypes, scope.optional));
      const self: Binding = { kind: 'row', alias, rmType: inner.rmType };
      this.declare(inner.variable, self, inner.position);
      presence = conjunction([presence, this.contained(self, inner.contains, scope, scope.optional ? undefined : archetypes)]);
    }
    this.narrowByArchetypes(scope, index, alias, archetypes);
    return presence;
  }

  private classExpression(expr: ClassExpression, parent: Binding | { kind: 'root' }, scope: Scope): string {
    const rmType = expr.rmType;
    if (rmType === 'EHR') {
      if (parent.kind !== 'root') throw new AqlCompileError('EHR can only be the outermost class in FROM.', expr.position);
      const binding: Binding = { kind: 'ehr', alias: ROOT };
      this.declare(expr.variable, binding, expr.position);
      if (expr.predicate) scope.conditions.push(this.ehrPredicate(expr.predicate));
      return this.contained(binding, expr.contains, scope, undefined);
    }
    if (!isRmClass(rmType)) throw new AqlCompileError(`${rmType} is not a class of the openEHR reference model.`, expr.position);

    if (VERSIONED_TYPES.has(rmType)) {
      if (parent.kind === 'root' || parent.kind === 'ehr' || (rmType === 'COMPOSITION' && isFolder(parent))) {
        return this.documentRow(expr, parent, scope);
      }
      if (!(rmType === 'FOLDER' && isFolder(parent))) {
        throw new AqlCompileError(`${rmType} cannot be contained in ${describe(parent)}.`, expr.position);
      }
      return this.folderNodes(expr, this.nodeExpr(parent), false, scope);
    }
    if (parent.kind === 'root' || parent.kind === 'ehr') {
      // An entry or structure with no document around it: look inside compositions.
      const alias = this.alias('c');
      const index = scope.items.length;
      const archetypes: string[] = [];
      scope.items.push({
        kind: 'table',
        table: 'object_version',
        alias,
        optional: scope.optional,
        on: this.implicitDocuments(alias, rmType),
      });
      const presence = this.nodeClass(
        expr,
        { kind: 'row', alias, rmType: 'COMPOSITION' },
        { ...scope, archetypes: scope.optional ? undefined : archetypes },
      );
      this.narrowByArchetypes(scope, index, alias, archetypes);
      return presence;
    }
    return this.nodeClass(expr, parent, scope);
  }

  /**
   * The documents a class with no document above it is looked for in: compositions (complete
   * ones), and for item structures and items also the EHR_STATUS (its other_details) — and so for
   * every class above ITEM_STRUCTURE too (DATA_STRUCTURE, LOCATABLE), whose matches must include
   * those of its subclasses.
   */
  private implicitDocuments(alias: string, rmType: string): string[] {
    const inStatus = isSubtypeOf(rmType, 'ITEM_STRUCTURE') || isSubtypeOf(rmType, 'ITEM') || isSubtypeOf('ITEM_STRUCTURE', rmType);
    const types = inStatus
      ? `(${alias}.object_type = 'COMPOSITION' AND ${alias}.lifecycle_state = 'complete' OR ${alias}.object_type = 'EHR_STATUS')`
      : `${alias}.object_type = 'COMPOSITION' AND ${alias}.lifecycle_state = 'complete'`;
    return [`${alias}.ehr_id = ${ROOT}.ehr_id`, types, `${alias}.is_latest`, `${alias}.data IS NOT NULL`];
  }

  /** A COMPOSITION, EHR_STATUS or FOLDER of the EHR: its latest version's row. */
  private documentRow(expr: ClassExpression, parent: Binding | { kind: 'root' }, scope: Scope): string {
    const alias = this.alias(expr.rmType === 'COMPOSITION' ? 'c' : expr.rmType === 'FOLDER' ? 'f' : 's');
    const archetypes: string[] = [];
    const on = [`${alias}.ehr_id = ${ROOT}.ehr_id`, `${alias}.is_latest`];
    if (expr.rmType === 'FOLDER') {
      // The directory is one document; a FOLDER variable ranges over it and every sub-folder.
      on.push(`${alias}.object_type = 'FOLDER'`, `${alias}.data IS NOT NULL`);
      scope.items.push({ kind: 'table', table: 'object_version', alias, optional: scope.optional, on });
      return conjunction([`${alias}.uid IS NOT NULL`, this.folderNodes(expr, `${alias}.data`, true, scope)]);
    }
    on.push(...this.documentConditions(alias, expr, archetypes, scope.optional));
    if (isFolder(parent)) {
      // A folder holds references to compositions (OBJECT_REF ids, with or without version).
      on.push(this.inFolder(parent, alias));
    }
    const index = scope.items.length;
    scope.items.push({ kind: 'table', table: 'object_version', alias, optional: scope.optional, on });
    const binding: Binding = { kind: 'row', alias, rmType: expr.rmType };
    this.declare(expr.variable, binding, expr.position);
    const presence = conjunction([
      `${alias}.uid IS NOT NULL`,
      this.contained(binding, expr.contains, scope, scope.optional ? undefined : archetypes),
    ]);
    this.narrowByArchetypes(scope, index, alias, archetypes);
    return presence;
  }

  /** The version row `alias` is referred to by the folder or one below it (OBJECT_REF ids, with or without version). */
  private inFolder(folder: Binding, alias: string): string {
    return (
      `EXISTS (SELECT 1 FROM jsonb_path_query(${this.nodeExpr(folder)}, 'lax $.**.items.id.value') AS fi(v) ` +
      `WHERE lower(split_part(fi.v #>> '{}', '::', 1)) = ${alias}.uid::text)`
    );
  }

  /** The folders of a directory document (with the folder itself, or only those below it). */
  private folderNodes(expr: ClassExpression, source: string, includeSelf: boolean, scope: Scope): string {
    // Sub-folders are FOLDER by declaration, so canonical JSON may leave out their _type.
    const below = `jsonb_path_query(${source}, ${this.params.bind('strict $.**{0 to last} ? (exists(@.folders)).folders[*]', 'jsonpath')})`;
    const nodes = includeSelf ? `(SELECT ${source} UNION ALL SELECT ${below})` : `(SELECT ${below})`;
    const alias = this.alias('f');
    const filter = expr.predicate ? ` WHERE ${this.nodeCondition('fx.node', expr.predicate)}` : '';
    scope.items.push({
      kind: 'lateral',
      call: `(SELECT fx.node FROM ${nodes} AS fx(node)${filter})`,
      alias,
      column: 'node',
      optional: scope.optional,
    });
    const binding: Binding = { kind: 'node', alias, rmType: 'FOLDER' };
    this.declare(expr.variable, binding, expr.position);
    return conjunction([`${alias}.node IS NOT NULL`, this.contained(binding, expr.contains, scope, undefined)]);
  }

  /** Conditions on a version row holding a document of the class expression's type. */
  private documentConditions(alias: string, expr: ClassExpression, archetypes: string[], optional: boolean): string[] {
    const on = [`${alias}.object_type = '${expr.rmType}'`, `${alias}.data IS NOT NULL`];
    // Product decision: a draft (incomplete) composition is never current, so queries skip it.
    if (expr.rmType === 'COMPOSITION') on.push(`${alias}.lifecycle_state = 'complete'`);
    const predicate = expr.predicate;
    if (predicate) {
      const archetypeId = predicateArchetypeId(predicate);
      if (archetypeId !== undefined && !optional) archetypes.push(archetypeId);
      if (archetypeId !== undefined && predicateNameless(predicate)) {
        on.push(`${alias}.archetype_node_id = ${this.params.bind(archetypeId, 'text')}`);
      } else {
        on.push(this.nodeCondition(`${alias}.data`, predicate));
      }
    }
    return on;
  }

  private narrowByArchetypes(scope: Scope, index: number, alias: string, archetypes: readonly string[]): void {
    if (archetypes.length === 0) return;
    const item = scope.items[index];
    if (item?.kind !== 'table') return;
    const ids = [...new Set(archetypes)].sort();
    scope.items[index] = { ...item, on: [...item.on, `${alias}.archetypes @> ${this.params.bind(ids, 'text[]')}`] };
  }

  /** An entry, structure or item below a node: every matching descendant, one row each. */
  private nodeClass(expr: ClassExpression, parent: Binding, scope: Scope): string {
    const types = listRmSubtypes(expr.rmType, { concreteOnly: true });
    if (types.length === 0) throw new AqlCompileError(`${expr.rmType} has no concrete classes to match.`, expr.position);
    const builder = new JsonPathBuilder(this.options.parameters);
    const typeTest = types.map((type) => `@._type == ${JSON.stringify(type)}`).join(' || ');
    const filters = [`(${typeTest})`];
    if (expr.predicate) {
      filters.push(`(${builder.filter(expr.predicate)})`);
      const archetypeId = predicateArchetypeId(expr.predicate);
      if (archetypeId !== undefined && archetypeId.startsWith('openEHR-')) scope.archetypes?.push(archetypeId);
    }
    const alias = this.alias('n');
    const source = this.nodeExpr(parent);
    const predicate = filters
      .slice(1)
      .map((filter) => ` && ${filter}`)
      .join('');
    const searches = [`strict $.**{1 to last} ? (${filters.join(' && ')})`];
    // Canonical JSON may leave out `_type` where the attribute's declared type says it (an
    // OBSERVATION's HISTORY, a COMPOSITION's EVENT_CONTEXT): find those by where they stand.
    for (const slot of untypedSlots(types)) {
      searches.push(
        `strict $.**{0 to last} ? (@._type == ${JSON.stringify(slot.owner)} && exists(@.${JSON.stringify(slot.attribute)}))` +
          `.${JSON.stringify(slot.attribute)}${slot.multiple ? '[*]' : ''} ? (!exists(@.keyvalue() ? (@.key == "_type"))${predicate})`,
      );
    }
    const calls = searches.map((search) => this.pathCall('jsonb_path_query', source, search, builder));
    const call = calls.length === 1 ? (calls[0] ?? '') : `(SELECT ${calls.join(' UNION ALL SELECT ')})`;
    scope.items.push({ kind: 'lateral', call, alias, column: 'node', optional: scope.optional });
    const binding: Binding = { kind: 'node', alias, rmType: expr.rmType };
    this.declare(expr.variable, binding, expr.position);
    return conjunction([`${alias}.node IS NOT NULL`, this.contained(binding, expr.contains, scope, scope.archetypes)]);
  }

  private pathCall(fn: string, target: string, path: string, builder: JsonPathBuilder): string {
    const vars = Object.keys(builder.vars).length > 0 ? `, ${this.params.json(builder.vars)}` : '';
    return `${fn}(${target}, ${this.params.bind(path, 'jsonpath')}${vars})`;
  }

  /** A node predicate tested on one jsonb document (`[…]` on a class or version). */
  private nodeCondition(target: string, predicate: NodePredicate): string {
    const builder = new JsonPathBuilder(this.options.parameters);
    return this.pathCall('jsonb_path_exists', target, `lax $ ? (${builder.filter(predicate)})`, builder);
  }

  private ehrPredicate(predicate: NodePredicate): string {
    if (
      predicate.kind === 'standard' &&
      predicate.operator === '=' &&
      predicate.path.length === 2 &&
      predicate.path[0]?.attribute === 'ehr_id' &&
      predicate.path[1]?.attribute === 'value'
    ) {
      const value = predicate.value;
      const id = value.kind === 'string' ? value.value : value.kind === 'parameter' ? this.parameterValue(value) : undefined;
      if (id !== undefined) return this.ehrIdEquals(id);
    }
    return this.nodeCondition(this.ehrObject(ROOT, false), predicate);
  }

  private ehrIdEquals(value: unknown): string {
    return typeof value === 'string' && UUID.test(value) ? `${ROOT}.ehr_id = ${this.params.bind(value.toLowerCase(), 'uuid')}` : 'false';
  }

  private scopeCondition(): string {
    const scope = this.options.ehrScope;
    switch (scope.kind) {
      case 'all':
        return 'true';
      case 'restricted':
        return scope.subjectCondition(`${ROOT}.subject_id`, (value) => {
          this.params.values.push(value);
          return `$${this.params.values.length}`;
        });
    }
  }

  // ─── objects and paths ──────────────────────────────────────────────────────────────────

  private nodeExpr(binding: Binding): string {
    switch (binding.kind) {
      case 'ehr':
        return this.ehrObject(binding.alias, false);
      case 'row':
        return `${binding.alias}.data`;
      case 'version':
        return this.versionObject(binding.alias);
      case 'node':
        return `${binding.alias}.node`;
    }
  }

  /** The EHR as an RM object; its ehr_status is the current EHR_STATUS document when asked for. */
  private ehrObject(alias: string, withStatus: boolean): string {
    const status = withStatus
      ? this.statusDocument(alias)
      : `jsonb_build_object('_type', 'OBJECT_REF', 'namespace', 'local', 'type', 'EHR_STATUS', 'id', jsonb_build_object('_type', 'OBJECT_VERSION_ID', 'value', ${alias}.ehr_status_uid::text || '::' || ${alias}.system_id || '::1'))`;
    return (
      `jsonb_build_object('_type', 'EHR', ` +
      `'system_id', jsonb_build_object('_type', 'HIER_OBJECT_ID', 'value', ${alias}.system_id), ` +
      `'ehr_id', jsonb_build_object('_type', 'HIER_OBJECT_ID', 'value', ${alias}.ehr_id::text), ` +
      `'time_created', jsonb_build_object('_type', 'DV_DATE_TIME', 'value', ${isoInstant(`${alias}.time_created`)}), ` +
      `'ehr_status', ${status})`
    );
  }

  private statusDocument(alias: string): string {
    return `(SELECT st.data FROM object_version st WHERE st.ehr_id = ${alias}.ehr_id AND st.object_type = 'EHR_STATUS' AND st.is_latest)`;
  }

  /** An ORIGINAL_VERSION made from a version row: its audit, lifecycle state and data. */
  private versionObject(alias: string): string {
    const coded = (value: string, codes: string): string =>
      `jsonb_build_object('_type', 'DV_CODED_TEXT', 'value', ${value}, 'defining_code', jsonb_build_object('_type', 'CODE_PHRASE', ` +
      `'terminology_id', jsonb_build_object('_type', 'TERMINOLOGY_ID', 'value', 'openehr'), 'code_string', CASE ${value} ${codes} END, ` +
      // The openEHR terminology's rubric of the code is the stored value itself ('creation' for 249).
      `'preferred_term', ${value}))`;
    const uid = `${alias}.data->'uid'->>'value'`;
    return (
      `jsonb_build_object('_type', 'ORIGINAL_VERSION', ` +
      `'uid', jsonb_build_object('_type', 'OBJECT_VERSION_ID', 'value', ${uid}), ` +
      `'preceding_version_uid', CASE WHEN ${alias}.version > 1 THEN jsonb_build_object('_type', 'OBJECT_VERSION_ID', 'value', ` +
      `${alias}.uid::text || '::' || split_part(${uid}, '::', 2) || '::' || (${alias}.version - 1)) END, ` +
      `'contribution', jsonb_build_object('_type', 'OBJECT_REF', 'namespace', 'local', 'type', 'CONTRIBUTION', ` +
      `'id', jsonb_build_object('_type', 'HIER_OBJECT_ID', 'value', ${alias}.contribution_id::text)), ` +
      `'commit_audit', jsonb_build_object('_type', 'AUDIT_DETAILS', ` +
      `'system_id', split_part(${uid}, '::', 2), ` +
      `'time_committed', jsonb_build_object('_type', 'DV_DATE_TIME', 'value', ${isoInstant(`${alias}.time_committed`)}), ` +
      `'change_type', ${coded(`${alias}.change_type`, CHANGE_TYPE_CODES)}, ` +
      `'committer', ${alias}.committer, ` +
      `'description', CASE WHEN ${alias}.description IS NOT NULL THEN jsonb_build_object('_type', 'DV_TEXT', 'value', ${alias}.description) END), ` +
      `'lifecycle_state', ${coded(`${alias}.lifecycle_state`, LIFECYCLE_CODES)}, ` +
      `'data', ${alias}.data)`
    );
  }

  private binding(path: IdentifiedPath): Binding {
    const binding = this.bindings.get(path.variable);
    if (!binding) throw new AqlCompileError(`The variable ${path.variable} is not declared in FROM.`, path.position);
    return binding;
  }

  /** The declared RM type of a path's values, followed through the RM's attributes. */
  private pathRmType(path: IdentifiedPath): string | undefined {
    const binding = this.bindings.get(path.variable);
    if (!binding) return undefined;
    let type = binding.kind === 'ehr' ? 'EHR' : binding.kind === 'version' ? 'ORIGINAL_VERSION' : binding.rmType;
    for (const [index, part] of path.path.entries()) {
      if (binding.kind === 'ehr' && index === 0 && part.attribute === 'ehr_status') {
        type = 'EHR_STATUS';
        continue;
      }
      const attribute = getRmAttribute(type, part.attribute);
      if (!attribute) return undefined;
      type = attribute.type;
    }
    return type;
  }

  /** Where navigation of a path starts: the object, and the steps that remain. */
  private pathRoot(path: IdentifiedPath): { key: string; expr: string; steps: ObjectPath } {
    const binding = this.binding(path);
    const first = path.path[0];
    if (binding.kind === 'ehr' && first?.attribute === 'ehr_status' && first.predicate === undefined && path.path.length > 0) {
      return { key: `${path.variable}/ehr_status`, expr: this.statusDocument(binding.alias), steps: path.path.slice(1) };
    }
    if (binding.kind === 'version' && first?.attribute === 'data' && first.predicate === undefined) {
      return { key: `${path.variable}/data`, expr: `${binding.alias}.data`, steps: path.path.slice(1) };
    }
    return { key: path.variable, expr: this.nodeExpr(binding), steps: path.path };
  }

  private pathText(path: IdentifiedPath, steps: ObjectPath, builder: JsonPathBuilder): string {
    const self = path.predicate ? ` ? (${builder.filter(path.predicate)})` : '';
    return `lax $${self}${builder.steps(steps)}`;
  }

  /** The values of a path, as a context needs them. */
  private pathValue(path: IdentifiedPath, context: PathContext): ValueRef {
    const node = this.selectValues.get(path);
    if (node?.alias) return { from: [], expr: `${node.alias}.v` };
    const root = this.pathRoot(path);
    if (root.steps.length === 0 && !path.predicate) return { from: [], expr: root.expr };
    const builder = new JsonPathBuilder(this.options.parameters);
    const text = this.pathText(path, root.steps, builder);
    if (context === 'scalar') return { from: [], expr: this.pathCall('jsonb_path_query_first', root.expr, text, builder) };
    const alias = this.alias('w');
    return {
      from: [{ kind: 'lateral', call: this.pathCall('jsonb_path_query', root.expr, text, builder), alias, column: 'v', optional: false }],
      expr: `${alias}.v`,
    };
  }

  // ─── SELECT ─────────────────────────────────────────────────────────────────────────────

  private registerColumn(expr: ColumnExpr | Terminal): void {
    switch (expr.kind) {
      case 'identified-path':
        this.registerPath(expr);
        return;
      case 'aggregate':
        if (expr.argument !== '*') this.registerPath(expr.argument);
        return;
      case 'function':
        for (const arg of expr.args) this.registerColumn(arg);
        return;
      default:
        return;
    }
  }

  private registerWhere(expr: WhereExpr): void {
    switch (expr.kind) {
      case 'and':
      case 'or':
      case 'xor':
        this.registerWhere(expr.left);
        this.registerWhere(expr.right);
        return;
      case 'not':
        this.registerWhere(expr.expr);
        return;
      case 'exists':
      case 'like':
      case 'matches':
        this.registerPath(expr.path);
        return;
      case 'comparison':
        this.registerColumn(expr.left);
        this.registerColumn(expr.right);
        return;
    }
  }

  private registerPath(path: IdentifiedPath): void {
    if (!this.bindings.has(path.variable)) return;
    const root = this.pathRoot(path);
    if (root.steps.length === 0 && !path.predicate) return;
    const key = `${root.key}${path.predicate ? `[${printPredicateKey(path.predicate)}]` : ''}`;
    let trie = this.tries.get(key);
    if (!trie) {
      const base = path.predicate ? this.filteredRoot(root.expr, path) : root.expr;
      trie = { expr: base, node: { part: undefined, children: new Map(), used: false, alias: undefined } };
      this.tries.set(key, trie);
    }
    let node = trie.node;
    for (const part of root.steps) {
      const partKey = `${part.attribute}[${part.predicate ? printPredicateKey(part.predicate) : ''}]`;
      let child = node.children.get(partKey);
      if (!child) {
        child = { part, children: new Map(), used: false, alias: undefined };
        node.children.set(partKey, child);
      }
      node = child;
    }
    node.used = true;
    this.selectValues.set(path, node);
  }

  private filteredRoot(expr: string, path: IdentifiedPath): string {
    const builder = new JsonPathBuilder(this.options.parameters);
    return this.pathCall('jsonb_path_query_first', expr, this.pathText(path, [], builder), builder);
  }

  /** One outer lateral join per list where select paths branch, and per selected value. */
  private emitTries(): SqlFromItem[] {
    const items: SqlFromItem[] = [];
    const visit = (node: TrieNode, base: string, pending: ObjectPath): void => {
      for (const child of node.children.values()) {
        const steps = child.part ? [...pending, child.part] : pending;
        // Every step is its own outer join: a list yields one row per item, and an item that
        // lacks the rest of the path still yields its row, with null (as EHRbase answers).
        if (child.part !== undefined) {
          const builder = new JsonPathBuilder(this.options.parameters);
          const alias = this.alias('s');
          const call = this.pathCall('jsonb_path_query', base, `lax $${builder.steps(steps)}`, builder);
          items.push({ kind: 'lateral', call, alias, column: 'v', optional: true });
          child.alias = alias;
          visit(child, `${alias}.v`, []);
        } else {
          visit(child, base, steps);
        }
      }
    };
    for (const trie of this.tries.values()) visit(trie.node, trie.expr, []);
    return items;
  }

  private column(expr: ColumnExpr): string {
    switch (expr.kind) {
      case 'identified-path':
        return this.pathValue(expr, 'select').expr;
      case 'aggregate':
        return this.aggregate(expr);
      case 'function':
        return this.functionCall(expr, 'select').expr;
      case 'parameter':
        return this.params.json(this.parameterValue(expr));
      default:
        return this.params.json(primitiveValue(expr));
    }
  }

  private aggregate(expr: AggregateFunctionCall): string {
    if (expr.argument === '*') {
      if (expr.name !== 'COUNT') throw new AqlCompileError(`${expr.name}(*) is not a function; only COUNT(*) is.`, expr.position);
      return 'to_jsonb(count(*))';
    }
    const value = this.pathValue(expr.argument, 'select').expr;
    const distinct = expr.distinct ? 'DISTINCT ' : '';
    const present = `${value} IS NOT NULL AND ${value} <> 'null'::jsonb`;
    switch (expr.name) {
      case 'COUNT':
        return `to_jsonb(count(${distinct}${value}) FILTER (WHERE ${present}))`;
      case 'MIN':
      case 'MAX': {
        const direction = expr.name === 'MIN' ? 'ASC' : 'DESC';
        const ordered = orderedValue(value);
        return `(array_agg(${value} ORDER BY ${orderingKey(ordered)} ${direction}, ${ordered} ${direction}) FILTER (WHERE ${present}))[1]`;
      }
      case 'SUM':
      case 'AVG': {
        // Only numbers add up: a whole data value or a string makes the query fail (a cast that
        // cannot succeed, named so the service can tell the caller why), never silently skipped.
        const number = jsonNumber(value);
        const checked = `CASE WHEN ${number} IS NOT NULL OR NOT (${present}) THEN ${number} ELSE (${jsonText(value)} || ' needs numbers')::numeric END`;
        return `to_jsonb(${expr.name.toLowerCase()}(${distinct}${checked}))`;
      }
    }
  }

  private orderValue(path: IdentifiedPath, query: AqlQuery, columns: readonly SqlColumn[], grouped: boolean): string {
    if (path.path.length === 0 && !path.predicate && !this.bindings.has(path.variable)) {
      const index = query.select.columns.findIndex((column) => column.alias === path.variable);
      const column = columns[index];
      if (index < 0 || !column) throw new AqlCompileError(`ORDER BY ${path.variable}: no such variable or column alias.`, path.position);
      return column.expr;
    }
    const text = printPath(path);
    const index = query.select.columns.findIndex((column) => column.expr.kind === 'identified-path' && printPath(column.expr) === text);
    const column = columns[index];
    if (index >= 0 && column) return column.expr;
    if (grouped) throw new AqlCompileError(`ORDER BY ${text}: with aggregates or DISTINCT, order by a selected column.`, path.position);
    return this.pathValue(path, 'scalar').expr;
  }

  private window(query: AqlQuery): { limit: string | undefined; offset: string | undefined } {
    const queryOffset = query.limit?.offset ?? 0;
    const queryLimit = query.limit?.limit ?? query.select.top?.count;
    const start = queryOffset + (this.options.offset ?? 0);
    let end = queryLimit !== undefined ? queryOffset + queryLimit : undefined;
    if (this.options.fetch !== undefined) end = Math.min(end ?? Infinity, start + this.options.fetch);
    return {
      limit: end !== undefined ? this.params.bind(Math.max(0, end - start), 'integer') : undefined,
      offset: start > 0 ? this.params.bind(start, 'integer') : undefined,
    };
  }

  // ─── WHERE ──────────────────────────────────────────────────────────────────────────────

  private where(expr: WhereExpr): string {
    switch (expr.kind) {
      case 'and':
        return `(${this.where(expr.left)}) AND (${this.where(expr.right)})`;
      case 'or':
        return `(${this.where(expr.left)}) OR (${this.where(expr.right)})`;
      case 'xor':
        return `coalesce((${this.where(expr.left)}), false) <> coalesce((${this.where(expr.right)}), false)`;
      case 'not':
        return `NOT coalesce((${this.where(expr.expr)}), false)`;
      case 'exists':
        return this.exists(expr.path);
      case 'comparison':
        return this.comparison(expr.left, expr.operator, expr.right);
      case 'like':
        return this.like(expr.path, expr.pattern.kind === 'string' ? expr.pattern.value : this.parameterValue(expr.pattern), expr.position);
      case 'matches':
        return this.matches(expr);
    }
  }

  private exists(path: IdentifiedPath): string {
    const value = this.pathValue(path, 'where');
    return this.withValues([value], `${value.expr} IS NOT NULL AND ${value.expr} <> 'null'::jsonb`);
  }

  private withValues(values: readonly ValueRef[], condition: string): string {
    const from = values.flatMap((value) => value.from);
    return from.length > 0 ? printExists(from, [condition]) : condition;
  }

  private comparison(left: IdentifiedPath | FunctionCall, operator: ComparisonOperator, right: Terminal): string {
    const op: SqlComparison = operator === '!=' ? '<>' : operator;
    if (left.kind === 'identified-path' && this.isEhrIdPath(left) && operator === '=') {
      const value = right.kind === 'string' ? right.value : right.kind === 'parameter' ? this.parameterValue(right) : undefined;
      if (value !== undefined) return this.ehrIdEquals(value);
    }
    const rightValue = right.kind === 'parameter' ? this.parameterValue(right) : right.kind === 'null' ? null : undefined;
    const objectId = right.kind === 'string' ? right.value : rightValue;
    if (left.kind === 'identified-path' && (operator === '=' || operator === '!=') && typeof objectId === 'string' && UUID.test(objectId)) {
      const row = this.documentUidRow(left);
      // A bare object id names the versioned object: the row is its version in the query.
      if (row !== undefined) return `${row}.uid ${op} ${this.params.bind(objectId.toLowerCase(), 'uuid')}`;
    }
    if (right.kind === 'null' || (right.kind === 'parameter' && rightValue === null)) {
      const exists = left.kind === 'identified-path' ? this.exists(left) : `${this.functionCall(left, 'where').expr} IS NOT NULL`;
      if (operator === '=') return `NOT ${exists}`;
      if (operator === '!=') return exists;
      return 'false';
    }
    if (Array.isArray(rightValue)) {
      throw new AqlCompileError(`The parameter $${(right as Parameter).name} holds a list: compare with MATCHES.`, right.position);
    }
    const leftValue = this.terminal(left, 'where');
    if (right.kind === 'identified-path' || right.kind === 'function') {
      const other = this.terminal(right, 'where');
      return this.withValues([leftValue, other], compareJson(orderedValue(leftValue.expr), op, orderedValue(other.expr)));
    }
    const literal = right.kind === 'parameter' ? rightValue : primitiveValue(right);
    const category = literalCategory(literal);
    const typed = orderedValueFor(leftValue.expr, category);
    return this.withValues([leftValue], compareJson(typed, op, this.params.json(literal), this.typedLiteral(literal, category)));
  }

  /** A date-time, date or duration literal as the typed parameters its comparison needs. */
  private typedLiteral(literal: unknown, category: LiteralCategory): TypedLiteral {
    const other: TypedLiteral = { kind: 'other' };
    if (typeof literal !== 'string') return other;
    switch (category) {
      case 'date-time':
        return isValidInstant(literal)
          ? { kind: 'date-time', instant: this.params.bind(literal, 'timestamptz'), text: this.params.bind(literal, 'text') }
          : other;
      case 'date':
        return { kind: 'date', text: this.params.bind(literal, 'text') };
      case 'duration': {
        const parsed = parseIso8601('duration', literal.replaceAll(',', '.'));
        return parsed.ok ? { kind: 'duration', seconds: this.params.bind(parsed.value.magnitude, 'numeric') } : other;
      }
      default:
        return other;
    }
  }

  /** The version row alias when `path` is `uid/value` of a COMPOSITION, EHR_STATUS or FOLDER document row. */
  private documentUidRow(path: IdentifiedPath): string | undefined {
    const binding = this.bindings.get(path.variable);
    const [first, second] = path.path;
    const plain =
      !path.predicate &&
      path.path.length === 2 &&
      first?.attribute === 'uid' &&
      second?.attribute === 'value' &&
      !first.predicate &&
      !second.predicate;
    return plain && binding?.kind === 'row' ? binding.alias : undefined;
  }

  private isEhrIdPath(path: IdentifiedPath): boolean {
    const binding = this.bindings.get(path.variable);
    return (
      binding?.kind === 'ehr' &&
      !path.predicate &&
      path.path.length === 2 &&
      path.path[0]?.attribute === 'ehr_id' &&
      path.path[1]?.attribute === 'value' &&
      !path.path[0].predicate &&
      !path.path[1].predicate
    );
  }

  private like(path: IdentifiedPath, pattern: unknown, position: SourcePosition): string {
    if (typeof pattern !== 'string') throw new AqlCompileError('LIKE needs a string pattern.', position);
    const value = this.pathValue(path, 'where');
    const text = orderedValue(value.expr, { text: true });
    return this.withValues(
      [value],
      `jsonb_typeof(${text}) = 'string' AND ${jsonText(text)} LIKE ${this.params.bind(likePattern(pattern), 'text')}`,
    );
  }

  private matches(expr: Extract<WhereExpr, { kind: 'matches' }>): string {
    const operand = expr.operand;
    if (operand.kind === 'terminology') throw terminologyError(operand.position);
    if (operand.kind === 'uri') {
      throw new AqlCompileError(
        'MATCHES with a terminology URI needs a terminology service, which this server does not have.',
        operand.position,
      );
    }
    const values: unknown[] = [];
    for (const item of operand.items) {
      if (item.kind === 'terminology') throw terminologyError(item.position);
      const value = item.kind === 'parameter' ? this.parameterValue(item) : primitiveValue(item);
      if (Array.isArray(value)) values.push(...(value as unknown[]));
      else values.push(value);
    }
    if (this.isEhrIdPath(expr.path)) {
      const ids = values.filter((value): value is string => typeof value === 'string' && UUID.test(value)).map((id) => id.toLowerCase());
      return `${ROOT}.ehr_id = ANY(${this.params.bind(ids, 'uuid[]')})`;
    }
    const value = this.pathValue(expr.path, 'where');
    return this.withValues([value], `${this.params.json(values)} @> jsonb_build_array(${orderedValue(value.expr, { text: true })})`);
  }

  // ─── terminals and functions ────────────────────────────────────────────────────────────

  private terminal(terminal: Terminal, context: PathContext): ValueRef {
    switch (terminal.kind) {
      case 'identified-path':
        return this.pathValue(terminal, context);
      case 'function':
        return this.functionCall(terminal, context);
      case 'parameter':
        return { from: [], expr: this.params.json(this.parameterValue(terminal)) };
      default:
        return { from: [], expr: this.params.json(primitiveValue(terminal)) };
    }
  }

  private functionCall(call: FunctionCall, context: PathContext): ValueRef {
    const name = call.name.toUpperCase();
    const signature = FUNCTIONS[name];
    if (!signature) {
      if (name === 'TERMINOLOGY') throw terminologyError(call.position);
      throw new AqlCompileError(`There is no function ${call.name}.`, call.position);
    }
    const [min, max] = signature.arity;
    if (call.args.length < min || call.args.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw new AqlCompileError(`${name} takes ${expected} argument${max === 1 ? '' : 's'}, not ${call.args.length}.`, call.position);
    }
    call.args.forEach((arg, index) => {
      const kind = signature.argument(index);
      const literal =
        arg.kind === 'parameter'
          ? this.parameterValue(arg)
          : arg.kind === 'identified-path' || arg.kind === 'function'
            ? undefined
            : primitiveValue(arg);
      if (literal === undefined || literal === null) return;
      if (kind === 'number' && typeof literal !== 'number') {
        throw new AqlCompileError(`Argument ${index + 1} of ${name} must be a number.`, arg.position);
      }
      if (kind === 'string' && typeof literal !== 'string') {
        throw new AqlCompileError(`Argument ${index + 1} of ${name} must be a string.`, arg.position);
      }
    });
    const args = call.args.map((arg) => this.terminal(arg, context));
    const text = (index: number): string => jsonText(orderedValue(args[index]?.expr ?? 'NULL', { text: true }));
    const number = (index: number): string => jsonNumber(orderedValue(args[index]?.expr ?? 'NULL'));
    const from = args.flatMap((arg) => arg.from);
    return { from, expr: `to_jsonb(${signature.sql(text, number, args.length)})` };
  }

  private parameterValue(parameter: Parameter): unknown {
    if (!Object.hasOwn(this.options.parameters, parameter.name)) {
      throw new AqlCompileError(`No value was given for the parameter $${parameter.name}.`, parameter.position);
    }
    return this.options.parameters[parameter.name];
  }
}

interface FunctionSignature {
  readonly arity: readonly [number, number];
  argument(index: number): 'string' | 'number' | 'any';
  sql(text: (index: number) => string, number: (index: number) => string, count: number): string;
}

const strings = (): 'string' => 'string';
const numbers = (): 'number' => 'number';

const FUNCTIONS: Readonly<Record<string, FunctionSignature>> = {
  LENGTH: { arity: [1, 1], argument: strings, sql: (t) => `length(${t(0)})` },
  CONTAINS: { arity: [2, 2], argument: strings, sql: (t) => `strpos(${t(0)}, ${t(1)}) > 0` },
  POSITION: { arity: [2, 2], argument: strings, sql: (t) => `strpos(${t(1)}, ${t(0)})` },
  SUBSTRING: {
    arity: [2, 3],
    argument: (index) => (index === 0 ? 'string' : 'number'),
    sql: (t, n, count) => (count === 3 ? `substr(${t(0)}, (${n(1)})::int, (${n(2)})::int)` : `substr(${t(0)}, (${n(1)})::int)`),
  },
  CONCAT: { arity: [1, Infinity], argument: () => 'any', sql: (t, _n, count) => `concat(${range(count).map(t).join(', ')})` },
  CONCAT_WS: {
    arity: [2, Infinity],
    argument: (index) => (index === 0 ? 'string' : 'any'),
    sql: (t, _n, count) => `concat_ws(${range(count).map(t).join(', ')})`,
  },
  ABS: { arity: [1, 1], argument: numbers, sql: (_t, n) => `abs(${n(0)})` },
  MOD: { arity: [2, 2], argument: numbers, sql: (_t, n) => `mod(${n(0)}, ${n(1)})` },
  CEIL: { arity: [1, 1], argument: numbers, sql: (_t, n) => `ceil(${n(0)})` },
  FLOOR: { arity: [1, 1], argument: numbers, sql: (_t, n) => `floor(${n(0)})` },
  ROUND: { arity: [1, 2], argument: numbers, sql: (_t, n, count) => (count === 2 ? `round(${n(0)}, (${n(1)})::int)` : `round(${n(0)})`) },
  CURRENT_DATE: { arity: [0, 0], argument: () => 'any', sql: () => `to_char(current_date, 'YYYY-MM-DD')` },
  CURRENT_TIME: { arity: [0, 0], argument: () => 'any', sql: () => `to_char(now(), 'HH24:MI:SS.USTZH:TZM')` },
  CURRENT_DATE_TIME: { arity: [0, 0], argument: () => 'any', sql: () => `to_char(now(), 'YYYY-MM-DD"T"HH24:MI:SS.USTZH:TZM')` },
  NOW: { arity: [0, 0], argument: () => 'any', sql: () => `to_char(now(), 'YYYY-MM-DD"T"HH24:MI:SS.USTZH:TZM')` },
  CURRENT_TIMEZONE: { arity: [0, 0], argument: () => 'any', sql: () => `to_char(now(), 'TZH:TZM')` },
};

interface UntypedSlot {
  readonly owner: string;
  readonly attribute: string;
  readonly multiple: boolean;
}

const untypedSlotCache = new Map<string, readonly UntypedSlot[]>();

/** Attributes of concrete LOCATABLE classes whose declared type is one of `types` exactly. */
function untypedSlots(types: readonly string[]): readonly UntypedSlot[] {
  const key = types.join(',');
  const cached = untypedSlotCache.get(key);
  if (cached) return cached;
  const wanted = new Set(types);
  const slots: UntypedSlot[] = [];
  for (const owner of listRmClasses()) {
    if (owner.abstract || !isSubtypeOf(owner.name, 'LOCATABLE')) continue;
    for (const attribute of listRmAttributes(owner.name)) {
      if (wanted.has(rmBaseTypeName(attribute.type)))
        slots.push({ owner: owner.name, attribute: attribute.name, multiple: attribute.multiple });
    }
  }
  untypedSlotCache.set(key, slots);
  return slots;
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CHANGE_TYPE_CODES =
  "WHEN 'creation' THEN '249' WHEN 'amendment' THEN '250' WHEN 'modification' THEN '251' WHEN 'synthesis' THEN '252' " +
  "WHEN 'deleted' THEN '523' WHEN 'attestation' THEN '666' ELSE '253'";
/**
 * A repository timestamp as the REST API writes it (JavaScript's toISOString: UTC, milliseconds,
 * `Z`), so that a time read by AQL is the very text the EHR or version endpoints returned.
 */
function isoInstant(column: string): string {
  return `to_jsonb(to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
}

const LIFECYCLE_CODES = "WHEN 'complete' THEN '532' WHEN 'incomplete' THEN '553' ELSE '523'";

/**
 * What a VERSION holds: `VERSION v CONTAINS OBSERVATION o` names the composition's content, and only
 * a COMPOSITION holds content items (SECTIONs and ENTRYs), so it reads as `VERSION v CONTAINS
 * COMPOSITION CONTAINS OBSERVATION o`. Anything else is left as written.
 */
function versionedDocument(inner: ContainsExpr): ContainsExpr {
  if (inner.kind !== 'class' || !isSubtypeOf(inner.rmType, 'CONTENT_ITEM')) return inner;
  return {
    kind: 'class',
    rmType: 'COMPOSITION',
    variable: undefined,
    predicate: undefined,
    contains: { not: false, expr: inner },
    position: inner.position,
  };
}

function conjunction(parts: readonly string[]): string {
  const real = parts.filter((part) => part !== 'true');
  if (real.length === 0) return 'true';
  return real.length === 1 ? (real[0] ?? 'true') : `(${real.join(' AND ')})`;
}

function declaresVariable(expr: ContainsExpr): boolean {
  switch (expr.kind) {
    case 'contains-and':
    case 'contains-or':
      return declaresVariable(expr.left) || declaresVariable(expr.right);
    case 'class':
    case 'version':
      return expr.variable !== undefined || (expr.contains !== undefined && declaresVariable(expr.contains.expr));
  }
}

function isFolder(parent: Binding | { kind: 'root' }): parent is Binding {
  return (parent.kind === 'row' || parent.kind === 'node') && parent.rmType === 'FOLDER';
}

function describe(parent: Binding | { kind: 'root' }): string {
  switch (parent.kind) {
    case 'root':
      return 'nothing';
    case 'ehr':
      return 'an EHR';
    case 'version':
      return 'a VERSION';
    case 'row':
    case 'node':
      return `a ${parent.rmType}`;
  }
}

function predicateArchetypeId(predicate: NodePredicate): string | undefined {
  if (predicate.kind === 'archetype-id') return predicate.archetypeId;
  if (predicate.kind === 'node-id') return predicate.nodeId;
  if (predicate.kind === 'predicate-and') return predicateArchetypeId(predicate.left) ?? predicateArchetypeId(predicate.right);
  return undefined;
}

function predicateNameless(predicate: NodePredicate): boolean {
  return (predicate.kind === 'archetype-id' || predicate.kind === 'node-id') && predicate.name === undefined;
}

function primitiveValue(primitive: Primitive): unknown {
  switch (primitive.kind) {
    case 'null':
      return null;
    default:
      return primitive.value;
  }
}

function isValidInstant(value: string): boolean {
  return !Number.isNaN(Date.parse(value));
}

/**
 * AQL LIKE: `*` and `?` are the wildcards, a backslash makes the next character literal
 * (`Name\*` matches "Name*"), and SQL's `%` and `_` are ordinary characters.
 */
export function likePattern(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    let c = pattern[i] ?? '';
    const escaped = c === '\\' && i + 1 < pattern.length;
    if (escaped) c = pattern[++i] ?? '';
    if (!escaped && c === '*') out += '%';
    else if (!escaped && c === '?') out += '_';
    else out += /[\\%_]/.test(c) ? `\\${c}` : c;
  }
  return out;
}

function terminologyError(position: SourcePosition): AqlCompileError {
  return new AqlCompileError('TERMINOLOGY() needs a terminology service, which this server does not have.', position);
}

function printPredicateKey(predicate: NodePredicate): string {
  return JSON.stringify(predicate, (key, value: unknown) => (key === 'position' ? undefined : value));
}

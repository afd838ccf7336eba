import type {
  AggregateFunctionCall,
  AggregateFunctionName,
  AqlQuery,
  ClassExpression,
  ColumnExpr,
  ComparisonOperator,
  Containment,
  ContainsExpr,
  FunctionCall,
  IdentifiedPath,
  LimitClause,
  MatchesOperand,
  NodePredicate,
  ObjectPath,
  OrderByExpr,
  Parameter,
  PathPart,
  PredicateOperand,
  Primitive,
  SelectClause,
  SelectExpr,
  StandardPredicate,
  StringLiteral,
  Terminal,
  TerminologyFunction,
  VersionClassExpression,
  VersionPredicate,
  WhereExpr,
} from '../ast.js';
import { tokenizeAql, type AqlToken } from './aql-lexer.js';
import { AqlSyntaxError, END_OF_QUERY } from './aql-syntax-error.js';

/**
 * Words that cannot be a FROM variable, an alias or the first step of a path, because they
 * would make the query ambiguous (`FROM COMPOSITION CONTAINS …`, `… AS x FROM …`). Attribute
 * names after a `/` may be any word.
 */
const RESERVED = new Set([
  'SELECT',
  'AS',
  'FROM',
  'WHERE',
  'ORDER',
  'BY',
  'DESC',
  'DESCENDING',
  'ASC',
  'ASCENDING',
  'LIMIT',
  'OFFSET',
  'DISTINCT',
  'VERSION',
  'LATEST_VERSION',
  'ALL_VERSIONS',
  'NULL',
  'TRUE',
  'FALSE',
  'TOP',
  'FORWARD',
  'BACKWARD',
  'CONTAINS',
  'AND',
  'OR',
  'XOR',
  'NOT',
  'EXISTS',
  'LIKE',
  'MATCHES',
  'TERMINOLOGY',
]);
const AGGREGATES = new Set<string>(['COUNT', 'MIN', 'MAX', 'SUM', 'AVG']);
const COMPARISONS = new Set<string>(['=', '!=', '>', '>=', '<', '<=']);
const NODE_CODE = /^(at|id)\d+(\.\d+)*$/;
/** Deeper nesting than any real query, and well inside the JavaScript stack. */
const MAX_NESTING = 200;

const IDENTIFIER = 'an identifier';
const PATH = 'a path';
const VALUE = 'a value';
const COMPARISON = 'a comparison operator';

/** Parses one AQL 1.1 query into its syntax tree, or throws {@link AqlSyntaxError}. */
export function parseAqlQuery(text: string): AqlQuery {
  return new AqlParser(text).query();
}

class AqlParser {
  private readonly tokens: AqlToken[];
  private index = 0;
  /** What was tried at the current token, for the error message if nothing fits. */
  private expected: string[] = [];
  private depth = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenizeAql(text);
  }

  // ─── token plumbing ──────────────────────────────────────────────────────────────────────

  private get token(): AqlToken {
    return this.tokens[this.index] ?? this.endToken();
  }

  private endToken(): AqlToken {
    const last = this.tokens[this.tokens.length - 1];
    if (!last) throw new Error('the lexer always ends with an end token');
    return last;
  }

  private peek(ahead = 1): AqlToken {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)] ?? this.endToken();
  }

  private advance(): AqlToken {
    const token = this.token;
    if (token.kind !== 'end') this.index++;
    this.expected = [];
    return token;
  }

  private expect(description: string): void {
    if (!this.expected.includes(description)) this.expected.push(description);
  }

  private isKeyword(keyword: string, token: AqlToken = this.token): boolean {
    return token.kind === 'word' && token.value.toUpperCase() === keyword;
  }

  /** Consumes the keyword if it is next; records it as expected otherwise. */
  private acceptKeyword(keyword: string): AqlToken | undefined {
    if (this.isKeyword(keyword)) return this.advance();
    this.expect(keyword);
    return undefined;
  }

  private keyword(keyword: string): AqlToken {
    return this.acceptKeyword(keyword) ?? this.fail();
  }

  private isSymbol(symbol: string, token: AqlToken = this.token): boolean {
    return token.kind === 'symbol' && token.value === symbol;
  }

  private acceptSymbol(symbol: string): AqlToken | undefined {
    if (this.isSymbol(symbol)) return this.advance();
    this.expect(`'${symbol}'`);
    return undefined;
  }

  private symbol(symbol: string): AqlToken {
    return this.acceptSymbol(symbol) ?? this.fail();
  }

  /** Runs a rule that may recurse, refusing absurd nesting with a syntax error rather than a stack overflow. */
  private nested<T>(rule: () => T): T {
    if (this.depth >= MAX_NESTING) {
      const token = this.token;
      throw new AqlSyntaxError(
        this.text,
        token.position,
        [],
        token.kind === 'end' ? END_OF_QUERY : token.text,
        `the query nests more than ${MAX_NESTING} levels deep`,
      );
    }
    this.depth++;
    try {
      return rule();
    } finally {
      this.depth--;
    }
  }

  private fail(): never {
    const token = this.token;
    throw new AqlSyntaxError(this.text, token.position, this.expected, token.kind === 'end' ? END_OF_QUERY : token.text);
  }

  private isIdentifier(token: AqlToken = this.token): boolean {
    return token.kind === 'word' && !RESERVED.has(token.value.toUpperCase());
  }

  /** A name and `(`: a function call. Keywords are not function names, except CONTAINS and TERMINOLOGY. */
  private isFunctionStart(): boolean {
    const token = this.token;
    if (token.kind !== 'word' || !this.isSymbol('(', this.peek())) return false;
    const name = token.value.toUpperCase();
    return !RESERVED.has(name) || name === 'CONTAINS' || name === 'TERMINOLOGY';
  }

  private identifier(): AqlToken {
    if (this.isIdentifier()) return this.advance();
    this.expect(IDENTIFIER);
    return this.fail();
  }

  // ─── the query ───────────────────────────────────────────────────────────────────────────

  query(): AqlQuery {
    const position = this.token.position;
    const select = this.selectClause();
    this.keyword('FROM');
    const from = this.containsExpr();
    const where = this.acceptKeyword('WHERE') ? this.whereExpr() : undefined;
    const orderBy: OrderByExpr[] = [];
    if (this.acceptKeyword('ORDER')) {
      this.keyword('BY');
      do orderBy.push(this.orderByExpr());
      while (this.acceptSymbol(','));
    }
    const limit = this.limitClause();
    if (this.token.kind !== 'end') {
      this.expect(END_OF_QUERY);
      this.fail();
    }
    return { kind: 'query', position, select, from, where, orderBy, limit };
  }

  private selectClause(): SelectClause {
    const position = this.keyword('SELECT').position;
    const distinct = this.acceptKeyword('DISTINCT') !== undefined;
    let top: SelectClause['top'];
    if (this.acceptKeyword('TOP')) {
      const count = this.integer();
      let direction: 'forward' | 'backward' = 'forward';
      if (this.acceptKeyword('BACKWARD')) direction = 'backward';
      else this.acceptKeyword('FORWARD');
      top = { count, direction };
    }
    const columns: SelectExpr[] = [];
    do columns.push(this.selectExpr());
    while (this.acceptSymbol(','));
    return { kind: 'select', position, distinct, top, columns };
  }

  private selectExpr(): SelectExpr {
    const position = this.token.position;
    const expr = this.columnExpr();
    const alias = this.acceptKeyword('AS') ? this.identifier().value : undefined;
    return { kind: 'select-expr', position, expr, alias };
  }

  private columnExpr(): ColumnExpr {
    const token = this.token;
    if (this.isFunctionStart()) {
      const name = token.value.toUpperCase();
      if (AGGREGATES.has(name)) return this.aggregate(name as AggregateFunctionName);
      if (name === 'TERMINOLOGY') return this.unsupportedTerminology();
      return this.functionCall();
    }
    if (token.kind === 'parameter') return this.parameter();
    const primitive = this.tryPrimitive();
    if (primitive) return primitive;
    this.expect(VALUE);
    return this.identifiedPath();
  }

  private aggregate(name: AggregateFunctionName): AggregateFunctionCall {
    const position = this.advance().position;
    this.symbol('(');
    let distinct = false;
    let argument: IdentifiedPath | '*';
    if (name === 'COUNT' && this.acceptSymbol('*')) argument = '*';
    else {
      if (name === 'COUNT') distinct = this.acceptKeyword('DISTINCT') !== undefined;
      argument = this.identifiedPath();
    }
    this.symbol(')');
    return { kind: 'aggregate', position, name, distinct, argument };
  }

  private limitClause(): LimitClause | undefined {
    const limitToken = this.acceptKeyword('LIMIT');
    if (!limitToken) return undefined;
    const limit = this.integer();
    const offset = this.acceptKeyword('OFFSET') ? this.integer() : undefined;
    return { kind: 'limit', position: limitToken.position, limit, offset };
  }

  private integer(): number {
    if (this.token.kind === 'integer' && !this.token.value.startsWith('-')) return Number(this.advance().value);
    this.expect('a whole number');
    return this.fail();
  }

  private orderByExpr(): OrderByExpr {
    const position = this.token.position;
    const path = this.identifiedPath();
    let direction: 'asc' | 'desc' = 'asc';
    if (this.acceptKeyword('DESC') ?? this.acceptKeyword('DESCENDING')) direction = 'desc';
    else if (!this.acceptKeyword('ASC')) this.acceptKeyword('ASCENDING');
    return { kind: 'order-by', position, path, direction };
  }

  // ─── FROM ────────────────────────────────────────────────────────────────────────────────

  /** OR binds loosest, then AND; the right side of CONTAINS is a whole containsExpr. */
  private containsExpr(): ContainsExpr {
    return this.nested(() => this.containsOr());
  }

  private containsOr(): ContainsExpr {
    let left = this.containsAnd();
    while (this.isKeyword('OR')) {
      const { position } = left;
      this.advance();
      const right = this.containsAnd();
      left = { kind: 'contains-or', position, left, right };
    }
    this.expect('OR');
    return left;
  }

  private containsAnd(): ContainsExpr {
    let left = this.containsOperand();
    while (this.isKeyword('AND')) {
      const { position } = left;
      this.advance();
      const right = this.containsOperand();
      left = { kind: 'contains-and', position, left, right };
    }
    this.expect('AND');
    return left;
  }

  private containsOperand(): ContainsExpr {
    if (this.acceptSymbol('(')) {
      const inner = this.containsExpr();
      this.symbol(')');
      return inner;
    }
    if (this.isKeyword('VERSION')) return this.versionClassExpr();
    return this.classExpr();
  }

  private classExpr(): ClassExpression {
    const rm = this.identifierOrExpect('an RM type (EHR, COMPOSITION, OBSERVATION, …)');
    const variable = this.isIdentifier() ? this.advance().value : (this.expect(IDENTIFIER), undefined);
    const predicate = this.isSymbol('[') ? this.pathPredicate('class') : (this.expect("'['"), undefined);
    return { kind: 'class', position: rm.position, rmType: rm.value, variable, predicate, contains: this.containment() };
  }

  private identifierOrExpect(description: string): AqlToken {
    if (this.isIdentifier()) return this.advance();
    this.expect(description);
    return this.fail();
  }

  private versionClassExpr(): VersionClassExpression {
    const position = this.advance().position;
    const variable = this.isIdentifier() ? this.advance().value : (this.expect(IDENTIFIER), undefined);
    let predicate: VersionPredicate | undefined;
    if (this.acceptSymbol('[')) {
      const at = this.token.position;
      if (this.acceptKeyword('LATEST_VERSION')) predicate = { kind: 'latest-version', position: at };
      else if (this.acceptKeyword('ALL_VERSIONS')) predicate = { kind: 'all-versions', position: at };
      else predicate = this.standardPredicate(this.objectPath());
      this.symbol(']');
    }
    return { kind: 'version', position, variable, predicate, contains: this.containment() };
  }

  private containment(): Containment | undefined {
    if (this.isKeyword('NOT') && this.isKeyword('CONTAINS', this.peek())) {
      this.advance();
      this.advance();
      return { not: true, expr: this.containsExpr() };
    }
    this.expect('NOT');
    if (this.acceptKeyword('CONTAINS')) return { not: false, expr: this.containsExpr() };
    return undefined;
  }

  // ─── paths and predicates ────────────────────────────────────────────────────────────────

  private identifiedPath(): IdentifiedPath {
    const variable = this.token;
    if (!this.isIdentifier()) {
      this.expect(PATH);
      this.fail();
    }
    this.advance();
    const predicate = this.isSymbol('[') ? this.pathPredicate('path') : undefined;
    const path = this.acceptSymbol('/') ? this.objectPath() : [];
    return { kind: 'identified-path', position: variable.position, variable: variable.value, predicate, path };
  }

  private objectPath(): ObjectPath {
    const parts: PathPart[] = [];
    do {
      const attribute = this.token;
      if (attribute.kind !== 'word') {
        this.expect('an attribute name');
        this.fail();
      }
      this.advance();
      const predicate = this.isSymbol('[') ? this.pathPredicate('path') : undefined;
      parts.push({ kind: 'path-part', position: attribute.position, attribute: attribute.value, predicate });
    } while (this.acceptSymbol('/'));
    return parts;
  }

  /**
   * `[ … ]` after a class or a path step. On a class expression an archetype id is an
   * `archetype-id` predicate; in a path it is a `node-id` (it names the node, like an at-code).
   */
  private pathPredicate(where: 'class' | 'path'): NodePredicate {
    return this.nested(() => this.bracketedPredicate(where));
  }

  private bracketedPredicate(where: 'class' | 'path'): NodePredicate {
    this.symbol('[');
    const predicate = this.nodePredicateOr(where);
    this.symbol(']');
    return predicate;
  }

  private nodePredicateOr(where: 'class' | 'path'): NodePredicate {
    let left = this.nodePredicateAnd(where);
    while (this.isKeyword('OR')) {
      const { position } = left;
      this.advance();
      left = { kind: 'predicate-or', position, left, right: this.nodePredicateAnd(where) };
    }
    this.expect('OR');
    return left;
  }

  private nodePredicateAnd(where: 'class' | 'path'): NodePredicate {
    let left = this.nodePredicateTerm(where);
    while (this.isKeyword('AND')) {
      const { position } = left;
      this.advance();
      left = { kind: 'predicate-and', position, left, right: this.nodePredicateTerm(where) };
    }
    this.expect('AND');
    return left;
  }

  private nodePredicateTerm(where: 'class' | 'path'): NodePredicate {
    const token = this.token;
    if (token.kind === 'parameter') {
      return { kind: 'parameter-predicate', position: token.position, parameter: this.parameter() };
    }
    if (token.kind === 'archetype-id') {
      this.advance();
      const name = this.nameOperand();
      return where === 'class'
        ? { kind: 'archetype-id', position: token.position, archetypeId: token.value, name }
        : { kind: 'node-id', position: token.position, nodeId: token.value, name };
    }
    if (
      token.kind === 'word' &&
      NODE_CODE.test(token.value) &&
      !this.isSymbol('/', this.peek()) &&
      !this.isSymbol('[', this.peek()) &&
      !isComparison(this.peek()) &&
      !this.isKeyword('MATCHES', this.peek())
    ) {
      this.advance();
      return { kind: 'node-id', position: token.position, nodeId: token.value, name: this.nameOperand() };
    }
    if (token.kind !== 'word') {
      this.expect('an archetype id');
      this.expect('a node id');
      this.expect(PATH);
      this.expect('a parameter');
      this.fail();
    }
    const path = this.objectPath();
    if (this.acceptKeyword('MATCHES')) {
      const regex = this.token;
      if (regex.kind !== 'regex') {
        this.expect('a regular expression {/…/}');
        this.fail();
      }
      this.advance();
      return { kind: 'regex', position: token.position, path, pattern: regex.value };
    }
    return this.standardPredicate(path);
  }

  /** The optional `, name` after a node or archetype id. */
  private nameOperand(): PredicateOperand | undefined {
    if (!this.acceptSymbol(',')) return undefined;
    const token = this.token;
    switch (token.kind) {
      case 'string':
        return this.stringOrTemporal();
      case 'parameter':
        return this.parameter();
      case 'term-code':
        return this.termCode();
      case 'word':
        if (NODE_CODE.test(token.value)) {
          this.advance();
          return { kind: 'node-code', position: token.position, code: token.value };
        }
        break;
      default:
        break;
    }
    this.expect('a name (string, parameter, term code or node id)');
    return this.fail();
  }

  private standardPredicate(path: ObjectPath): StandardPredicate {
    const position = path[0]?.position ?? this.token.position;
    const operator = this.comparisonOperator();
    return { kind: 'standard', position, path, operator, value: this.predicateOperand() };
  }

  private predicateOperand(): PredicateOperand {
    const token = this.token;
    if (token.kind === 'parameter') return this.parameter();
    if (token.kind === 'term-code') return this.termCode();
    const primitive = this.tryPrimitive();
    if (primitive) return primitive;
    if (token.kind === 'word' && NODE_CODE.test(token.value) && !this.isSymbol('/', this.peek()) && !this.isSymbol('[', this.peek())) {
      this.advance();
      return { kind: 'node-code', position: token.position, code: token.value };
    }
    if (token.kind === 'word' && !RESERVED.has(token.value.toUpperCase())) {
      return { kind: 'relative-path', position: token.position, path: this.objectPath() };
    }
    this.expect(VALUE);
    this.expect(PATH);
    this.expect('a parameter');
    return this.fail();
  }

  private termCode(): PredicateOperand {
    const token = this.advance();
    const split = token.value.indexOf('::');
    return {
      kind: 'term-code',
      position: token.position,
      terminology: token.value.slice(0, split),
      code: token.value.slice(split + 2),
      term: token.term,
    };
  }

  private comparisonOperator(): ComparisonOperator {
    if (isComparison(this.token)) return this.advance().value as ComparisonOperator;
    this.expect(COMPARISON);
    return this.fail();
  }

  // ─── WHERE ───────────────────────────────────────────────────────────────────────────────

  /** Precedence, loosest first: OR, XOR, AND, NOT. */
  private whereExpr(): WhereExpr {
    let left = this.whereXor();
    while (this.isKeyword('OR')) {
      const { position } = left;
      this.advance();
      left = { kind: 'or', position, left, right: this.whereXor() };
    }
    this.expect('OR');
    return left;
  }

  private whereXor(): WhereExpr {
    let left = this.whereAnd();
    while (this.isKeyword('XOR')) {
      const { position } = left;
      this.advance();
      left = { kind: 'xor', position, left, right: this.whereAnd() };
    }
    this.expect('XOR');
    return left;
  }

  private whereAnd(): WhereExpr {
    let left = this.whereNot();
    while (this.isKeyword('AND')) {
      const { position } = left;
      this.advance();
      left = { kind: 'and', position, left, right: this.whereNot() };
    }
    this.expect('AND');
    return left;
  }

  private whereNot(): WhereExpr {
    return this.nested(() => this.notOrPrimary());
  }

  private notOrPrimary(): WhereExpr {
    const not = this.acceptKeyword('NOT');
    if (not) return { kind: 'not', position: not.position, expr: this.whereNot() };
    return this.wherePrimary();
  }

  private wherePrimary(): WhereExpr {
    if (this.acceptSymbol('(')) {
      const inner = this.whereExpr();
      this.symbol(')');
      return inner;
    }
    const exists = this.acceptKeyword('EXISTS');
    if (exists) return { kind: 'exists', position: exists.position, path: this.identifiedPath() };
    return this.identifiedExpr();
  }

  private identifiedExpr(): WhereExpr {
    const start = this.token;
    if (this.isFunctionStart()) {
      const left = start.value.toUpperCase() === 'TERMINOLOGY' ? this.unsupportedTerminology() : this.functionCall();
      const operator = this.comparisonOperator();
      return { kind: 'comparison', position: start.position, left, operator, right: this.terminal() };
    }
    if (!this.isIdentifier()) {
      this.expect('a condition');
      this.fail();
    }
    const path = this.identifiedPath();
    if (this.acceptKeyword('LIKE')) {
      const pattern = this.token;
      if (pattern.kind === 'parameter') return { kind: 'like', position: start.position, path, pattern: this.parameter() };
      if (pattern.kind === 'string') {
        this.advance();
        const literal: StringLiteral = { kind: 'string', position: pattern.position, value: pattern.value };
        return { kind: 'like', position: start.position, path, pattern: literal };
      }
      this.expect('a string');
      this.expect('a parameter');
      this.fail();
    }
    if (this.acceptKeyword('MATCHES')) return { kind: 'matches', position: start.position, path, operand: this.matchesOperand() };
    if (isComparison(this.token)) {
      const operator = this.comparisonOperator();
      return { kind: 'comparison', position: start.position, left: path, operator, right: this.terminal() };
    }
    this.expect(COMPARISON);
    return this.fail();
  }

  private matchesOperand(): MatchesOperand {
    if (this.isKeyword('TERMINOLOGY')) return this.terminologyFunction();
    const open = this.symbol('{');
    if (this.token.kind === 'uri') {
      const uri = this.advance();
      this.symbol('}');
      return { kind: 'uri', position: uri.position, uri: uri.value };
    }
    const items: (Primitive | Parameter | TerminologyFunction)[] = [];
    do {
      if (this.token.kind === 'parameter') items.push(this.parameter());
      else if (this.isKeyword('TERMINOLOGY')) items.push(this.terminologyFunction());
      else {
        const primitive = this.tryPrimitive();
        if (!primitive) {
          this.expect(VALUE);
          this.expect('a parameter');
          this.expect('TERMINOLOGY');
          this.expect('a URI');
          this.fail();
        }
        items.push(primitive);
      }
    } while (this.acceptSymbol(','));
    this.symbol('}');
    return { kind: 'value-list', position: open.position, items };
  }

  private terminal(): Terminal {
    const token = this.token;
    if (token.kind === 'parameter') return this.parameter();
    const primitive = this.tryPrimitive();
    if (primitive) return primitive;
    if (this.isFunctionStart()) {
      if (token.value.toUpperCase() === 'TERMINOLOGY') return this.unsupportedTerminology();
      return this.functionCall();
    }
    if (this.isIdentifier()) return this.identifiedPath();
    this.expect(VALUE);
    this.expect(PATH);
    this.expect('a parameter');
    this.expect('a function call');
    return this.fail();
  }

  // ─── values and functions ────────────────────────────────────────────────────────────────

  private tryPrimitive(): Primitive | undefined {
    const token = this.token;
    const position = token.position;
    switch (token.kind) {
      case 'string':
        return this.stringOrTemporal();
      case 'integer':
        this.advance();
        return { kind: 'integer', position, value: Number(token.value), text: token.value };
      case 'real':
        this.advance();
        return { kind: 'real', position, value: Number(token.value), text: token.value };
      case 'word': {
        const word = token.value.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') {
          this.advance();
          return { kind: 'boolean', position, value: word === 'TRUE' };
        }
        if (word === 'NULL') {
          this.advance();
          return { kind: 'null', position };
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private stringOrTemporal(): Primitive {
    const token = this.advance();
    if (token.temporal) return { kind: token.temporal, position: token.position, value: token.value };
    return { kind: 'string', position: token.position, value: token.value };
  }

  private parameter(): Parameter {
    const token = this.advance();
    return { kind: 'parameter', position: token.position, name: token.value };
  }

  private functionCall(): FunctionCall {
    return this.nested(() => this.functionCallBody());
  }

  private functionCallBody(): FunctionCall {
    const name = this.advance();
    this.symbol('(');
    const args: Terminal[] = [];
    if (!this.acceptSymbol(')')) {
      do args.push(this.terminal());
      while (this.acceptSymbol(','));
      this.symbol(')');
    }
    return { kind: 'function', position: name.position, name: name.value.toUpperCase(), args };
  }

  private terminologyFunction(): TerminologyFunction {
    const position = this.advance().position;
    this.symbol('(');
    const operation = this.string();
    this.symbol(',');
    const serviceApi = this.string();
    this.symbol(',');
    const parameters = this.string();
    this.symbol(')');
    return { kind: 'terminology', position, operation, serviceApi, parameters };
  }

  private string(): string {
    if (this.token.kind === 'string') return this.advance().value;
    this.expect('a string');
    return this.fail();
  }

  /** The syntax tree has TERMINOLOGY(…) only as a MATCHES operand, where AQL 1.1 uses it. */
  private unsupportedTerminology(): never {
    const token = this.token;
    throw new AqlSyntaxError(
      this.text,
      token.position,
      ['MATCHES'],
      token.text,
      `TERMINOLOGY(…) is supported only after MATCHES (found '${token.text}')`,
    );
  }
}

function isComparison(token: AqlToken): boolean {
  return token.kind === 'symbol' && COMPARISONS.has(token.value);
}

import type { NodePredicate, ObjectPath, PredicateOperand, SourcePosition } from '../ast.js';
import { AqlCompileError } from './aql-compile-error.js';

/**
 * Builds one SQL/JSON path expression. The path's text is made only from RM attribute names
 * (checked to be identifiers) and the compiler's own vocabulary; every value from the query
 * (node ids, names, literals, parameters) becomes a jsonpath variable, passed to PostgreSQL
 * beside the path as a bound jsonb value.
 */
export class JsonPathBuilder {
  readonly vars: Record<string, unknown> = {};
  private count = 0;

  constructor(private readonly parameters: Readonly<Record<string, unknown>>) {}

  variable(value: unknown): string {
    const name = `p${this.count++}`;
    this.vars[name] = value;
    return `$${name}`;
  }

  /** `."data"[*] ? (…)."events"[*] …`: each step unwraps a list, so a list yields its items. */
  steps(path: ObjectPath): string {
    return path
      .map((part) => `.${member(part.attribute, part.position)}[*]${part.predicate ? ` ? (${this.filter(part.predicate)})` : ''}`)
      .join('');
  }

  /** A jsonpath filter expression (over `@`) for a node predicate. */
  filter(predicate: NodePredicate): string {
    switch (predicate.kind) {
      case 'node-id':
        return this.nodeId(predicate.nodeId, predicate.name);
      case 'archetype-id':
        return this.nodeId(predicate.archetypeId, predicate.name);
      case 'parameter-predicate':
        return `@.archetype_node_id == ${this.variable(this.parameter(predicate.parameter.name, predicate.parameter.position))}`;
      case 'standard': {
        const left = `@${this.relative(predicate.path)}`;
        const op = predicate.operator === '=' ? '==' : predicate.operator;
        if (predicate.value.kind === 'term-code') {
          const code = `${left}.code_string ${op} ${this.variable(predicate.value.code)}`;
          return predicate.operator === '='
            ? `(${code} && ${left}.terminology_id.value == ${this.variable(predicate.value.terminology)})`
            : code;
        }
        return `${left} ${op} ${this.operand(predicate.value)}`;
      }
      case 'regex':
        return `@${this.relative(predicate.path)} like_regex ${JSON.stringify(predicate.pattern)}`;
      case 'predicate-and':
        return `(${this.filter(predicate.left)} && ${this.filter(predicate.right)})`;
      case 'predicate-or':
        return `(${this.filter(predicate.left)} || ${this.filter(predicate.right)})`;
    }
  }

  private nodeId(nodeId: string, name: PredicateOperand | undefined): string {
    const id = `@.archetype_node_id == ${this.variable(nodeId)}`;
    if (!name) return id;
    if (name.kind === 'term-code') {
      return `(${id} && @.name.defining_code.code_string == ${this.variable(name.code)} && @.name.defining_code.terminology_id.value == ${this.variable(name.terminology)})`;
    }
    return `(${id} && @.name.value == ${this.operand(name)})`;
  }

  private relative(path: ObjectPath): string {
    return path
      .map((part) => `.${member(part.attribute, part.position)}${part.predicate ? ` ? (${this.filter(part.predicate)})` : ''}`)
      .join('');
  }

  private operand(operand: PredicateOperand): string {
    switch (operand.kind) {
      case 'string':
      case 'date':
      case 'time':
      case 'date-time':
      case 'integer':
      case 'real':
      case 'boolean':
        return this.variable(operand.value);
      case 'null':
        return 'null';
      case 'parameter':
        return this.variable(this.parameter(operand.name, operand.position));
      case 'node-code':
        return this.variable(operand.code);
      case 'term-code':
        return this.variable(operand.code);
      case 'relative-path':
        return `@${this.relative(operand.path)}`;
    }
  }

  parameter(name: string, position: SourcePosition): unknown {
    if (!Object.hasOwn(this.parameters, name)) throw new AqlCompileError(`No value was given for the parameter $${name}.`, position);
    return this.parameters[name];
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function member(attribute: string, position: SourcePosition): string {
  if (!IDENTIFIER.test(attribute)) throw new AqlCompileError(`'${attribute}' is not an attribute name.`, position);
  return JSON.stringify(attribute);
}

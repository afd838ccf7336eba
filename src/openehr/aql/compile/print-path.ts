import type { IdentifiedPath, NodePredicate, PredicateOperand } from '../ast.js';

/** A path as AQL text (`o/data[at0001]/events[at0002]/…`), for result column descriptions. */
export function printPath(path: IdentifiedPath): string {
  const self = path.predicate ? `[${printPredicate(path.predicate)}]` : '';
  const steps = path.path.map((part) => `/${part.attribute}${part.predicate ? `[${printPredicate(part.predicate)}]` : ''}`);
  return `${path.variable}${self}${steps.join('')}`;
}

function printPredicate(predicate: NodePredicate): string {
  switch (predicate.kind) {
    case 'node-id':
      return predicate.name ? `${predicate.nodeId},${printOperand(predicate.name)}` : predicate.nodeId;
    case 'archetype-id':
      return predicate.name ? `${predicate.archetypeId},${printOperand(predicate.name)}` : predicate.archetypeId;
    case 'parameter-predicate':
      return `$${predicate.parameter.name}`;
    case 'standard':
      return `${predicate.path.map((part) => part.attribute).join('/')}${predicate.operator}${printOperand(predicate.value)}`;
    case 'regex':
      return `${predicate.path.map((part) => part.attribute).join('/')} matches {/${predicate.pattern}/}`;
    case 'predicate-and':
      return `${printPredicate(predicate.left)} and ${printPredicate(predicate.right)}`;
    case 'predicate-or':
      return `${printPredicate(predicate.left)} or ${printPredicate(predicate.right)}`;
  }
}

function printOperand(operand: PredicateOperand): string {
  switch (operand.kind) {
    case 'string':
    case 'date':
    case 'time':
    case 'date-time':
      return `'${operand.value.replaceAll("'", "\\'")}'`;
    case 'integer':
    case 'real':
      return operand.text;
    case 'boolean':
      return String(operand.value);
    case 'null':
      return 'NULL';
    case 'parameter':
      return `$${operand.name}`;
    case 'term-code':
      return `${operand.terminology}::${operand.code}${operand.term !== undefined ? `|${operand.term}|` : ''}`;
    case 'node-code':
      return operand.code;
    case 'relative-path':
      return operand.path.map((part) => part.attribute).join('/');
  }
}

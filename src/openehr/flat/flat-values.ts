/**
 * Typed reads of FLAT values. Scalars are accepted in their natural JSON type and, leniently, as
 * strings ("12.5", "true") because form clients often send everything as text; anything else is
 * reported against the key it came from.
 */

import type { FlatFormatIssue } from './flat-format-error.js';
import type { FlatNode } from './flat-tree.js';
import type { JsonValue } from '../../shared/json.js';

function take(node: FlatNode, suffix: string | undefined): JsonValue | undefined {
  return suffix === undefined ? node.takeValue() : node.takeAttribute(suffix);
}

export function takeString(node: FlatNode, suffix: string | undefined, issues: FlatFormatIssue[]): string | undefined {
  const value = take(node, suffix);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  issues.push({ path: node.keyFor(suffix), message: 'expected a text value' });
  return undefined;
}

export function takeNumber(node: FlatNode, suffix: string | undefined, issues: FlatFormatIssue[]): number | undefined {
  const value = take(node, suffix);
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && Number.isFinite(number)) return number;
  issues.push({ path: node.keyFor(suffix), message: 'expected a number' });
  return undefined;
}

export function takeInteger(node: FlatNode, suffix: string | undefined, issues: FlatFormatIssue[]): number | undefined {
  const key = node.keyFor(suffix);
  const number = takeNumber(node, suffix, issues);
  if (number === undefined) return undefined;
  if (Number.isInteger(number)) return number;
  issues.push({ path: key, message: 'expected a whole number' });
  return undefined;
}

export function takeBoolean(node: FlatNode, suffix: string | undefined, issues: FlatFormatIssue[]): boolean | undefined {
  const value = take(node, suffix);
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  issues.push({ path: node.keyFor(suffix), message: 'expected true or false' });
  return undefined;
}

/** Reports a missing mandatory value against the key the client should have sent. */
export function missing(node: FlatNode, suffix: string | undefined, issues: FlatFormatIssue[], what: string): void {
  issues.push({ path: node.keyFor(suffix), message: `${what} is required` });
}

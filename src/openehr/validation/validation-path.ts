import { isJsonObject } from '../../shared/json.js';

/**
 * Paths of validation issues, in an AQL-like form over canonical JSON:
 *
 * - an attribute holding a LOCATABLE gets its `archetype_node_id` as predicate:
 *   `/data[at0001]`, `/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]`;
 * - in a list, when several items share that node id, the predicate also carries the item's
 *   0-based index in the JSON array: `/items[at0004,2]`;
 * - list items without a node id get the bare index: `/participations[0]`;
 * - anything else is the attribute name alone: `/value/magnitude`.
 *
 * Every number in a path is therefore a JSON array index. The composition itself is `/`.
 */

type NodeIdCounts = ReadonlyMap<string, number>;

function nodeIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const id = (value as Record<string, unknown>).archetype_node_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** How often each node id occurs in a list, to decide which items need an index. */
function countNodeIds(items: readonly unknown[]): NodeIdCounts {
  const counts = new Map<string, number>();
  for (const item of items) {
    const id = nodeIdOf(item);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function segment(attribute: string, value: unknown, index?: number, counts?: NodeIdCounts): string {
  const id = nodeIdOf(value);
  if (index === undefined) return id === undefined ? attribute : `${attribute}[${id}]`;
  if (id === undefined) return `${attribute}[${index}]`;
  return (counts?.get(id) ?? 1) > 1 ? `${attribute}[${id},${index}]` : `${attribute}[${id}]`;
}

function join(parent: string, child: string): string {
  return `${parent === '/' ? '' : parent}/${child}`;
}

const JSON_SEGMENT = /^([^[\]]*)(?:\[(\d+)\])?$/;

/**
 * Converts a JSON path of `checkRmStructure` (`/content[0]/data/events[1]/time`) into this form,
 * reading the node ids from the composition. Falls back to the JSON path when it does not parse.
 */
function fromJsonPath(root: unknown, jsonPath: string): string {
  if (jsonPath === '' || jsonPath === '/') return '/';
  let current: unknown = root;
  let result = '';
  for (const part of jsonPath.slice(1).split('/')) {
    const match = JSON_SEGMENT.exec(part);
    if (!match) return jsonPath;
    const attribute = match[1] ?? '';
    const container = isJsonObject(current) ? current : undefined;
    const value = container?.[attribute];
    if (match[2] === undefined) {
      result = join(result, segment(attribute, value));
      current = value;
    } else {
      const index = Number(match[2]);
      const items = Array.isArray(value) ? (value as unknown[]) : [];
      const item = items[index];
      result = join(result, segment(attribute, item, index, countNodeIds(items)));
      current = item;
    }
  }
  return result === '' ? '/' : result;
}

/** The value a `checkRmStructure` JSON path points at, or undefined when there is none. */
function valueAtJsonPath(root: unknown, jsonPath: string): unknown {
  if (jsonPath === '' || jsonPath === '/') return root;
  let current: unknown = root;
  for (const part of jsonPath.slice(1).split('/')) {
    const match = JSON_SEGMENT.exec(part);
    if (!match || !isJsonObject(current)) return undefined;
    current = current[match[1] ?? ''];
    if (match[2] !== undefined) current = Array.isArray(current) ? (current as unknown[])[Number(match[2])] : undefined;
  }
  return current;
}

export const validationPath = { segment, join, countNodeIds, fromJsonPath, valueAtJsonPath, nodeIdOf };

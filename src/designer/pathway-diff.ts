/** One field that differs between two versions, at its path; `from`/`to` absent where the field is. */
export interface DefinitionChange {
  /** JSON pointer; an element of a list of things with ids is named by its id (`/definition/modules/frailty/title`). */
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly from?: unknown;
  readonly to?: unknown;
}

/**
 * The differences between two values leaf by leaf: what the reviewer's plain-language diff
 * (pathway-diff-words.ts) falls back on for what it cannot read as a pathway. Every leaf value added,
 * removed or changed, in path order. Lists whose items all carry an `id` (modules, rules) are
 * compared item by item by id, so re-ordering or inserting a module shows as that, not as every
 * later module changed.
 */
export function diffDefinitions(from: unknown, to: unknown): DefinitionChange[] {
  const before = leaves(from);
  const after = leaves(to);
  const changes: DefinitionChange[] = [];
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(path);
    const b = after.get(path);
    if (!before.has(path)) changes.push({ path, change: 'added', to: b });
    else if (!after.has(path)) changes.push({ path, change: 'removed', from: a });
    else if (JSON.stringify(a) !== JSON.stringify(b)) changes.push({ path, change: 'changed', from: a, to: b });
  }
  // Where two lists of ids differ in order, say so once.
  for (const [path, order] of idOrders(from)) {
    const other = idOrders(to).get(path);
    if (other && JSON.stringify(other) !== JSON.stringify(order) && JSON.stringify([...other].sort()) === JSON.stringify([...order].sort()))
      changes.push({ path: `${path}#order`, change: 'changed', from: order, to: other });
  }
  return changes;
}

const escape = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

function keyed(list: readonly unknown[]): readonly [string, unknown][] | undefined {
  const ids = list.map((item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as { id?: unknown }).id : undefined,
  );
  if (list.length === 0 || !ids.every((id): id is string => typeof id === 'string') || new Set(ids).size !== ids.length) return undefined;
  return list.map((item, index) => [ids[index] as string, item]);
}

function leaves(value: unknown, path = '', into = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    const byId = keyed(value);
    if (value.length === 0) into.set(path, []);
    for (const [key, item] of byId ?? value.map((item, index): [string, unknown] => [String(index), item]))
      leaves(item, `${path}/${escape(key)}`, into);
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) into.set(path, {});
    for (const [key, item] of entries) leaves(item, `${path}/${escape(key)}`, into);
  } else {
    into.set(path, value);
  }
  return into;
}

function idOrders(value: unknown, path = '', into = new Map<string, string[]>()): Map<string, string[]> {
  if (Array.isArray(value)) {
    const byId = keyed(value);
    if (byId)
      into.set(
        path,
        byId.map(([id]) => id),
      );
    for (const [key, item] of byId ?? value.map((item, index): [string, unknown] => [String(index), item]))
      idOrders(item, `${path}/${escape(key)}`, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) idOrders(item, `${path}/${escape(key)}`, into);
  }
  return into;
}

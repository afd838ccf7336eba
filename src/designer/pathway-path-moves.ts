import type { PathwayModule } from '../careplan/pathway/pathway-definition.js';
import { mapFlatPath } from '../openehr/service/template-revision-check.js';
import type { FlatPathMove } from '../openehr/service/template-service.js';

/** One binding of a module rewritten to the path its node moved to. */
export interface RewrittenPath {
  readonly module: string;
  readonly from: string;
  readonly to: string;
}

/**
 * A module's field bindings — form labels, help, hidden and order, rule conditions (`var`) and
 * actions, prefills — with every FLAT path a template revision moved rewritten to its new path,
 * the moves applied in the order of their revisions (a path moved twice ends at the last). A
 * path the current template still has is left alone (`stillThere`): the old name was given to
 * another node since, and which one is meant cannot be told. What it rewrote is listed.
 */
export function rewriteModulePaths(
  module: PathwayModule,
  revisions: readonly { moves: readonly FlatPathMove[] }[],
  stillThere: (path: string) => boolean,
): { module: PathwayModule; rewritten: RewrittenPath[] } {
  const rewritten: RewrittenPath[] = [];
  const move = (path: string): string => {
    if (stillThere(path.replace(/\|.*$/, '').replace(/:\d+/g, ''))) return path;
    let current = path;
    for (const revision of revisions) current = mapFlatPath(current, revision.moves) ?? current;
    if (current !== path && !rewritten.some((entry) => entry.from === path)) rewritten.push({ module: module.id, from: path, to: current });
    return current;
  };
  const keys = (record: Readonly<Record<string, string>> | undefined) =>
    record === undefined ? undefined : Object.fromEntries(Object.entries(record).map(([path, value]) => [move(path), value]));
  const condition = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(condition);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, key === 'var' && typeof item === 'string' ? move(item) : condition(item)]),
    );
  };
  const { form, rules, prefill, ...rest } = module;
  const next: PathwayModule = {
    ...rest,
    ...(form
      ? {
          form: {
            ...form,
            ...(form.labels ? { labels: keys(form.labels) } : {}),
            ...(form.help ? { help: keys(form.help) } : {}),
            ...(form.hidden ? { hidden: form.hidden.map(move) } : {}),
            ...(form.order ? { order: form.order.map(move) } : {}),
          },
        }
      : {}),
    ...(rules
      ? {
          rules: rules.map((rule) => ({
            ...rule,
            when: condition(rule.when),
            then: rule.then.map((action) =>
              Object.fromEntries(
                Object.entries(action).map(([key, value]) => [key, key !== 'value' && typeof value === 'string' ? move(value) : value]),
              ),
            ) as typeof rule.then,
          })),
        }
      : {}),
    ...(prefill ? { prefill: prefill.map((item) => ({ ...item, path: move(item.path) })) } : {}),
  };
  return { module: next, rewritten };
}

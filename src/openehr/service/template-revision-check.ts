import { compositionToFlat, FlatFormatError, type JsonObject } from '../flat/index.js';
import type { WebTemplate, WebTemplateNode } from '../template/web-template-model.js';
import type { FlatPathMove } from '../store/template-store.js';
import type { CompiledTemplate } from './template-service.js';

/** One thing a template revision would break in one stored composition. */
export interface RevisionBreakage {
  /** The composition's uid (its versioned object). */
  composition: string;
  /** Where in it: a canonical path, or a FLAT path for a moved node. */
  path: string;
  problem: string;
}

/** A node whose FLAT path changes (a renamed node gets another FLAT id; a node moved to another cluster another parent). */
export type MovedFlatPath = FlatPathMove;

/**
 * A FLAT path (indexes and `|` suffixes allowed) under the path map: the path its node has after
 * the move, or undefined when no entry moves it. A path under a moved node moves with it; the
 * indexes of a rename (as many segments before as after) are kept where they were.
 */
export function mapFlatPath(path: string, map: readonly FlatPathMove[]): string | undefined {
  const [body = '', ...suffix] = path.split('|');
  const segments = body.split('/');
  const ids = segments.map((segment) => segment.replace(/:\d+$/, ''));
  for (const move of map) {
    const from = move.from.split('/');
    if (from.length > ids.length || from.some((id, index) => ids[index] !== id)) continue;
    const to = move.to.split('/');
    const moved = to.map((id, index) =>
      from.length === to.length ? `${id}${(segments[index] ?? '').slice((ids[index] ?? '').length)}` : id,
    );
    if (from.length !== to.length) {
      // Moved elsewhere: only the moved node's own index is known to carry over.
      const last = segments[from.length - 1] ?? '';
      moved[moved.length - 1] = `${moved.at(-1) ?? ''}${last.slice((ids[from.length - 1] ?? '').length)}`;
    }
    return [[...moved, ...segments.slice(from.length)].join('/'), ...suffix].join('|');
  }
  return undefined;
}

/** Every FLAT id path of a web template (no indexes): what a path map's entries are checked against. */
export function flatIdPaths(webTemplate: WebTemplate): Set<string> {
  const paths = new Set<string>();
  const walk = (node: WebTemplateNode, path: string): void => {
    paths.add(path);
    for (const child of node.children ?? []) walk(child, `${path}/${child.id}`);
  };
  walk(webTemplate.tree, webTemplate.tree.id);
  return paths;
}

/**
 * What is wrong with a revision's declared path map, each at `/pathMap/{i}`: an old path the
 * current revision lacks or the new one still has (nothing moved), a new path the revision lacks,
 * or a move the revision makes elsewhere than declared.
 */
export function pathMapProblems(
  map: readonly FlatPathMove[],
  current: WebTemplate,
  revised: WebTemplate,
  moved: readonly MovedFlatPath[],
): { path: string; message: string }[] {
  const [before, after] = [flatIdPaths(current), flatIdPaths(revised)];
  const problems: { path: string; message: string }[] = [];
  map.forEach((move, index) => {
    const at = `/pathMap/${index}`;
    if (!before.has(move.from)) problems.push({ path: at, message: `${move.from} is not a FLAT path of the current revision` });
    else if (after.has(move.from)) problems.push({ path: at, message: `${move.from} is still a FLAT path of the revision: nothing moved` });
    if (!after.has(move.to)) problems.push({ path: at, message: `${move.to} is not a FLAT path of the revision` });
    const detected = moved.find((candidate) => candidate.from === move.from);
    if (detected && detected.to !== move.to)
      problems.push({ path: at, message: `the revision moves ${move.from} to ${detected.to}, not to ${move.to}` });
  });
  return problems;
}

/**
 * FLAT paths that a revision moves: nodes at the same archetype path in both web templates
 * whose FLAT id path differs. Name predicates are left out of the archetype path (a rename
 * changes them); a path that several nodes share (the same at-code named twice) is not matched,
 * since which became which cannot be told. Only the outermost moves are listed: the nodes below
 * a moved node move with it.
 */
export function movedFlatPaths(before: WebTemplate, after: WebTemplate): MovedFlatPath[] {
  const old = flatPathsByArchetypePath(before);
  const revised = flatPathsByArchetypePath(after);
  const moved: MovedFlatPath[] = [];
  for (const [archetypePath, from] of old) {
    const to = revised.get(archetypePath);
    if (from !== undefined && to !== undefined && to !== from) moved.push({ from, to });
  }
  return moved.filter((move) => !moved.some((outer) => outer !== move && move.from.startsWith(`${outer.from}/`)));
}

/** Archetype path (without name predicates) → FLAT id path; undefined where the archetype path is not unique. */
function flatPathsByArchetypePath(webTemplate: WebTemplate): Map<string, string | undefined> {
  const paths = new Map<string, string | undefined>();
  const walk = (node: WebTemplateNode, flatPath: string): void => {
    if (node.aqlPath) {
      const key = node.aqlPath.replace(/ and name\/value='(?:[^']|'')*'/g, '');
      paths.set(key, paths.has(key) ? undefined : flatPath);
    }
    for (const child of node.children ?? []) walk(child, `${flatPath}/${child.id}`);
  };
  walk(webTemplate.tree, webTemplate.tree.id);
  return paths;
}

/**
 * What reading one stored composition with the revised template would break besides
 * validation: content FLAT cannot express under the revision (the care plan and the FLAT
 * format read every composition with the current template), and FLAT paths it holds that the
 * revision moves without declaring the move (`moved` lists only the undeclared ones).
 */
export function flatBreakages(
  composition: { uid: string; data: Record<string, unknown> },
  current: Pick<CompiledTemplate, 'webTemplate' | 'skippedNode'> | undefined,
  revised: Pick<CompiledTemplate, 'webTemplate' | 'skippedNode'>,
  moved: readonly MovedFlatPath[],
): RevisionBreakage[] {
  const breakages: RevisionBreakage[] = [];
  const data = composition.data as JsonObject;
  try {
    compositionToFlat(data, revised.webTemplate, { skippedNode: revised.skippedNode });
  } catch (error) {
    if (!(error instanceof FlatFormatError)) throw error;
    for (const issue of error.issues) {
      breakages.push({ composition: composition.uid, path: issue.path, problem: `cannot be read as FLAT any more: ${issue.message}` });
    }
  }
  if (moved.length === 0 || !current) return breakages;
  let keys: string[];
  try {
    keys = Object.keys(compositionToFlat(data, current.webTemplate, { skippedNode: current.skippedNode }));
  } catch (error) {
    // Not expressible in FLAT now either: nobody reads it by FLAT path, so nothing can move.
    if (error instanceof FlatFormatError) return breakages;
    throw error;
  }
  const used = new Set(keys.map((key) => key.replace(/\|.*$/, '').replace(/:\d+/g, '')));
  for (const move of moved) {
    if ([...used].some((path) => path === move.from || path.startsWith(`${move.from}/`))) {
      breakages.push({
        composition: composition.uid,
        path: move.from,
        problem:
          `the FLAT path ${move.from} would move to ${move.to} (the node was renamed); its stored data would no longer be found there. ` +
          `Declare the move in the revision's path map ({ "from": "${move.from}", "to": "${move.to}" }) to read it at the new path`,
      });
    }
  }
  return breakages;
}

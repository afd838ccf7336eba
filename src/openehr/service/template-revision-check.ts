import { compositionToFlat, FlatFormatError, type JsonObject } from '../flat/index.js';
import type { WebTemplate, WebTemplateNode } from '../template/web-template-model.js';
import type { CompiledTemplate } from './template-service.js';

/** One thing a template revision would break in one stored composition. */
export interface RevisionBreakage {
  /** The composition's uid (its versioned object). */
  composition: string;
  /** Where in it: a canonical path, or a FLAT path for a moved node. */
  path: string;
  problem: string;
}

/** A node whose archetype path stays but whose FLAT path changes (a renamed node gets another FLAT id). */
export interface MovedFlatPath {
  from: string;
  to: string;
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
 * revision moves.
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
        problem: `the FLAT path ${move.from} would move to ${move.to} (the node was renamed); its stored data would no longer be found there`,
      });
    }
  }
  return breakages;
}

import type { SummaryPath } from '../pathway/emergency-summary-paths.js';

/**
 * Reading FLAT content by the paths the pathways declare. A declared path names a node with `:0`
 * for any instance of a repeating node; a recorded path names one instance of each.
 */

/** The declared form of a recorded path: every instance index as `:0`. */
export function declaredFormOf(recordedPath: string): string {
  return recordedPath
    .split('/')
    .map((segment) => segment.replace(/:\d+$/, ':0'))
    .join('/');
}

/** Whether a recorded path is the declared node or lies under it. */
export function isAtOrUnder(recordedPath: string, declaredPath: string): boolean {
  const declared = declaredFormOf(recordedPath);
  return declared === declaredPath || declared.startsWith(`${declaredPath}/`);
}

/** Whether a field of a module's template is at or under one of the declared nodes. */
export function isDeclared(templateId: string, recordedPath: string, declared: readonly SummaryPath[]): boolean {
  return declared.some((node) => node.templateId === templateId && isAtOrUnder(recordedPath, node.path));
}

/**
 * The recorded instance of a declared repeating entry that a path lies in (its recorded prefix,
 * e.g. `…/relevant_contact:2`), with the rest of the path below it; undefined when it lies in none.
 */
export function entryInstanceOf(recordedPath: string, entryPath: string): { instance: string; below: string } | undefined {
  const depth = entryPath.split('/').length;
  const segments = recordedPath.split('/');
  if (segments.length <= depth) return undefined;
  const instance = segments.slice(0, depth).join('/');
  if (declaredFormOf(instance) !== entryPath) return undefined;
  return { instance, below: segments.slice(depth).join('/') };
}

import type { CArchetypeRoot, CObject } from './opt-model.js';

/**
 * Resolves an archetype-internal path such as /data[at0001]/events[at0002] from an archetype root,
 * as ARCHETYPE_INTERNAL_REF target paths are written. Segments without a node id take the first
 * object of the attribute.
 */
export function findByArchetypePath(root: CArchetypeRoot, path: string): CObject | undefined {
  let current: CObject | undefined = root;
  for (const segment of path.split('/').filter((part) => part !== '')) {
    const match = /^([a-z_]+)(?:\[([^\]]+)\])?$/.exec(segment);
    if (match === null || current === undefined || (current.type !== 'C_COMPLEX_OBJECT' && current.type !== 'C_ARCHETYPE_ROOT'))
      return undefined;
    const [, attributeName, nodeId] = match;
    const children: readonly CObject[] =
      current.attributes.find((attribute) => attribute.rmAttributeName === attributeName)?.children ?? [];
    current =
      nodeId === undefined
        ? children[0]
        : children.find((child) => child.nodeId === nodeId || (child.type === 'C_ARCHETYPE_ROOT' && child.archetypeId === nodeId));
  }
  return current;
}

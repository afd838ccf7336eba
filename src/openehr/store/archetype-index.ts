/**
 * Every archetype id a canonical JSON document contains (the root and every archetyped node),
 * stored beside the document so that AQL CONTAINS can be answered from an index.
 */
export function collectArchetypeIds(document: unknown): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const nodeId = (value as { archetype_node_id?: unknown }).archetype_node_id;
    if (typeof nodeId === 'string' && nodeId.startsWith('openEHR-')) found.add(nodeId);
    for (const child of Object.values(value)) visit(child);
  };
  visit(document);
  return [...found].sort();
}

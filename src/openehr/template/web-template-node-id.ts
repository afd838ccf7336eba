import type { WebTemplateNode } from './web-template-model.js';

/**
 * The web template id of a node name: lower case, every run of characters other than letters,
 * digits, '.', '-' and '_' becomes one '_', and no '_' is left at either end
 * ("A2. Shared understanding" -> "a2._shared_understanding", "Kategorie (LOINC)" -> "kategorie_loinc").
 * Letters of any script are kept ("Tägliche Dosierung" -> "tägliche_dosierung"). An id never starts
 * with a digit, so that it reads as a name in paths: "2. Shared understanding" -> "a2._shared_understanding".
 */
export function webTemplateNodeId(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  if (id === '') return 'node';
  return /^\p{N}/u.test(id) ? `a${id}` : id;
}

/**
 * Makes the ids of sibling nodes unique in document order: the second "time" becomes "time2",
 * the third "time3". FLAT paths address nodes by these ids, so the first occurrence keeps its id.
 */
export function makeSiblingIdsUnique(nodes: WebTemplateNode[]): void {
  const used = new Set<string>();
  for (const node of nodes) {
    let id = node.id;
    for (let suffix = 2; used.has(id); suffix += 1) id = `${node.id}${suffix}`;
    used.add(id);
    node.id = id;
  }
}

import type { TemplateDescription } from '../openehr/template-builder/index.js';

/**
 * The archetypes a designer can build a template from: those the shipped template descriptions
 * (templates/descriptions) already use — published CKM archetypes and our own local (`ucp_`)
 * ones — each with the nodes any description takes from it, in the builder's own form. Reading
 * them from the descriptions rather than the ADL files means every node comes with the value
 * constraint and structure codes the template builder needs, and the archetype fidelity test
 * (src/careplan/pathway/archetype-fidelity.test.ts) has already checked its codes and texts
 * against the published archetype.
 */

type Fragment = Record<string, unknown>;

/** A node of an archetype, as the designer sees it. */
export interface CatalogueNode {
  /** Its at-code in the archetype, or the archetype id of a nested CLUSTER archetype. */
  readonly key: string;
  readonly rmType: string;
  readonly text: string;
  readonly description: string;
  /** The data value type of an ELEMENT (DV_TEXT, DV_CODED_TEXT…). */
  readonly valueType?: string;
  readonly occurrences: string;
  readonly children?: readonly CatalogueNode[];
  /** The node as a template description holds it (src/openehr/template-builder/README.md), ready for the composer's `add` edit. */
  readonly definition: Readonly<Record<string, unknown>>;
}

export interface CatalogueArchetype {
  readonly archetypeId: string;
  readonly rmType: string;
  readonly text: string;
  readonly description: string;
  /** Ours (declared in a description's localArchetypes), not a published CKM archetype. */
  readonly local: boolean;
  /** The shipped templates using it. */
  readonly usedBy: readonly string[];
  readonly nodes: readonly CatalogueNode[];
  /** The archetype as a template description holds it (for a section or entry, ready for the composer's `add` edit). */
  readonly definition: Readonly<Record<string, unknown>>;
}

interface Entry {
  fragment: Fragment;
  local: boolean;
  usedBy: string[];
}

/** The catalogue, and each archetype's fragment (a description node, without template renames). */
export class ArchetypeCatalogue {
  readonly #entries = new Map<string, Entry>();

  constructor(descriptions: readonly TemplateDescription[]) {
    for (const description of descriptions) {
      const local = new Set(description.localArchetypes ?? []);
      const visit = (node: Fragment): void => {
        const archetypeId = node['archetypeId'];
        if (typeof archetypeId === 'string') this.#add(archetypeId, node, local.has(archetypeId), description.templateId);
        for (const child of childrenOf(node)) visit(child);
      };
      visit(withoutOtherContext(description.root as unknown as Fragment, 'COMPOSITION'));
    }
  }

  /** Every archetype, compositions first, then by RM type and text. */
  list(): CatalogueArchetype[] {
    const rank = (rmType: string): number => (rmType === 'COMPOSITION' ? 0 : rmType === 'SECTION' ? 1 : rmType === 'CLUSTER' ? 3 : 2);
    return [...this.#entries]
      .map(([archetypeId, entry]) => ({
        archetypeId,
        rmType: String(entry.fragment['rmType']),
        text: String(entry.fragment['text']),
        description: String(entry.fragment['description']),
        local: entry.local,
        usedBy: [...entry.usedBy],
        nodes: childrenOf(entry.fragment).map(nodeView),
        definition: structuredClone(entry.fragment),
      }))
      .sort((a, b) => rank(a.rmType) - rank(b.rmType) || a.rmType.localeCompare(b.rmType) || a.text.localeCompare(b.text));
  }

  /** A copy of the archetype's fragment (its RM type in `rmType`), or undefined when it is not in the catalogue. */
  fragment(archetypeId: string): Fragment | undefined {
    const entry = this.#entries.get(archetypeId);
    return entry ? structuredClone(entry.fragment) : undefined;
  }

  isLocal(archetypeId: string): boolean {
    return this.#entries.get(archetypeId)?.local ?? false;
  }

  #add(archetypeId: string, node: Fragment, local: boolean, templateId: string): void {
    const fragment = withoutRenames(node);
    const known = this.#entries.get(archetypeId);
    if (!known) {
      this.#entries.set(archetypeId, { fragment, local, usedBy: [templateId] });
      return;
    }
    known.local ||= local;
    if (!known.usedBy.includes(templateId)) known.usedBy.push(templateId);
    mergeChildren(known.fragment, fragment);
  }
}

/** The key of a child node: its at-code, or the archetype id of a nested archetype. */
export function nodeKey(node: Fragment): string {
  return String(node['archetypeId'] ?? node['code']);
}

export function childrenOf(node: Fragment): Fragment[] {
  const list = node['items'] ?? node['content'];
  return Array.isArray(list) ? list.filter(isFragment) : [];
}

function nodeView(node: Fragment): CatalogueNode {
  const value = node['value'];
  const valueType = isFragment(value) && typeof value['type'] === 'string' ? value['type'] : undefined;
  const children = childrenOf(node);
  return {
    key: nodeKey(node),
    rmType: String(node['rmType']),
    text: String(node['text']),
    description: String(node['description'] ?? ''),
    ...(valueType ? { valueType } : {}),
    occurrences: typeof node['occurrences'] === 'string' ? node['occurrences'] : '0..1',
    ...(node['value'] === undefined ? { children: children.map(nodeView) } : {}),
    definition: structuredClone(node),
  };
}

/** A union of the children: those `from` has that `into` lacks are appended; shared ones merge theirs. */
function mergeChildren(into: Fragment, from: Fragment): void {
  const list = into['items'] ?? into['content'];
  if (!Array.isArray(list)) return;
  const known = new Map(childrenOf(into).map((child) => [nodeKey(child), child]));
  for (const child of childrenOf(from)) {
    const same = known.get(nodeKey(child));
    if (same) mergeChildren(same, child);
    else {
      list.push(child);
      known.set(nodeKey(child), child);
    }
  }
}

/** The node without template-level renames (the archetype's own terms); a repeated node is kept once. */
function withoutRenames(node: Fragment): Fragment {
  const { rename: _rename, ...rest } = structuredClone(node);
  for (const key of ['items', 'content'] as const) {
    const list = rest[key];
    if (!Array.isArray(list)) continue;
    const seen = new Set<string>();
    rest[key] = list.filter(isFragment).flatMap((child) => {
      const stripped = withoutRenames(child);
      if (seen.has(nodeKey(stripped))) return [];
      seen.add(nodeKey(stripped));
      return [stripped];
    });
  }
  return rest;
}

function withoutOtherContext(root: Fragment, rmType: string): Fragment {
  const { otherContext: _otherContext, ...rest } = root;
  return { ...rest, rmType };
}

function isFragment(value: unknown): value is Fragment {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

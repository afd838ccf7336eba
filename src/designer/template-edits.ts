import type { ErrorIssue } from '../errors/app-error.js';
import { parseOccurrences } from '../openehr/template-builder/index.js';
import type { WebTemplate, WebTemplateNode } from '../openehr/template/web-template-model.js';

/**
 * The template composer's edits: declarative changes to a template description (the template
 * builder's source, src/openehr/template-builder), each naming its node by FLAT path in the
 * current web template, as the designer sees it.
 */
export type TemplateEdit =
  | { op: 'rename'; path: string; name: string }
  | { op: 'occurrences'; path: string; occurrences: string }
  | { op: 'remove'; path: string }
  | { op: 'add'; parent: string; node: Record<string, unknown> };

type DescriptionNode = Record<string, unknown>;

/** Where a node sits in a description: the node and the list holding it (none for the root). */
interface Located {
  node: DescriptionNode;
  siblings: unknown[] | undefined;
}

/**
 * Applies `edits` to a copy of `description`, resolving paths in `webTemplate` (the web template
 * of the OPT the description compiles to). Returns the edited description, or every problem with
 * the edit it comes from (`/edits/{i}`). What an edit does to stored data is not judged here:
 * the revision check does that on the compiled template. A rename of a node whose move the
 * revision declares (`movedFrom`: the FLAT id paths of its path map) keeps the node's present
 * name allowed (`formerNames`), so that stored data carrying it still validates.
 */
export function applyTemplateEdits(
  description: unknown,
  webTemplate: WebTemplate,
  edits: readonly TemplateEdit[],
  movedFrom: ReadonlySet<string> = new Set(),
): { description: unknown; problems: ErrorIssue[] } {
  const edited = structuredClone(description) as { root: DescriptionNode };
  const problems: ErrorIssue[] = [];
  edits.forEach((edit, index) => {
    const problem = (message: string): void => void problems.push({ path: `/edits/${index}`, message });
    const target = edit.op === 'add' ? edit.parent : edit.path;
    const node = findWebTemplateNode(webTemplate, target);
    if (!node) return problem(`${target} is not a path of the template`);
    const located = locate(edited.root, node);
    if (typeof located === 'string') return problem(`${target}: ${located}`);
    switch (edit.op) {
      case 'rename': {
        const present = node.node.name ?? node.node.localizedName;
        if (movedFrom.has(edit.path.replace(/\|.*$/, '').replace(/:\d+/g, '')) && present !== undefined && present !== edit.name) {
          const former = Array.isArray(located.node['formerNames']) ? (located.node['formerNames'] as unknown[]) : [];
          located.node['formerNames'] = [...new Set([...former, present])];
        }
        located.node['rename'] = edit.name;
        return;
      }
      case 'occurrences': {
        const { min, max } = parseOccurrences(edit.occurrences);
        if (!/^\d+\.\.(\d+|\*)$/.test(edit.occurrences) || (max !== undefined && max < min))
          return problem(`occurrences "${edit.occurrences}" is not min..max (0..1, 1..1, 0..*)`);
        if (located.siblings === undefined) return problem(`${target} is the template's root; its occurrences are fixed`);
        located.node['occurrences'] = edit.occurrences;
        return;
      }
      case 'remove':
        if (located.siblings === undefined) return problem(`${target} is the template's root`);
        if (node.node.min > 0) return problem(`${target} is required (min ${node.node.min}); only an optional node is removed`);
        located.siblings.splice(located.siblings.indexOf(located.node), 1);
        return;
      case 'add': {
        const list = located.node['items'] ?? located.node['content'];
        if (!Array.isArray(list))
          return problem(`${target} holds no items; a node is added to an entry, cluster, section or the composition`);
        const occurrences = edit.node['occurrences'];
        if (occurrences !== undefined && (typeof occurrences !== 'string' || parseOccurrences(occurrences).min !== 0))
          return problem('an added node is optional: its occurrences start at 0 (0..1, 0..*)');
        list.push(structuredClone(edit.node));
        return;
      }
    }
  });
  return { description: edited, problems };
}

interface FoundNode {
  node: WebTemplateNode;
  /** The archetype root the node belongs to (itself, for an archetype root). */
  archetypeId: string;
}

/** The web template node at a FLAT id path (indexes and `|` suffixes ignored). */
function findWebTemplateNode(webTemplate: WebTemplate, path: string): FoundNode | undefined {
  const [rootId, ...ids] = path.replace(/\|.*$/, '').replace(/:\d+/g, '').split('/');
  if (rootId !== webTemplate.tree.id) return undefined;
  let node = webTemplate.tree;
  let archetypeId = node.nodeId ?? '';
  for (const id of ids) {
    const child = node.children?.find((candidate) => candidate.id === id);
    if (!child) return undefined;
    node = child;
    if (node.nodeId?.startsWith('openEHR-')) archetypeId = node.nodeId;
  }
  return { node, archetypeId };
}

/**
 * The description node of a web template node: the archetype node with its archetype id, or
 * the node with its at-code inside that archetype. A message when there is none, or more than
 * one (the same archetype used twice: which one cannot be told from the at-code).
 */
function locate(root: DescriptionNode, found: FoundNode): Located | string {
  const isRoot = found.node.nodeId === found.archetypeId;
  const matches: Located[] = [];
  const walk = (node: DescriptionNode, siblings: unknown[] | undefined, archetypeId: string | undefined): void => {
    const own = typeof node['archetypeId'] === 'string' ? node['archetypeId'] : archetypeId;
    const hit = isRoot ? node['archetypeId'] === found.archetypeId : own === found.archetypeId && node['code'] === found.node.nodeId;
    if (hit) matches.push({ node, siblings });
    for (const key of ['content', 'items'] as const) {
      const list = node[key];
      if (Array.isArray(list)) for (const child of list) if (isNode(child)) walk(child, list, own);
    }
    const other = node['otherContext'];
    if (isNode(other)) walk(other, undefined, own);
  };
  walk(root, undefined, undefined);
  const [match, ...more] = matches;
  if (!match) return 'the template builder cannot edit this node (not an archetype, element or cluster of the description)';
  if (more.length > 0) return 'the node is in an archetype the template uses more than once; the composer cannot tell which is meant';
  return match;
}

function isNode(value: unknown): value is DescriptionNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

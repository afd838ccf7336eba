import type { ErrorIssue } from '../errors/app-error.js';
import { childrenOf, nodeKey, type ArchetypeCatalogue } from './archetype-catalogue.js';

/** A section or entry archetype of a new template, and which of its nodes it keeps. */
export interface NewTemplateEntry {
  readonly archetypeId: string;
  /** A template-level name for it (its FLAT id follows it). */
  readonly name?: string | undefined;
  /** "min..max"; 0..1 when left out. */
  readonly occurrences?: string | undefined;
  /** The keys (at-codes, or nested archetype ids) of the catalogue nodes kept; every one when left out. */
  readonly nodes?: readonly string[] | undefined;
}

/** A new template, as the designer chooses it: a COMPOSITION archetype and its sections and entries. */
export interface NewTemplate {
  /** e.g. "UCP - Crisis plan.v1": the name, then `.v` and a number. */
  readonly templateId: string;
  /** The composition's name, as forms and plans show it. */
  readonly name: string;
  readonly purpose: string;
  readonly composition: string;
  readonly entries: readonly NewTemplateEntry[];
}

const CONTENT_TYPES = new Set(['SECTION', 'OBSERVATION', 'EVALUATION', 'INSTRUCTION', 'ACTION', 'ADMIN_ENTRY']);

/**
 * The template description of a new template made of catalogue archetypes, or every problem with
 * the input, each at its JSON pointer. The description has the archetypes' own codes, texts and
 * value constraints; what is ours is named in `localArchetypes`, as the builder requires.
 */
export function describeNewTemplate(
  catalogue: ArchetypeCatalogue,
  input: NewTemplate,
  author: { name: string; date: string },
): { description: unknown } | { problems: ErrorIssue[] } {
  const problems: ErrorIssue[] = [];
  const composition = catalogue.fragment(input.composition);
  if (!composition) problems.push({ path: '/composition', message: `${input.composition} is not an archetype of the catalogue` });
  else if (composition['rmType'] !== 'COMPOSITION')
    problems.push({ path: '/composition', message: `${input.composition} is a ${String(composition['rmType'])}, not a COMPOSITION` });

  const used = new Map<string, number>();
  const content = input.entries.flatMap((entry, index) => {
    const path = `/entries/${index}`;
    const fragment = catalogue.fragment(entry.archetypeId);
    if (!fragment) {
      problems.push({ path: `${path}/archetypeId`, message: `${entry.archetypeId} is not an archetype of the catalogue` });
      return [];
    }
    if (!CONTENT_TYPES.has(String(fragment['rmType']))) {
      problems.push({
        path: `${path}/archetypeId`,
        message: `${entry.archetypeId} is a ${String(fragment['rmType'])}; a composition holds sections and entries`,
      });
      return [];
    }
    const earlier = used.get(entry.archetypeId);
    if (earlier !== undefined) {
      problems.push({
        path: `${path}/archetypeId`,
        message: `${entry.archetypeId} is already entry ${earlier}; the composer cannot tell two uses of one archetype apart`,
      });
      return [];
    }
    used.set(entry.archetypeId, index);
    const children = childrenOf(fragment);
    if (entry.nodes !== undefined) {
      const known = new Set(children.map(nodeKey));
      entry.nodes.forEach((key, at) => {
        if (!known.has(key))
          problems.push({ path: `${path}/nodes/${at}`, message: `${key} is not a node of ${entry.archetypeId} in the catalogue` });
        else if (entry.nodes?.indexOf(key) !== at) problems.push({ path: `${path}/nodes/${at}`, message: `${key} is chosen twice` });
      });
      const kept = new Set(entry.nodes);
      fragment[Array.isArray(fragment['items']) ? 'items' : 'content'] = children.filter((child) => kept.has(nodeKey(child)));
    }
    return [
      {
        ...fragment,
        occurrences: entry.occurrences ?? '0..1',
        ...(entry.name === undefined || entry.name === fragment['text'] ? {} : { rename: entry.name }),
      },
    ];
  });
  if (problems.length > 0 || !composition) return { problems };

  const archetypes = [input.composition, ...input.entries.map((entry) => entry.archetypeId)];
  const nested = (node: Record<string, unknown>): string[] =>
    childrenOf(node).flatMap((child) => [...(typeof child['archetypeId'] === 'string' ? [child['archetypeId']] : []), ...nested(child)]);
  const local = [...new Set([...archetypes, ...content.flatMap(nested)])].filter((id) => catalogue.isLocal(id));
  const { rmType: _rmType, items: _items, content: _content, ...root } = composition;
  return {
    description: {
      templateId: input.templateId,
      concept: input.templateId.replace(/\.v[0-9]+$/, ''),
      language: 'en',
      description: { purpose: input.purpose, author, lifecycleState: 'in_development' },
      ...(local.length > 0 ? { localArchetypes: local } : {}),
      root: { ...root, ...(input.name === root['text'] ? {} : { rename: input.name }), content },
    },
  };
}

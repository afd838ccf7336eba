/**
 * What the operational template says about each node's RM type and name, for the parts FLAT
 * carries no key for: the structure nodes a web template leaves out (HISTORY, ITEM_TREE, a sole
 * EVENT), and names the template fixes to a coded term (a web template keeps only their text).
 */

import type { CArchetypeRoot, CObject, OperationalTemplate } from '../template/opt-model.js';
import { parseAqlPath, type PathStep } from './aql-path.js';
import type { SkippedNodeInfo } from './flat-to-canonical.js';

interface Entry {
  readonly rmType: string;
  /** language → name */
  readonly names: Readonly<Record<string, string>>;
  /** The coded term the template fixes as the name (the first, when it allows several). */
  readonly nameCode?: { readonly terminology: string; readonly code: string };
  /** The node's path, with the name predicates a web template writes (a name the template fixes). */
  readonly steps: readonly PathStep[];
}

/**
 * A lookup for `FlatToCompositionOptions.skippedNode`: archetype path (node ids, archetype ids
 * for archetype roots, and name predicates where the template fixes a name, as in web template
 * `aqlPath`s) and composition language → RM type and name of the node. Name predicates tell apart
 * siblings that share a node id; a path without them finds the first node with those node ids.
 */
export function skippedNodesFromTemplate(template: OperationalTemplate): (path: string, language: string) => SkippedNodeInfo | undefined {
  /** By path with node ids only: every node there, in template order. */
  const entries = new Map<string, Entry[]>();
  const defaultLanguage = template.language.codeString;

  const termTexts = (code: string, root: CArchetypeRoot): Record<string, string> => {
    const names: Record<string, string> = {};
    const sources = [root.termDefinitions, template.ontologies[root.archetypeId]?.termDefinitions ?? {}];
    for (const definitions of sources) {
      for (const [language, terms] of Object.entries(definitions)) {
        const text = terms[code]?.text;
        if (text !== undefined) names[language] ??= text;
      }
    }
    return names;
  };

  const walk = (object: CObject, steps: readonly PathStep[], root: CArchetypeRoot): void => {
    if (object.type !== 'C_COMPLEX_OBJECT' && object.type !== 'C_ARCHETYPE_ROOT') return;
    const here = object.type === 'C_ARCHETYPE_ROOT' ? object : root;
    if (steps.length > 0) {
      const key = idPath(steps);
      const entry = entryOf(object, here, steps);
      entries.set(key, [...(entries.get(key) ?? []), entry]);
    }
    for (const attribute of object.attributes) {
      for (const child of attribute.children) {
        const id = child.type === 'C_ARCHETYPE_ROOT' ? child.archetypeId : child.nodeId;
        const nameText = id ? predicateName(child, child.type === 'C_ARCHETYPE_ROOT' ? child : here) : undefined;
        walk(child, [...steps, { attribute: attribute.rmAttributeName, nodeId: id || undefined, name: nameText }], here);
      }
    }
  };

  /** The name a web template puts in the node's path predicate: the one name the template allows, if it allows one. */
  const predicateName = (object: CObject, root: CArchetypeRoot): string | undefined => {
    const fixed = fixedName(object);
    if (fixed === undefined) return undefined;
    if ('text' in fixed) return fixed.texts.length === 1 ? fixed.texts[0] : undefined;
    if (fixed.codes.length !== 1 || fixed.codes[0] === undefined) return undefined;
    return fixed.terminology === 'local' ? (termTexts(fixed.codes[0], root)[defaultLanguage] ?? fixed.codes[0]) : fixed.codes[0];
  };

  const entryOf = (object: CObject & { rmTypeName: string }, root: CArchetypeRoot, steps: readonly PathStep[]): Entry => {
    const fixed = fixedName(object);
    if (fixed !== undefined && 'text' in fixed) {
      const [only] = fixed.texts;
      if (only !== undefined && fixed.texts.length === 1) return { rmType: object.rmTypeName, names: { [defaultLanguage]: only }, steps };
    } else if (fixed !== undefined && fixed.codes[0] !== undefined) {
      const code = fixed.codes[0];
      const names = fixed.terminology === 'local' ? termTexts(code, root) : { [defaultLanguage]: code };
      return { rmType: object.rmTypeName, names, nameCode: { terminology: fixed.terminology, code }, steps };
    }
    const nodeCode = object.type === 'C_ARCHETYPE_ROOT' ? object.nodeId || 'at0000' : 'nodeId' in object ? object.nodeId : '';
    return { rmType: object.rmTypeName, names: termTexts(nodeCode, root), steps };
  };

  walk(template.definition, [], template.definition);

  return (path, language) => {
    const steps = parseAqlPath(path);
    const candidates = entries.get(idPath(steps)) ?? [];
    const entry = candidates.find((candidate) => namesAgree(candidate.steps, steps)) ?? candidates[0];
    if (!entry) return undefined;
    const name = entry.names[language] ?? entry.names[defaultLanguage] ?? Object.values(entry.names)[0];
    return {
      rmType: entry.rmType,
      ...(name === undefined ? {} : { name }),
      ...(entry.nameCode === undefined ? {} : { nameCode: entry.nameCode }),
    };
  };
}

function idPath(steps: readonly PathStep[]): string {
  return steps.map((s) => (s.nodeId ? `/${s.attribute}[${s.nodeId}]` : `/${s.attribute}`)).join('');
}

/** True when no step names the node differently in the two paths (a step without name agrees with any). */
function namesAgree(template: readonly PathStep[], query: readonly PathStep[]): boolean {
  return template.every((step, i) => {
    const asked = query[i]?.name;
    return step.name === undefined || asked === undefined || step.name === asked;
  });
}

type FixedName =
  { readonly text: true; readonly texts: readonly string[] } | { readonly terminology: string; readonly codes: readonly string[] };

/** The names a template allows with a constraint on the node's `name`: texts (`name/value`) or coded terms (`name/defining_code`). */
function fixedName(object: CObject): FixedName | undefined {
  if (object.type !== 'C_COMPLEX_OBJECT' && object.type !== 'C_ARCHETYPE_ROOT') return undefined;
  const name = object.attributes.find((a) => a.rmAttributeName === 'name')?.children[0];
  if (name?.type !== 'C_COMPLEX_OBJECT') return undefined;
  const value = name.attributes.find((a) => a.rmAttributeName === 'value')?.children[0];
  if (value?.type === 'C_PRIMITIVE_OBJECT' && value.item.type === 'C_STRING' && value.item.list.length > 0)
    return { text: true, texts: value.item.list };
  const code = name.attributes.find((a) => a.rmAttributeName === 'defining_code')?.children[0];
  if ((code?.type !== 'C_CODE_PHRASE' && code?.type !== 'C_CODE_REFERENCE') || code.codeList.length === 0) return undefined;
  return { terminology: code.terminologyId ?? 'local', codes: code.codeList };
}

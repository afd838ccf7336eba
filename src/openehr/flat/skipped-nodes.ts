/**
 * Names and types of the structure nodes a web template leaves out (HISTORY, ITEM_TREE, a sole
 * EVENT), read from the operational template. FLAT carries no key for them, so a converter needs
 * this to rebuild them exactly as the template defines them.
 */

import type { CArchetypeRoot, CObject, OperationalTemplate } from '../template/opt-model.js';
import type { SkippedNodeInfo } from './flat-to-canonical.js';

interface Entry {
  readonly rmType: string;
  /** language → name */
  readonly names: Readonly<Record<string, string>>;
}

/**
 * A lookup for `FlatToCompositionOptions.skippedNode`: archetype path (node ids only, archetype
 * ids for archetype roots) and composition language → RM type and name of the node.
 */
export function skippedNodesFromTemplate(
  template: OperationalTemplate,
): (path: string, language: string) => SkippedNodeInfo | undefined {
  const entries = new Map<string, Entry>();
  const defaultLanguage = template.language.codeString;

  const namesOf = (object: CObject, root: CArchetypeRoot): Record<string, string> => {
    const explicit = explicitName(object);
    if (explicit !== undefined) return { [defaultLanguage]: explicit };
    const code = object.type === 'C_ARCHETYPE_ROOT' ? object.nodeId || 'at0000' : object.nodeId;
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

  const walk = (object: CObject, path: string, root: CArchetypeRoot): void => {
    if (object.type !== 'C_COMPLEX_OBJECT' && object.type !== 'C_ARCHETYPE_ROOT') return;
    const here = object.type === 'C_ARCHETYPE_ROOT' ? object : root;
    if (path !== '' && !entries.has(path)) entries.set(path, { rmType: object.rmTypeName, names: namesOf(object, here) });
    for (const attribute of object.attributes) {
      for (const child of attribute.children) {
        const id = child.type === 'C_ARCHETYPE_ROOT' ? child.archetypeId : child.nodeId;
        walk(child, `${path}/${attribute.rmAttributeName}${id ? `[${id}]` : ''}`, here);
      }
    }
  };
  walk(template.definition, '', template.definition);

  return (path, language) => {
    const entry = entries.get(path);
    if (!entry) return undefined;
    const name = entry.names[language] ?? entry.names[defaultLanguage] ?? Object.values(entry.names)[0];
    return name === undefined ? { rmType: entry.rmType } : { rmType: entry.rmType, name };
  };
}

/** The name a template fixes with a constraint on the node's `name/value`, if any. */
function explicitName(object: CObject): string | undefined {
  if (object.type !== 'C_COMPLEX_OBJECT' && object.type !== 'C_ARCHETYPE_ROOT') return undefined;
  const name = object.attributes.find((a) => a.rmAttributeName === 'name')?.children[0];
  if (name?.type !== 'C_COMPLEX_OBJECT') return undefined;
  const value = name.attributes.find((a) => a.rmAttributeName === 'value')?.children[0];
  if (value?.type !== 'C_PRIMITIVE_OBJECT' || value.item.type !== 'C_STRING') return undefined;
  return value.item.list.length === 1 ? value.item.list[0] : undefined;
}

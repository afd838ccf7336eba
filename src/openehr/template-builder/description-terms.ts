import type { ArchetypeNode, ContentItem, TemplateDescription, TreeItem, ValueConstraint } from './template-description.js';

/** One at-code a description uses, with the archetype it belongs to and the text it gives it. */
export interface DescriptionTerm {
  readonly archetypeId: string;
  readonly code: string;
  readonly text: string;
  /** Where in the description, for messages. */
  readonly path: string;
}

/** The texts the compiler gives structure nodes the author leaves unnamed. */
export const DEFAULT_STRUCTURE_TEXT = {
  history: 'History',
  event: 'Any event',
  data: 'Tree',
  activity: 'Current Activity',
  otherContext: 'Tree',
} as const;

/**
 * Every at-code of a (checked) description with its archetype and text: archetype roots (at0000),
 * structure nodes, CLUSTERs, ELEMENTs, local coded values, ordinal symbols and careflow steps. The
 * archetype fidelity check compares them with the published archetypes.
 */
export function descriptionTerms(description: TemplateDescription): DescriptionTerm[] {
  const terms: DescriptionTerm[] = [];
  const root = (node: ArchetypeNode, path: string): string => {
    terms.push({ archetypeId: node.archetypeId, code: 'at0000', text: node.text, path });
    return node.archetypeId;
  };
  const values = (archetypeId: string, value: ValueConstraint, path: string): void => {
    if (value.type === 'DV_CODED_TEXT' && value.terminology === 'local') {
      (value.codes ?? []).forEach((term, index) =>
        terms.push({ archetypeId, code: term.code, text: term.text, path: `${path}/codes/${index}` }),
      );
    }
    if (value.type === 'DV_ORDINAL')
      value.scale.forEach((term, index) => terms.push({ archetypeId, code: term.code, text: term.text, path: `${path}/scale/${index}` }));
  };
  const items = (archetypeId: string, list: readonly TreeItem[], path: string): void => {
    list.forEach((item, index) => {
      const here = `${path}/${index}`;
      if ('archetypeId' in item) {
        items(root(item, here), item.items, `${here}/items`);
        return;
      }
      terms.push({ archetypeId, code: item.code, text: item.text, path: here });
      if (item.rmType === 'CLUSTER') items(archetypeId, item.items, `${here}/items`);
      else values(archetypeId, item.value, `${here}/value`);
    });
  };
  const content = (item: ContentItem, path: string): void => {
    const archetypeId = root(item, path);
    if (item.rmType === 'SECTION') {
      item.items.forEach((child, index) => content(child, `${path}/items/${index}`));
      return;
    }
    const structures: [string, { code: string; text?: string } | undefined, string][] = [
      ['history', 'history' in item ? item.history : undefined, DEFAULT_STRUCTURE_TEXT.history],
      ['event', 'event' in item ? item.event : undefined, DEFAULT_STRUCTURE_TEXT.event],
      ['activity', 'activity' in item ? item.activity : undefined, DEFAULT_STRUCTURE_TEXT.activity],
      ['data', item.data, DEFAULT_STRUCTURE_TEXT.data],
    ];
    for (const [name, structure, text] of structures) {
      if (structure !== undefined) terms.push({ archetypeId, code: structure.code, text: structure.text ?? text, path: `${path}/${name}` });
    }
    if (item.rmType === 'ACTION')
      (item.careflowSteps ?? []).forEach((step, index) =>
        terms.push({ archetypeId, code: step.code, text: step.text, path: `${path}/careflowSteps/${index}` }),
      );
    items(archetypeId, item.items, `${path}/items`);
  };
  const composition = root(description.root, '/root');
  const context = description.root.otherContext;
  if (context !== undefined) {
    terms.push({
      archetypeId: composition,
      code: context.code,
      text: context.text ?? DEFAULT_STRUCTURE_TEXT.otherContext,
      path: '/root/otherContext',
    });
    items(composition, context.items, '/root/otherContext/items');
  }
  description.root.content.forEach((item, index) => content(item, `/root/content/${index}`));
  return terms;
}

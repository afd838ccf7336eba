import type { Narrative } from '@medplum/fhirtypes';

/**
 * XHTML narrative (FHIR R4 §2.4): a small tree of the elements the specification allows, every
 * text escaped, so a value recorded in a plan can never become markup in a record system.
 */
export type Html = {
  tag: 'div' | 'h2' | 'h3' | 'p' | 'ul' | 'li' | 'table' | 'tbody' | 'tr' | 'th' | 'td' | 'b';
  children: (Html | string)[];
};

export const h = (tag: Html['tag'], ...children: (Html | string | undefined | false)[]): Html => ({
  tag,
  children: children.filter((child): child is Html | string => child !== undefined && child !== false),
});

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function render(node: Html | string): string {
  if (typeof node === 'string') return escapeXml(node);
  return `<${node.tag}>${node.children.map(render).join('')}</${node.tag}>`;
}

/** A generated narrative: the div carries the XHTML namespace, as the specification requires. */
export function narrative(...children: (Html | string | undefined | false)[]): Narrative {
  const body = h('div', ...children)
    .children.map(render)
    .join('');
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${body}</div>` };
}

/** A two-column table of labelled values; undefined when there is nothing to show. */
export function labelledTable(rows: readonly { label: string; value: string }[]): Html | undefined {
  if (rows.length === 0) return undefined;
  return h('table', h('tbody', ...rows.map((row) => h('tr', h('th', row.label), h('td', row.value)))));
}

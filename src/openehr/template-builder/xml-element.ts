/** A minimal XML element for writing: name, attributes, and either text or children. */
export interface XmlNode {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly children?: readonly XmlNode[];
}

export function element(name: string, children: readonly (XmlNode | undefined)[] = [], attributes?: Record<string, string>): XmlNode {
  return {
    name,
    children: children.filter((child): child is XmlNode => child !== undefined),
    ...(attributes !== undefined ? { attributes } : {}),
  };
}

export function textElement(name: string, text: string | number | boolean, attributes?: Record<string, string>): XmlNode {
  return { name, text: String(text), ...(attributes !== undefined ? { attributes } : {}) };
}

function escape(text: string, quote: boolean): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return quote ? escaped.replace(/"/g, '&quot;') : escaped;
}

/** Serialises with two-space indentation and one element per line, so committed OPTs diff well. */
export function serializeXml(root: XmlNode): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const write = (node: XmlNode, depth: number): void => {
    const indent = '  '.repeat(depth);
    const attributes = Object.entries(node.attributes ?? {})
      .map(([key, value]) => ` ${key}="${escape(value, true)}"`)
      .join('');
    const children = node.children ?? [];
    if (children.length > 0) {
      lines.push(`${indent}<${node.name}${attributes}>`);
      for (const child of children) write(child, depth + 1);
      lines.push(`${indent}</${node.name}>`);
    } else if (node.text !== undefined && node.text !== '') {
      lines.push(`${indent}<${node.name}${attributes}>${escape(node.text, false)}</${node.name}>`);
    } else {
      lines.push(`${indent}<${node.name}${attributes}/>`);
    }
  };
  write(root, 0);
  return `${lines.join('\n')}\n`;
}

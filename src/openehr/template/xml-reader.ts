import { describePosition, positionAt } from './source-position.js';
import type { SourcePosition } from './template-parse-error.js';
import type { XmlElement } from './xml-tree.js';

export type Multiplicity = '1' | '?' | '*' | '+';

/**
 * Collects problems while the OPT is read, so one error can list all of them with their positions
 * instead of stopping at the first.
 */
export class ProblemCollector {
  readonly problems: string[] = [];
  firstPosition: SourcePosition | undefined;
  readonly #source: string;

  constructor(source: string) {
    this.#source = source;
  }

  report(element: XmlElement, message: string): void {
    const position = positionAt(this.#source, element.offset);
    this.firstPosition ??= position;
    this.problems.push(`${message} (${describePosition(position)})`);
  }
}

export function childElements(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

export function childElement(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((child) => child.name === name);
}

/** Text of a child element, or undefined when the child is absent. Untrimmed: OPT text is kept verbatim. */
export function childText(element: XmlElement, name: string): string | undefined {
  return childElement(element, name)?.text;
}

/** `<x><value>text</value></x>`, the XML form of OBJECT_ID and TERMINOLOGY_ID. */
export function childValue(element: XmlElement, name: string): string | undefined {
  const child = childElement(element, name);
  return child === undefined ? undefined : childText(child, 'value');
}

export function xsiType(element: XmlElement): string | undefined {
  const type = element.attributes['type'];
  if (type === undefined) return undefined;
  const colon = type.indexOf(':');
  return colon === -1 ? type.trim() : type.slice(colon + 1).trim();
}

/**
 * Checks the children of `element` against a content model: unknown elements and wrong counts are
 * reported. Order is not checked; the schema's sequences are not meaningful to us.
 */
export function checkContent(
  element: XmlElement,
  model: Readonly<Record<string, Multiplicity>>,
  problems: ProblemCollector,
  context: string,
): void {
  const counts = new Map<string, number>();
  for (const child of element.children) {
    const multiplicity = model[child.name];
    if (multiplicity === undefined) {
      problems.report(child, `Unexpected element <${child.name}> in ${context}`);
      continue;
    }
    const count = (counts.get(child.name) ?? 0) + 1;
    counts.set(child.name, count);
    if (count === 2 && (multiplicity === '1' || multiplicity === '?')) {
      problems.report(child, `Element <${child.name}> appears more than once in ${context}; at most one is allowed`);
    }
  }
  for (const [name, multiplicity] of Object.entries(model)) {
    if ((multiplicity === '1' || multiplicity === '+') && !counts.has(name)) {
      problems.report(element, `Missing mandatory element <${name}> in ${context}`);
    }
  }
}

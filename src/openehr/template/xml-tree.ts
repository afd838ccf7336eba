import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describePosition, positionAt } from './source-position.js';
import { TemplateParseError } from './template-parse-error.js';
import { describeXmlSafetyProblem, findXmlSafetyProblem } from '../rm/xml-safety.js';

/** A namespace-stripped XML element with its children in document order. */
export interface XmlElement {
  /** Local name, without namespace prefix. */
  readonly name: string;
  /** Namespace prefix of the element name, '' when unprefixed. */
  readonly prefix: string;
  /** Attributes by local name; namespace declarations are kept under their own names (xmlns, xmlns:x). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own character data (text and CDATA), entity references decoded, untrimmed. */
  readonly text: string;
  /** Offset of the start tag in the source, for error positions. */
  readonly offset: number;
}

type OrderedEntry = Record<string, unknown>;

// The library types the symbol as the boxed `Symbol`; it is a primitive symbol at run time.
const METADATA = XMLParser.getMetaDataSymbol() as unknown as symbol;

// Entities are decoded here rather than by the parser: the guard already allows only predefined
// entities and character references, and decoding in one pass cannot double-decode '&amp;lt;'.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  removeNSPrefix: false,
  cdataPropName: '#cdata',
  captureMetaData: true,
  // Operational templates nest deeply (an element in a cluster in an event in an observation...).
  maxNestedTags: 2000,
});

/**
 * Parses XML into an element tree after the shared safety check (rm/xml-safety.ts: no DTD, no
 * entities but the predefined ones) and a well-formedness check. Throws {@link TemplateParseError} with the position of the problem.
 */
export function parseXmlTree(xml: string): XmlElement {
  const source = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  const unsafe = findXmlSafetyProblem(source);
  if (unsafe !== undefined) {
    const position = positionAt(source, unsafe.offset);
    throw new TemplateParseError(`${describeXmlSafetyProblem(unsafe)} (${describePosition(position)})`, position);
  }
  if (!hasElement(source)) {
    throw new TemplateParseError('The document is empty: it has no root element', positionAt(source, source.length));
  }
  const validation = XMLValidator.validate(source);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    const position = { line, column: col ?? 1 };
    throw new TemplateParseError(`Malformed XML: ${msg} (${describePosition(position)})`, position);
  }
  let entries: unknown;
  try {
    entries = parser.parse(source);
  } catch (error) {
    throw new TemplateParseError(`Malformed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const root = Array.isArray(entries) ? entries.map((entry) => toElement(entry)).find((element) => element !== undefined) : undefined;
  if (root === undefined) {
    throw new TemplateParseError('The document has no root element (empty XML document)', positionAt(source, source.length));
  }
  return root;
}

function toElement(entry: unknown): XmlElement | undefined {
  if (!isRecord(entry)) return undefined;
  const tag = Object.keys(entry).find((key) => key !== ':@' && !key.startsWith('#') && !key.startsWith('?'));
  if (tag === undefined) return undefined;
  const content = entry[tag];
  const children: XmlElement[] = [];
  let text = '';
  if (Array.isArray(content)) {
    for (const item of content) {
      if (!isRecord(item)) continue;
      const value = item['#text'];
      if (typeof value === 'string') {
        text += decodeReferences(value);
        continue;
      }
      const cdata = item['#cdata'];
      if (Array.isArray(cdata)) {
        for (const part of cdata) if (isRecord(part) && typeof part['#text'] === 'string') text += part['#text'];
        continue;
      }
      const child = toElement(item);
      if (child !== undefined) children.push(child);
    }
  }
  const attributes: Record<string, string> = {};
  const rawAttributes = entry[':@'];
  if (isRecord(rawAttributes)) {
    for (const [key, value] of Object.entries(rawAttributes)) {
      if (typeof value === 'string') attributes[key.startsWith('xmlns') ? key : localName(key)] = decodeReferences(value);
    }
  }
  const metadata: unknown = (entry as Record<symbol, unknown>)[METADATA];
  const offset = isRecord(metadata) && typeof metadata['startIndex'] === 'number' ? metadata['startIndex'] : 0;
  const colon = tag.indexOf(':');
  return { name: localName(tag), prefix: colon === -1 ? '' : tag.slice(0, colon), attributes, children, text, offset };
}

/** True when something other than the XML declaration, comments, processing instructions and space is present. */
function hasElement(source: string): boolean {
  return /<[A-Za-z_:]/.test(source.replace(/<!--[\s\S]*?-->/g, ''));
}

export function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeReferences(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(
    /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g,
    (whole, decimal?: string, hex?: string, name?: string) => {
      if (name !== undefined) return NAMED[name] ?? whole;
      const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
      return String.fromCodePoint(codePoint);
    },
  );
}

function isRecord(value: unknown): value is OrderedEntry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

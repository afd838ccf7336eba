/**
 * Canonical XML ⇄ canonical JSON for any RM object, following the openEHR XML schemas: namespace
 * http://schemas.openehr.org/v1, elements named after RM attributes in schema order (rm-info.ts),
 * LOCATABLE.archetype_node_id as an XML attribute, and `xsi:type` naming the RM class where the
 * value's class is not the declared one.
 *
 * `_type` and `xsi:type` map one to one: the writer emits `xsi:type` where the JSON has `_type`
 * (and on the root, and where the schema declares another type than the value's, as it does for
 * generic attributes such as VERSION.data), and the reader emits `_type` exactly where the XML
 * has `xsi:type` (and on the root), so JSON → XML → JSON returns the same JSON, except for
 * what XML cannot hold: `null`s and empty optional lists disappear (empty mandatory lists are
 * restored). Use withExplicitRmTypes() for a form with `_type` everywhere.
 *
 * The reader refuses DOCTYPE and ENTITY declarations (XXE, entity expansion) and any undeclared
 * entity (xml-safety.ts, the check every XML reader here shares). It types primitive values by the RM (numbers, booleans) and keeps elements the RM does
 * not know, so checkRmStructure() can report them; it throws only on XML it cannot read.
 * The writer throws on values it cannot express in the schema (an object without a resolvable
 * type, an attribute the class lacks), naming the JSON path.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { RM_ANY_TYPE, getRmClass, isRmPrimitiveType, listRmAttributes, resolveRmObjectType, rmBaseTypeName } from './rm-info.js';
import type { RmAttributeInfo } from './rm-info.js';
import { describeXmlSafetyProblem, findXmlSafetyProblem } from './xml-safety.js';
import { isJsonObject } from '../../shared/json.js';

export const OPENEHR_XML_NAMESPACE = 'http://schemas.openehr.org/v1';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/** Root element names of the openEHR XML document schemas, and the class each declares. */
const ROOT_ELEMENT_TYPES: Readonly<Record<string, string>> = {
  composition: 'COMPOSITION',
  version: 'ORIGINAL_VERSION',
  folder: 'FOLDER',
  ehr_status: 'EHR_STATUS',
  ehr_access: 'EHR_ACCESS',
  contribution: 'CONTRIBUTION',
  ehr: 'EHR',
};

export class CanonicalXmlError extends Error {
  override readonly name = 'CanonicalXmlError';
  /** JSON path of the offending value, for errors while writing. */
  readonly path: string | undefined;

  constructor(message: string, path?: string) {
    super(path === undefined ? message : `${path === '' ? '/' : path}: ${message}`);
    this.path = path;
  }
}

export interface ParseCanonicalXmlOptions {
  /** Type of the root when it has no `xsi:type`; by default derived from the element name. */
  readonly type?: string;
  /** Deepest element nesting accepted (default 256). */
  readonly maxDepth?: number;
}

export interface ToCanonicalXmlOptions {
  /** Type of the root when the JSON root has no `_type`. */
  readonly type?: string;
  /** Root element name; by default `composition`, `version`, `folder`… as in the schemas. */
  readonly rootElement?: string;
  /** Write the `<?xml …?>` declaration (default true). */
  readonly declaration?: boolean;
  /** Indentation per level (default two spaces); '' writes everything on one line. */
  readonly indent?: string;
}

// ---------------------------------------------------------------------------------------------
// Reading

interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

type XmlNode = XmlElement | { readonly text: string };

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY_REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);/g;

function decodeEntities(text: string): string {
  return text.replace(ENTITY_REFERENCE, (_reference, body: string) => {
    if (body.startsWith('#')) {
      const code = body.startsWith('#x') ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (code === 0 || code > 0x10ffff) throw new CanonicalXmlError(`invalid character reference &${body};`);
      return String.fromCodePoint(code);
    }
    const replacement = PREDEFINED_ENTITIES[body];
    if (replacement === undefined) throw new CanonicalXmlError(`undeclared entity &${body};`);
    return replacement;
  });
}

/** fast-xml-parser's ordered output → a small typed tree with entities decoded. */
function toXmlNodes(parsed: unknown): XmlNode[] {
  if (!Array.isArray(parsed)) return [];
  const nodes: XmlNode[] = [];
  for (const entry of parsed) {
    if (!isJsonObject(entry)) continue;
    const key = Object.keys(entry).find((candidate) => candidate !== ':@');
    if (key === undefined) continue;
    const content = entry[key];
    if (key === '#text') {
      nodes.push({ text: decodeEntities(String(content)) });
    } else if (key === '#cdata') {
      // CDATA is exempt from entity decoding.
      const parts: unknown[] = Array.isArray(content) ? content : [];
      nodes.push({ text: parts.map((part) => (isJsonObject(part) ? String(part['#text'] ?? '') : '')).join('') });
    } else {
      const rawAttributes = isJsonObject(entry[':@']) ? entry[':@'] : {};
      const attributes: Record<string, string> = {};
      for (const [name, value] of Object.entries(rawAttributes)) attributes[name] = decodeEntities(String(value));
      nodes.push({ name: key, attributes, children: toXmlNodes(content) });
    }
  }
  return nodes;
}

function isElement(node: XmlNode): node is XmlElement {
  return 'name' in node;
}

function localName(qualifiedName: string): string {
  const colon = qualifiedName.indexOf(':');
  return colon < 0 ? qualifiedName : qualifiedName.slice(colon + 1);
}

function textOf(element: XmlElement): string {
  return element.children.map((node) => ('text' in node ? node.text : '')).join('');
}

interface ReadAttributes {
  readonly xsiType: string | undefined;
  readonly attributes: ReadonlyMap<string, string>;
  readonly scope: ReadonlyMap<string, string>;
}

function readAttributes(element: XmlElement, parentScope: ReadonlyMap<string, string>): ReadAttributes {
  const scope = new Map(parentScope);
  for (const [name, value] of Object.entries(element.attributes)) {
    if (name === 'xmlns') scope.set('', value);
    else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
  }
  let xsiType: string | undefined;
  const attributes = new Map<string, string>();
  for (const [name, value] of Object.entries(element.attributes)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const colon = name.indexOf(':');
    if (colon < 0) {
      attributes.set(name, value);
      continue;
    }
    const prefix = name.slice(0, colon);
    const isXsi = scope.get(prefix) === XSI_NAMESPACE || (prefix === 'xsi' && !scope.has(prefix));
    if (isXsi && name.slice(colon + 1) === 'type') xsiType = localName(value.trim());
  }
  return { xsiType, attributes, scope };
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const REAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Text → JSON primitive by RM type; text that does not fit stays a string for the checker to report. */
function primitiveFromText(text: string, type: string): unknown {
  const trimmed = text.trim();
  switch (type) {
    case 'Boolean':
      if (trimmed === 'true' || trimmed === '1') return true;
      if (trimmed === 'false' || trimmed === '0') return false;
      return text;
    case 'Integer':
    case 'Integer64':
    case 'PROPORTION_KIND':
      return INTEGER_TEXT.test(trimmed) ? Number(trimmed) : text;
    case 'Real':
    case 'Double':
      return REAL_TEXT.test(trimmed) ? Number(trimmed) : text;
    case 'Array<Octet>':
      return trimmed;
    default:
      return text;
  }
}

function groupChildren(element: XmlElement): Map<string, XmlElement[]> {
  const groups = new Map<string, XmlElement[]>();
  for (const child of element.children) {
    if (!isElement(child)) continue;
    const name = localName(child.name);
    const group = groups.get(name);
    if (group) group.push(child);
    else groups.set(name, [child]);
  }
  return groups;
}

/** Elements the RM cannot type: kept as strings and objects so that nothing is lost silently. */
function untypedValue(element: XmlElement, scope: ReadonlyMap<string, string>): unknown {
  const read = readAttributes(element, scope);
  const groups = groupChildren(element);
  if (groups.size === 0 && read.attributes.size === 0 && read.xsiType === undefined) return textOf(element);
  const result: Record<string, unknown> = {};
  if (read.xsiType !== undefined) result._type = read.xsiType;
  for (const [name, value] of read.attributes) result[name] = value;
  for (const [name, group] of groups) {
    const values = group.map((child) => untypedValue(child, read.scope));
    result[name] = values.length === 1 ? values[0] : values;
  }
  return result;
}

function typedValue(element: XmlElement, declaredType: string, scope: ReadonlyMap<string, string>): unknown {
  const read = readAttributes(element, scope);
  if (read.xsiType === undefined && isRmPrimitiveType(declaredType)) {
    return groupChildren(element).size > 0 ? untypedValue(element, scope) : primitiveFromText(textOf(element), declaredType);
  }
  const type =
    read.xsiType === undefined
      ? resolveRmObjectType(undefined, declaredType)
      : (resolveRmObjectType(read.xsiType, declaredType) ?? (getRmClass(read.xsiType) ? read.xsiType : undefined));
  if (type === undefined) return untypedValue(element, scope);
  const groups = groupChildren(element);
  if (groups.size === 0 && read.attributes.size === 0 && read.xsiType === undefined && textOf(element).trim() !== '') {
    return textOf(element);
  }
  const result: Record<string, unknown> = {};
  if (read.xsiType !== undefined) result._type = read.xsiType;
  const attributes = listRmAttributes(type);
  const convert = (child: XmlElement, attribute: RmAttributeInfo): unknown => typedValue(child, attribute.type, read.scope);
  for (const attribute of attributes) {
    const xmlAttributeValue = read.attributes.get(attribute.name);
    if (xmlAttributeValue !== undefined) {
      result[attribute.name] = primitiveFromText(xmlAttributeValue, attribute.type);
      continue;
    }
    const group = groups.get(attribute.name);
    if (!group) {
      // An empty list has no XML form; a mandatory one (EHR.contributions) must still be there.
      if (attribute.multiple && attribute.mandatory) result[attribute.name] = [];
      continue;
    }
    // A repeated single-valued element becomes a list, which the structure check reports.
    result[attribute.name] =
      attribute.multiple || group.length > 1 ? group.map((child) => convert(child, attribute)) : convert(group[0] as XmlElement, attribute);
  }
  for (const [name, value] of read.attributes) {
    if (!Object.hasOwn(result, name)) result[name] = value;
  }
  for (const [name, group] of groups) {
    if (Object.hasOwn(result, name)) continue;
    const values = group.map((child) => untypedValue(child, read.scope));
    result[name] = values.length === 1 ? values[0] : values;
  }
  return result;
}

const parser = (maxDepth: number): XMLParser =>
  new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: false,
    htmlEntities: false,
    cdataPropName: '#cdata',
    commentPropName: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth,
  });

/** Canonical XML of an RM object → canonical JSON. */
export function parseCanonicalXml(input: string, options: ParseCanonicalXmlOptions = {}): Record<string, unknown> {
  if (typeof input !== 'string') throw new CanonicalXmlError('XML input must be a string');
  const xml = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const unsafe = findXmlSafetyProblem(xml);
  if (unsafe !== undefined) throw new CanonicalXmlError(describeXmlSafetyProblem(unsafe));
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new CanonicalXmlError(`not well-formed XML: ${msg} (line ${line}, column ${col})`);
  }
  let parsed: unknown;
  try {
    parsed = parser(options.maxDepth ?? 256).parse(xml);
  } catch (error) {
    throw new CanonicalXmlError(`unreadable XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const roots = toXmlNodes(parsed).filter(isElement);
  const root = roots[0];
  if (!root || roots.length > 1) throw new CanonicalXmlError('the document must have exactly one root element');
  const declaredType = options.type ?? ROOT_ELEMENT_TYPES[localName(root.name)] ?? RM_ANY_TYPE;
  const value = typedValue(root, declaredType, new Map());
  if (!isJsonObject(value)) throw new CanonicalXmlError(`the root element <${root.name}> holds no RM object`);
  if (value._type === undefined && resolveRmObjectType(undefined, declaredType)) return { _type: rmBaseTypeName(declaredType), ...value };
  return value;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Characters XML 1.0 cannot carry at all, even as references. */
function hasInvalidXmlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffe || code === 0xffff) return true;
  }
  return false;
}

function escapeText(text: string, path: string): string {
  if (hasInvalidXmlCharacter(text)) throw new CanonicalXmlError('contains a character XML cannot represent', path);
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function escapeAttribute(text: string, path: string): string {
  return escapeText(text, path).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function primitiveText(value: unknown, type: string, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new CanonicalXmlError(`expected ${type}, found ${value === null ? 'null' : typeof value}`, path);
}

function rootElementName(type: string): string {
  const name = rmBaseTypeName(type);
  const known = Object.entries(ROOT_ELEMENT_TYPES).find(([, rootType]) => rootType === name)?.[0];
  if (known) return known;
  return name === 'IMPORTED_VERSION' ? 'version' : name.toLowerCase();
}

/** Where a value is written: its element name, its declared type, and the path for errors. */
interface Slot {
  readonly name: string;
  /** The declared type, specialised by the generic arguments in effect (`EVENT<ITEM_TREE>.data` → ITEM_TREE). */
  readonly declaredType: string;
  /** The type the schema declares for the element (`EVENT.data` → ITEM_STRUCTURE, `VERSION.data` → Any). */
  readonly schemaType: string;
  readonly path: string;
  readonly depth: number;
}

class XmlWriter {
  private readonly out: string[] = [];

  constructor(private readonly indent: string) {}

  toString(): string {
    return this.out.join(this.indent === '' ? '' : '\n');
  }

  line(depth: number, text: string): void {
    this.out.push(this.indent.repeat(depth) + text);
  }

  value(slot: Slot, value: unknown): void {
    const { name, declaredType, path, depth } = slot;
    if (isRmPrimitiveType(declaredType)) {
      if (typeof value === 'object' && value !== null) throw new CanonicalXmlError(`expected ${declaredType}, found an object`, path);
      this.line(depth, `<${name}>${escapeText(primitiveText(value, declaredType, path), path)}</${name}>`);
      return;
    }
    if (!isJsonObject(value)) throw new CanonicalXmlError(`expected an RM object of type ${declaredType}`, path);
    this.object(slot, value, []);
  }

  object(slot: Slot, value: Record<string, unknown>, rootAttributes: readonly string[]): void {
    const { name, declaredType, schemaType, path, depth } = slot;
    const type = resolveRmObjectType(value._type, declaredType);
    if (type === undefined) {
      const reason =
        value._type === undefined
          ? `_type is required where ${declaredType} is declared`
          : `_type ${JSON.stringify(value._type)} is not a ${declaredType}`;
      throw new CanonicalXmlError(reason, path);
    }
    const className = rmBaseTypeName(type);
    const attributes = listRmAttributes(type);
    for (const key of Object.keys(value)) {
      if (key !== '_type' && !attributes.some((attribute) => attribute.name === key)) {
        throw new CanonicalXmlError(`${className} has no attribute '${key}'`, `${path}/${key}`);
      }
    }
    const xmlAttributes = [...rootAttributes];
    // The schema needs xsi:type wherever it declares another type; JSON's _type is mirrored too.
    if (rootAttributes.length > 0 || value._type !== undefined || rmBaseTypeName(schemaType) !== className) {
      xmlAttributes.push(`xsi:type="${className}"`);
    }
    const schemaAttributes = listRmAttributes(className);
    const children: Slot[] = [];
    const childValues: unknown[] = [];
    for (const attribute of attributes) {
      const attributeValue = value[attribute.name];
      if (attributeValue === undefined || attributeValue === null) continue;
      const attributePath = `${path}/${attribute.name}`;
      if (attribute.xmlAttribute) {
        xmlAttributes.push(
          `${attribute.name}="${escapeAttribute(primitiveText(attributeValue, attribute.type, attributePath), attributePath)}"`,
        );
        continue;
      }
      const schemaAttributeType = schemaAttributes.find((candidate) => candidate.name === attribute.name)?.type ?? attribute.type;
      const child = { name: attribute.name, declaredType: attribute.type, schemaType: schemaAttributeType, depth: depth + 1 };
      if (attribute.multiple) {
        if (!Array.isArray(attributeValue)) throw new CanonicalXmlError(`${className}.${attribute.name} must be a list`, attributePath);
        attributeValue.forEach((item: unknown, index) => {
          children.push({ ...child, path: `${attributePath}[${index}]` });
          childValues.push(item);
        });
      } else {
        if (Array.isArray(attributeValue)) throw new CanonicalXmlError(`${className}.${attribute.name} must not be a list`, attributePath);
        children.push({ ...child, path: attributePath });
        childValues.push(attributeValue);
      }
    }
    const open = [name, ...xmlAttributes].join(' ');
    if (children.length === 0) {
      this.line(depth, `<${open}/>`);
      return;
    }
    this.line(depth, `<${open}>`);
    children.forEach((child, index) => this.value(child, childValues[index]));
    this.line(depth, `</${name}>`);
  }
}

/** Canonical JSON of an RM object → canonical XML. */
export function toCanonicalXml(value: unknown, options: ToCanonicalXmlOptions = {}): string {
  if (!isJsonObject(value)) throw new CanonicalXmlError('expected an RM object', '');
  const type = resolveRmObjectType(value._type, options.type ?? RM_ANY_TYPE);
  if (type === undefined) throw new CanonicalXmlError('the root needs a _type (or options.type) naming a concrete RM class', '');
  const writer = new XmlWriter(options.indent ?? '  ');
  if (options.declaration !== false) writer.line(0, '<?xml version="1.0" encoding="UTF-8"?>');
  const root = { name: options.rootElement ?? rootElementName(type), declaredType: type, schemaType: type, path: '', depth: 0 };
  writer.object(root, value, [`xmlns="${OPENEHR_XML_NAMESPACE}"`, `xmlns:xsi="${XSI_NAMESPACE}"`]);
  return writer.toString();
}

/**
 * Run-time metadata of the openEHR Reference Model: classes, inheritance, generic parameters and
 * attributes (in XML-schema order). Validation, canonical XML and the AQL compiler reason about
 * the model through this module, since TypeScript types do not exist at run time.
 *
 * Type names are RM class names (`DV_CODED_TEXT`), primitive type names (`String`, `Integer`,
 * `Iso8601_date_time`…) or generic type expressions (`DV_INTERVAL<DV_QUANTITY>`).
 */
import { RM_CLASS_DEFINITIONS, RM_PRIMITIVE_TYPES } from './rm-model.js';

/** The root of every type; used for generic parameters that nothing binds. */
export const RM_ANY_TYPE = 'Any';

export interface RmTypeReference {
  readonly name: string;
  readonly parameters: readonly RmTypeReference[];
}

export interface RmGenericParameter {
  readonly name: string;
  readonly conformsTo: string;
}

export interface RmAttributeInfo {
  readonly name: string;
  /** Declared type of the value (of each item, for lists), e.g. `DV_INTERVAL<DV_DATE_TIME>`. */
  readonly type: string;
  /** A list (`List<T>` in the RM); in canonical JSON a JSON array. */
  readonly multiple: boolean;
  readonly mandatory: boolean;
  /** A mandatory list that must hold at least one item (e.g. CLUSTER.items). */
  readonly nonEmpty: boolean;
  /** Serialised as an XML attribute (only LOCATABLE.archetype_node_id). */
  readonly xmlAttribute: boolean;
  /** The class whose definition introduced (or last redefined) this attribute. */
  readonly declaredIn: string;
}

export interface RmClassInfo {
  readonly name: string;
  readonly abstract: boolean;
  /** Direct parent class names. */
  readonly parents: readonly string[];
  /** Direct parent types with their generic arguments, e.g. `EVENT<T>`. */
  readonly parentTypes: readonly string[];
  readonly genericParameters: readonly RmGenericParameter[];
  /** Attributes defined or redefined by this class itself, in schema order. */
  readonly ownAttributes: readonly RmAttributeInfo[];
}

export class RmTypeError extends Error {
  override readonly name = 'RmTypeError';
}

const ATTRIBUTE_PATTERN = /^(@)?([a-z_]+): (?:List<(.+)>|(.+?))([!+])?$/;
const CLASS_HEADER_PATTERN = /^([A-Z_]+)(?:<(.+)>)?$/;

export function parseRmType(expression: string): RmTypeReference {
  let position = 0;
  const text = expression.replace(/\s+/g, '');
  const readType = (): RmTypeReference => {
    const start = position;
    while (position < text.length && /[A-Za-z0-9_]/.test(text[position] ?? '')) position++;
    const name = text.slice(start, position);
    if (name === '') throw new RmTypeError(`Invalid RM type expression '${expression}'`);
    const parameters: RmTypeReference[] = [];
    if (text[position] === '<') {
      position++;
      parameters.push(readType());
      while (text[position] === ',') {
        position++;
        parameters.push(readType());
      }
      if (text[position] !== '>') throw new RmTypeError(`Invalid RM type expression '${expression}'`);
      position++;
    }
    return { name, parameters };
  };
  if (RM_PRIMITIVE_TYPES.includes(text)) return { name: text, parameters: [] };
  const result = readType();
  if (position !== text.length) throw new RmTypeError(`Invalid RM type expression '${expression}'`);
  return result;
}

export function formatRmType(reference: RmTypeReference): string {
  if (reference.parameters.length === 0) return reference.name;
  return `${reference.name}<${reference.parameters.map(formatRmType).join(',')}>`;
}

/** The class (or primitive) name of a type expression: `DV_INTERVAL<DV_COUNT>` → `DV_INTERVAL`. */
export function rmBaseTypeName(expression: string): string {
  if (RM_PRIMITIVE_TYPES.includes(expression)) return expression;
  const angle = expression.indexOf('<');
  return (angle < 0 ? expression : expression.slice(0, angle)).trim();
}

const classes = new Map<string, RmClassInfo>();

for (const definition of RM_CLASS_DEFINITIONS) {
  const header = CLASS_HEADER_PATTERN.exec(definition.name);
  if (!header?.[1]) throw new RmTypeError(`Bad RM class header '${definition.name}'`);
  const name = header[1];
  const genericParameters = (header[2] ?? '')
    .split(',')
    .filter((part) => part !== '')
    .map((part) => {
      const [parameter = '', conformsTo = RM_ANY_TYPE] = part.split(':');
      return { name: parameter, conformsTo };
    });
  const ownAttributes = (definition.attributes ?? []).map((spec): RmAttributeInfo => {
    const match = ATTRIBUTE_PATTERN.exec(spec);
    if (!match?.[2]) throw new RmTypeError(`Bad RM attribute '${spec}' in ${name}`);
    const multiple = match[3] !== undefined;
    const marker = match[5];
    return {
      name: match[2],
      type: match[3] ?? match[4] ?? RM_ANY_TYPE,
      multiple,
      mandatory: marker !== undefined,
      nonEmpty: marker === '+',
      xmlAttribute: match[1] === '@',
      declaredIn: name,
    };
  });
  const parentTypes = definition.parents ?? [];
  classes.set(name, {
    name,
    abstract: definition.abstract === true,
    parents: parentTypes.map(rmBaseTypeName),
    parentTypes,
    genericParameters,
    ownAttributes,
  });
}

export function getRmClass(type: string): RmClassInfo | undefined {
  return classes.get(rmBaseTypeName(type));
}

export function isRmClass(type: string): boolean {
  return classes.has(rmBaseTypeName(type));
}

export function isRmPrimitiveType(type: string): boolean {
  return RM_PRIMITIVE_TYPES.includes(type);
}

export function listRmClasses(): readonly RmClassInfo[] {
  return [...classes.values()];
}

/** All ancestors of a class, nearest first, without the class itself. */
export function getRmAncestors(type: string): readonly string[] {
  const result: string[] = [];
  const visit = (name: string): void => {
    for (const parent of classes.get(name)?.parents ?? []) {
      if (!result.includes(parent)) {
        result.push(parent);
        visit(parent);
      }
    }
  };
  visit(rmBaseTypeName(type));
  return result;
}

/**
 * True when `type` conforms to `ancestor`: the same class, a descendant, or any type when the
 * ancestor is `Any`. Generic arguments are ignored (`DV_INTERVAL<DV_COUNT>` conforms to
 * `DV_INTERVAL<DV_QUANTITY>`); checking arguments is the structure checker's job.
 */
export function isSubtypeOf(type: string, ancestor: string): boolean {
  const typeName = rmBaseTypeName(type);
  const ancestorName = rmBaseTypeName(ancestor);
  if (typeName === ancestorName || ancestorName === RM_ANY_TYPE) return true;
  return getRmAncestors(typeName).includes(ancestorName);
}

/** Every class conforming to `type` (itself included), optionally only the concrete ones. */
export function listRmSubtypes(type: string, options: { concreteOnly?: boolean } = {}): readonly string[] {
  const base = rmBaseTypeName(type);
  return [...classes.values()]
    .filter((info) => isSubtypeOf(info.name, base) && !(options.concreteOnly === true && info.abstract))
    .map((info) => info.name);
}

type Bindings = ReadonlyMap<string, RmTypeReference>;

function substitute(reference: RmTypeReference, bindings: Bindings): RmTypeReference {
  const bound = reference.parameters.length === 0 ? bindings.get(reference.name) : undefined;
  if (bound) return bound;
  return { name: reference.name, parameters: reference.parameters.map((p) => substitute(p, bindings)) };
}

function bindingsOf(info: RmClassInfo, reference: RmTypeReference): Bindings {
  const bindings = new Map<string, RmTypeReference>();
  info.genericParameters.forEach((parameter, index) => {
    bindings.set(parameter.name, reference.parameters[index] ?? parseRmType(parameter.conformsTo));
  });
  return bindings;
}

const attributeCache = new Map<string, readonly RmAttributeInfo[]>();

/**
 * Every attribute of a type, inherited ones first, in XML-schema order. Generic parameters are
 * replaced by the arguments given (`DV_INTERVAL<DV_QUANTITY>` lists `lower: DV_QUANTITY`) or by
 * their constraint when none are given. Unknown types have no attributes.
 */
export function listRmAttributes(type: string): readonly RmAttributeInfo[] {
  const reference = parseRmType(type);
  const key = formatRmType(reference);
  const cached = attributeCache.get(key);
  if (cached) return cached;
  const info = classes.get(reference.name);
  if (!info) return [];
  const bindings = bindingsOf(info, reference);
  const result: RmAttributeInfo[] = [];
  const add = (attribute: RmAttributeInfo): void => {
    const existing = result.findIndex((candidate) => candidate.name === attribute.name);
    if (existing >= 0) result[existing] = attribute;
    else result.push(attribute);
  };
  for (const parentType of info.parentTypes) {
    listRmAttributes(formatRmType(substitute(parseRmType(parentType), bindings))).forEach(add);
  }
  for (const attribute of info.ownAttributes) {
    add({ ...attribute, type: formatRmType(substitute(parseRmType(attribute.type), bindings)) });
  }
  const frozen = Object.freeze(result);
  attributeCache.set(key, frozen);
  return frozen;
}

/** One attribute of a type, searching its ancestors too. */
export function getRmAttribute(type: string, attributeName: string): RmAttributeInfo | undefined {
  return listRmAttributes(type).find((attribute) => attribute.name === attributeName);
}

/**
 * The generic arguments a subtype inherits from a declared type: a `POINT_EVENT` found where
 * `EVENT<ITEM_TREE>` is declared is a `POINT_EVENT<ITEM_TREE>`. Returns `actualType` unchanged
 * when it carries its own arguments or has no generic parameters.
 */
export function specialiseRmType(actualType: string, declaredType: string): string {
  const actual = parseRmType(actualType);
  const info = classes.get(actual.name);
  if (!info || info.genericParameters.length === 0 || actual.parameters.length > 0) return actualType;
  const declared = parseRmType(declaredType);
  const bindings = inheritedBindings(info, declared);
  if (!bindings) return actualType;
  return formatRmType({
    name: info.name,
    parameters: info.genericParameters.map((parameter) => bindings.get(parameter.name) ?? parseRmType(parameter.conformsTo)),
  });
}

function inheritedBindings(info: RmClassInfo, declared: RmTypeReference): Bindings | undefined {
  if (info.name === declared.name) return bindingsOf(info, declared);
  const own = new Set(info.genericParameters.map((parameter) => parameter.name));
  for (const parentType of info.parentTypes) {
    const parent = parseRmType(parentType);
    const parentInfo = classes.get(parent.name);
    if (!parentInfo) continue;
    const parentBindings = inheritedBindings(parentInfo, declared);
    if (!parentBindings) continue;
    const bindings = new Map<string, RmTypeReference>();
    parent.parameters.forEach((argument, index) => {
      const parentParameter = parentInfo.genericParameters[index];
      const bound = parentParameter ? parentBindings.get(parentParameter.name) : undefined;
      if (argument.parameters.length === 0 && own.has(argument.name) && bound) bindings.set(argument.name, bound);
    });
    return bindings;
  }
  return undefined;
}

/**
 * The type of an object found where `declaredType` is declared: its `_type` (with the generic
 * arguments it inherits from the declaration) or, when `_type` is absent, the declared type if
 * that is a concrete class. Undefined when neither gives a known concrete class conforming to
 * the declaration; `checkRmStructure` reports why.
 */
export function resolveRmObjectType(writtenType: unknown, declaredType: string): string | undefined {
  if (writtenType === undefined) {
    const declared = classes.get(rmBaseTypeName(declaredType));
    return declared && !declared.abstract ? declaredType : undefined;
  }
  if (typeof writtenType !== 'string') return undefined;
  let written: RmTypeReference;
  try {
    written = parseRmType(writtenType);
  } catch {
    return undefined;
  }
  const info = classes.get(written.name);
  if (!info || info.abstract || !isSubtypeOf(info.name, declaredType)) return undefined;
  return written.parameters.length > 0 ? formatRmType(written) : specialiseRmType(info.name, declaredType);
}

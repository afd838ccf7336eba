/**
 * Checks a canonical JSON value against the Reference Model (rm-info.ts): known `_type`s that
 * conform to the declared attribute type, no attributes the class lacks, mandatory attributes
 * present, lists where the RM has lists, primitives of the right JSON type, and ISO 8601 and
 * enumerated strings that parse. Templates and archetypes are not consulted; that is validation.
 *
 * Every issue is collected with the JSON path of the offending value (`/content[0]/data/events[0]/time`);
 * the check never throws on bad data.
 */
import { parseIso8601 } from './iso8601.js';
import type { Iso8601Kind } from './iso8601.js';
import {
  RM_ANY_TYPE,
  getRmClass,
  isRmPrimitiveType,
  listRmAttributes,
  parseRmType,
  resolveRmObjectType,
  rmBaseTypeName,
} from './rm-info.js';
import type { RmAttributeInfo } from './rm-info.js';
import { isJsonObject } from '../../shared/json.js';

export type RmIssueCode =
  /** An RM object was expected and something else (string, number, array, null) was found. */
  | 'not_an_object'
  /** `_type` is absent where the declared type is abstract or generic, so it cannot be inferred. */
  | 'missing_type'
  /** `_type` names no RM class. */
  | 'unknown_type'
  /** `_type` does not conform to the declared type. */
  | 'incompatible_type'
  /** `_type` names an abstract class. */
  | 'abstract_type'
  /** A property the class does not have. */
  | 'unknown_attribute'
  /** A mandatory attribute is absent or null. */
  | 'missing_attribute'
  /** A single value where the RM has a list. */
  | 'expected_list'
  /** A list where the RM has a single value. */
  | 'unexpected_list'
  /** An empty list where the RM needs at least one item. */
  | 'empty_list'
  /** A primitive of the wrong JSON type (e.g. a string for an Integer). */
  | 'wrong_primitive_type'
  /** A string that does not parse (ISO 8601 value, enumerated code). */
  | 'invalid_value';

export interface RmIssue {
  /** JSON path of the value, `/` for the root. */
  readonly path: string;
  readonly code: RmIssueCode;
  readonly message: string;
}

const ISO8601_KINDS: Readonly<Record<string, Iso8601Kind>> = {
  Iso8601_date: 'date',
  Iso8601_time: 'time',
  Iso8601_date_time: 'date_time',
  Iso8601_duration: 'duration',
};

/** Attributes whose strings come from a closed list (keyed `CLASS.attribute` of the declaring class). */
const ENUMERATED_STRINGS: Readonly<Record<string, readonly string[]>> = {
  'TERM_MAPPING.match': ['=', '<', '>', '?'],
  'DV_QUANTIFIED.magnitude_status': ['=', '<', '>', '<=', '>=', '~'],
};

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function isValidTypeExpression(type: string): boolean {
  try {
    parseRmType(type);
    return true;
  } catch {
    return false;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

class Checker {
  readonly issues: RmIssue[] = [];

  report(path: string, code: RmIssueCode, message: string): void {
    this.issues.push({ path: path === '' ? '/' : path, code, message });
  }

  checkValue(value: unknown, declaredType: string, path: string, attribute?: RmAttributeInfo): void {
    if (isRmPrimitiveType(declaredType)) {
      this.checkPrimitive(value, declaredType, path, attribute);
      return;
    }
    if (!isJsonObject(value)) {
      this.report(path, 'not_an_object', `expected ${declaredType}, found ${describeValue(value)}`);
      return;
    }
    const type = this.resolveType(value, declaredType, path);
    if (type !== undefined) this.checkObject(value, type, path);
  }

  /** The type to check an object against, or undefined (after reporting why) when there is none. */
  resolveType(value: Record<string, unknown>, declaredType: string, path: string): string | undefined {
    const resolved = resolveRmObjectType(value._type, declaredType);
    if (resolved !== undefined) return resolved;
    const written = value._type;
    if (written === undefined) {
      this.report(path, 'missing_type', `_type is required where ${declaredType} is declared`);
      return undefined;
    }
    const writtenClass = typeof written === 'string' && isValidTypeExpression(written) ? getRmClass(written) : undefined;
    if (!writtenClass) {
      this.report(path, 'unknown_type', `unknown RM type ${JSON.stringify(written)}`);
      return undefined;
    }
    if (writtenClass.abstract) {
      this.report(path, 'abstract_type', `${writtenClass.name} is abstract`);
      return undefined;
    }
    // Still check the object as what it claims to be, so its own issues are reported too.
    this.report(path, 'incompatible_type', `${writtenClass.name} is not a ${declaredType}`);
    return writtenClass.name;
  }

  checkObject(value: Record<string, unknown>, type: string, path: string): void {
    const attributes = listRmAttributes(type);
    const className = rmBaseTypeName(type);
    for (const key of Object.keys(value)) {
      if (key !== '_type' && !attributes.some((attribute) => attribute.name === key)) {
        this.report(`${path}/${key}`, 'unknown_attribute', `${className} has no attribute '${key}'`);
      }
    }
    for (const attribute of attributes) {
      const attributeValue = value[attribute.name];
      const attributePath = `${path}/${attribute.name}`;
      if (attributeValue === undefined || attributeValue === null) {
        if (attribute.mandatory) {
          this.report(attributePath, 'missing_attribute', `${className}.${attribute.name} is mandatory`);
        }
        continue;
      }
      if (attribute.multiple) {
        if (!Array.isArray(attributeValue)) {
          this.report(attributePath, 'expected_list', `${className}.${attribute.name} is a list, found ${describeValue(attributeValue)}`);
          continue;
        }
        if (attribute.nonEmpty && attributeValue.length === 0) {
          this.report(attributePath, 'empty_list', `${className}.${attribute.name} needs at least one item`);
        }
        attributeValue.forEach((item: unknown, index) => {
          this.checkValue(item, attribute.type, `${attributePath}[${index}]`, attribute);
        });
      } else if (Array.isArray(attributeValue)) {
        this.report(attributePath, 'unexpected_list', `${className}.${attribute.name} is a single ${attribute.type}, found a list`);
      } else {
        this.checkValue(attributeValue, attribute.type, attributePath, attribute);
      }
    }
  }

  checkPrimitive(value: unknown, type: string, path: string, attribute?: RmAttributeInfo): void {
    const wrong = (): void => this.report(path, 'wrong_primitive_type', `expected ${type}, found ${describeValue(value)}`);
    switch (type) {
      case 'Integer':
      case 'Integer64':
        if (typeof value !== 'number' || !Number.isInteger(value)) wrong();
        return;
      case 'PROPORTION_KIND':
        if (typeof value !== 'number' || !Number.isInteger(value)) wrong();
        else if (value < 0 || value > 4) this.report(path, 'invalid_value', `proportion kind ${value} is not in 0..4`);
        return;
      case 'Real':
      case 'Double':
        if (typeof value !== 'number' || !Number.isFinite(value)) wrong();
        return;
      case 'Boolean':
        if (typeof value !== 'boolean') wrong();
        return;
      case 'Character':
        if (typeof value !== 'string' || [...value].length !== 1) wrong();
        break;
      case 'Array<Octet>':
        if (typeof value !== 'string') wrong();
        else if (!BASE64.test(value)) this.report(path, 'invalid_value', 'binary data must be base64');
        return;
      default:
        if (typeof value !== 'string') {
          wrong();
          return;
        }
    }
    if (typeof value !== 'string') return;
    const kind = ISO8601_KINDS[type];
    if (kind) {
      const parsed = parseIso8601(kind, value);
      if (!parsed.ok) this.report(path, 'invalid_value', parsed.error);
      return;
    }
    const allowed = attribute ? ENUMERATED_STRINGS[`${attribute.declaredIn}.${attribute.name}`] : undefined;
    if (allowed && !allowed.includes(value)) {
      this.report(path, 'invalid_value', `'${value}' is not one of ${allowed.join(' ')}`);
    }
  }
}

/**
 * Checks `value` (canonical JSON) against the RM. `expectedType` is the declared type of the value
 * (e.g. `COMPOSITION`); without it the value must carry `_type`. `_type` may be omitted wherever
 * the declared type is a concrete class, as canonical JSON allows.
 */
export function checkRmStructure(value: unknown, expectedType?: string): RmIssue[] {
  const checker = new Checker();
  if (
    expectedType !== undefined &&
    !(isValidTypeExpression(expectedType) && (getRmClass(expectedType) || isRmPrimitiveType(expectedType)))
  ) {
    checker.report('', 'unknown_type', `unknown RM type '${expectedType}'`);
    return checker.issues;
  }
  checker.checkValue(value, expectedType ?? RM_ANY_TYPE, '');
  return checker.issues;
}

/**
 * Canonical JSON writes RM numbers and booleans as JSON numbers and booleans, but widespread
 * clients (and EHRbase, whose JSON reader coerces them) send `"magnitude": "130"` or
 * `"value": "true"`. Such a string is unambiguous where the RM declares an Integer, Real or
 * Boolean, so input is normalised here, once, before validation: the stored composition then
 * holds the RM primitive type and every later reader (queries, FLAT, XML) sees one form.
 *
 * Only strings in the exact JSON spelling of a number (no spaces, no `+`, no hex, finite, within
 * the safe integer range for integers) and the exact words `true` / `false` are converted.
 * Anything else is left as it was, so the RM structure check still reports it.
 */
import { RM_ANY_TYPE, isRmPrimitiveType, listRmAttributes, resolveRmObjectType } from './rm-info.js';
import { isJsonObject } from '../../shared/json.js';

const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const REAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The RM primitive a string stands for, or the string itself when it does not spell one exactly. */
function primitive(value: string, type: string): unknown {
  switch (type) {
    case 'Integer':
    case 'Integer64':
    case 'PROPORTION_KIND': {
      if (!INTEGER.test(value)) return value;
      const number = Number(value);
      return Number.isSafeInteger(number) ? number : value;
    }
    case 'Real':
    case 'Double': {
      if (!REAL.test(value)) return value;
      const number = Number(value);
      return Number.isFinite(number) ? number : value;
    }
    case 'Boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      return value;
  }
}

function coerce(value: unknown, declaredType: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => coerce(item, declaredType));
    return items.every((item, index) => item === value[index]) ? value : items;
  }
  if (typeof value === 'string') return isRmPrimitiveType(declaredType) ? primitive(value, declaredType) : value;
  if (!isJsonObject(value)) return value;
  const type = resolveRmObjectType(value._type, declaredType);
  // Objects the RM cannot type are left as they are; checkRmStructure reports them.
  if (type === undefined) return value;
  const attributes = listRmAttributes(type);
  let copy: Record<string, unknown> | undefined;
  for (const [key, attributeValue] of Object.entries(value)) {
    const attribute = key === '_type' ? undefined : attributes.find((candidate) => candidate.name === key);
    if (!attribute) continue;
    const coerced = coerce(attributeValue, attribute.type);
    if (coerced === attributeValue) continue;
    // defineProperty, not assignment: a JSON key "__proto__" must stay data, not become the prototype.
    copy ??= Object.defineProperties({}, Object.getOwnPropertyDescriptors(value)) as Record<string, unknown>;
    Object.defineProperty(copy, key, { value: coerced, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? value;
}

/**
 * A copy of a canonical JSON value in which strings that spell a number or boolean are the RM
 * primitive their attribute declares (`"130"` → `130` for DV_QUANTITY.magnitude). Parts that need
 * no change are shared with the input, which is never modified. `expectedType` is the declared
 * type of the root; without it the root must carry `_type`.
 */
export function coerceRmPrimitives<T>(value: T, expectedType: string = RM_ANY_TYPE): T {
  return coerce(value, expectedType) as T;
}

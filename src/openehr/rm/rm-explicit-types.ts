/**
 * Canonical JSON may leave `_type` out wherever the declared type is a concrete class. Consumers
 * that dispatch on `_type` (queries, comparisons, the XML writer's callers) are simpler when every
 * RM object carries it; this adds it, leaving everything else as it was.
 */
import { RM_ANY_TYPE, isRmPrimitiveType, listRmAttributes, resolveRmObjectType, rmBaseTypeName } from './rm-info.js';
import { isJsonObject } from '../../shared/json.js';

function explicit(value: unknown, declaredType: string): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => explicit(item, declaredType));
  if (!isJsonObject(value) || isRmPrimitiveType(declaredType)) return value;
  const type = resolveRmObjectType(value._type, declaredType);
  // Values the RM cannot type are copied unchanged; checkRmStructure reports them.
  if (type === undefined) return structuredClone(value);
  const attributes = listRmAttributes(type);
  const result: Record<string, unknown> = { _type: typeof value._type === 'string' ? value._type : rmBaseTypeName(type) };
  for (const [key, attributeValue] of Object.entries(value)) {
    if (key === '_type') continue;
    const attribute = attributes.find((candidate) => candidate.name === key);
    // defineProperty, not assignment: a JSON key "__proto__" must stay data, not become the prototype.
    Object.defineProperty(result, key, {
      value: attribute ? explicit(attributeValue, attribute.type) : structuredClone(attributeValue),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/**
 * A copy of a canonical JSON value in which every RM object has `_type`. `expectedType` is the
 * declared type of the root; without it the root must carry `_type`.
 */
export function withExplicitRmTypes<T>(value: T, expectedType: string = RM_ANY_TYPE): T {
  return explicit(value, expectedType) as T;
}

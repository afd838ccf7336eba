import type { CodecContext } from './codec-context.js';
import type { FlatNode } from './flat-tree.js';
import { missing, takeString } from './flat-values.js';
import type { JsonObject } from '../../shared/json.js';
import { objectAt, stringAt } from './json.js';

export function codePhrase(terminology: string, code: string, preferredTerm?: string): JsonObject {
  const phrase: JsonObject = {
    _type: 'CODE_PHRASE',
    terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology },
    code_string: code,
  };
  if (preferredTerm !== undefined) phrase['preferred_term'] = preferredTerm;
  return phrase;
}

/** `x|code`, `x|terminology`, `x|preferred_term` → CODE_PHRASE. */
export function decodeCodePhrase(node: FlatNode, cx: CodecContext, defaultTerminology?: string): JsonObject | undefined {
  node.describedAs ??= 'CODE_PHRASE';
  const before = node.takeCount;
  const code = takeString(node, 'code', cx.issues) ?? takeString(node, undefined, cx.issues);
  const terminology = takeString(node, 'terminology', cx.issues) ?? defaultTerminology;
  const preferred = takeString(node, 'preferred_term', cx.issues);
  if (node.takeCount === before) return undefined;
  if (code === undefined) {
    missing(node, 'code', cx.issues, 'code');
    return undefined;
  }
  if (terminology === undefined) {
    missing(node, 'terminology', cx.issues, 'terminology');
    return undefined;
  }
  return codePhrase(terminology, code, preferred);
}

export function encodeCodePhrase(phrase: JsonObject, node: FlatNode): void {
  const code = stringAt(phrase, 'code_string');
  const terminology = terminologyOf(phrase);
  if (code !== undefined) node.setAttribute('code', code);
  if (terminology !== undefined) node.setAttribute('terminology', terminology);
  const preferred = stringAt(phrase, 'preferred_term');
  if (preferred !== undefined) node.setAttribute('preferred_term', preferred);
}

export function terminologyOf(phrase: JsonObject | undefined): string | undefined {
  return phrase ? stringAt(objectAt(phrase, 'terminology_id') ?? {}, 'value') : undefined;
}

/**
 * The slice of Reference Model knowledge the FLAT codec needs: which attributes hold lists, which
 * types are data values, and what to create for structure nodes a web template leaves out.
 */

import { getRmAttribute, isRmClass, isSubtypeOf, listRmAttributes, listRmClasses } from '../rm/rm-info.js';
import type { PathStep } from './aql-path.js';

export const RM_VERSION = '1.1.0';

/** Names of RM attributes that hold a list in some RM class, for objects whose class is not known. */
const MULTI_VALUED_NAMES: ReadonlySet<string> = new Set(
  listRmClasses().flatMap((rmClass) =>
    listRmAttributes(rmClass.name)
      .filter((attribute) => attribute.multiple)
      .map((attribute) => attribute.name),
  ),
);

/** Whether `attribute` of an object of RM type `parentType` holds a list (rm-info), by name alone when the type is not known. */
export function isMultiValued(parentType: string, attribute: string): boolean {
  const known = isRmClass(parentType) ? getRmAttribute(parentType, attribute) : undefined;
  return known?.multiple ?? MULTI_VALUED_NAMES.has(attribute);
}

const DATA_VALUE_TYPES = new Set([
  'DV_TEXT',
  'DV_CODED_TEXT',
  'DV_PARAGRAPH',
  'DV_BOOLEAN',
  'DV_STATE',
  'DV_IDENTIFIER',
  'DV_URI',
  'DV_EHR_URI',
  'DV_QUANTITY',
  'DV_COUNT',
  'DV_PROPORTION',
  'DV_ORDINAL',
  'DV_SCALE',
  'DV_DATE',
  'DV_DATE_TIME',
  'DV_TIME',
  'DV_DURATION',
  'DV_INTERVAL',
  'DV_PARSABLE',
  'DV_MULTIMEDIA',
]);

/** `DV_INTERVAL<DV_COUNT>` → `DV_INTERVAL`. */
export function baseType(rmType: string): string {
  const lt = rmType.indexOf('<');
  return lt < 0 ? rmType : rmType.slice(0, lt);
}

/** `DV_INTERVAL<DV_COUNT>` → `DV_COUNT`. */
export function genericParameter(rmType: string): string | undefined {
  const match = /<\s*([A-Z_]+)\s*>/.exec(rmType);
  return match?.[1];
}

export function isDataValueType(rmType: string): boolean {
  return DATA_VALUE_TYPES.has(baseType(rmType));
}

export const ENTRY_TYPES = new Set(['OBSERVATION', 'EVALUATION', 'INSTRUCTION', 'ACTION', 'ADMIN_ENTRY', 'GENERIC_ENTRY']);
export const CARE_ENTRY_TYPES = new Set(['OBSERVATION', 'EVALUATION', 'INSTRUCTION', 'ACTION']);
export const EVENT_TYPES = new Set(['EVENT', 'POINT_EVENT', 'INTERVAL_EVENT']);
export const PARTY_TYPES = new Set(['PARTY_PROXY', 'PARTY_SELF', 'PARTY_IDENTIFIED', 'PARTY_RELATED']);

/** LOCATABLE types (rm-info), which carry name and archetype_node_id. */
export function isLocatableType(rmType: string): boolean {
  return isRmClass(rmType) && isSubtypeOf(rmType, 'LOCATABLE');
}

/**
 * Type of a structure node the web template does not show (the "level removal" of the format).
 * `next` is the step that follows it on the way to the template node.
 */
export function skippedNodeType(step: PathStep, parentType: string, next: PathStep | undefined): string {
  switch (step.attribute) {
    case 'events':
      return 'POINT_EVENT';
    case 'data':
    case 'state':
      if (parentType === 'OBSERVATION') return 'HISTORY';
      return itemStructureType(next);
    case 'context':
      return 'EVENT_CONTEXT';
    case 'ism_transition':
      return 'ISM_TRANSITION';
    case 'instruction_details':
      return 'INSTRUCTION_DETAILS';
    case 'items':
    case 'item':
      return next?.attribute === 'value' ? 'ELEMENT' : 'CLUSTER';
    default:
      return itemStructureType(next);
  }
}

function itemStructureType(next: PathStep | undefined): string {
  if (next?.attribute === 'item') return 'ITEM_SINGLE';
  if (next?.attribute === 'rows') return 'ITEM_TABLE';
  return 'ITEM_TREE';
}

/** Name given to a left-out structure node when nothing better is known. */
export function defaultStructureName(rmType: string): string {
  switch (rmType) {
    case 'HISTORY':
      return 'History';
    case 'POINT_EVENT':
    case 'INTERVAL_EVENT':
      return 'Any event';
    case 'ITEM_LIST':
      return 'List';
    case 'ITEM_SINGLE':
      return 'Single';
    case 'ITEM_TABLE':
      return 'Table';
    default:
      return 'Tree';
  }
}

export function isArchetypeId(nodeId: string | undefined): boolean {
  return nodeId !== undefined && /^[A-Za-z][\w-]*-[\w-]+-[A-Z_]+\.[\w-]+\.v\d/.test(nodeId);
}

/** Default terminology of a CODE_PHRASE by the RM attribute holding it. */
export function defaultCodePhraseTerminology(attribute: string): string | undefined {
  switch (attribute) {
    case 'language':
      return 'ISO_639-1';
    case 'territory':
      return 'ISO_3166-1';
    case 'encoding':
    case 'charset':
      return 'IANA_character-sets';
    default:
      return undefined;
  }
}

/**
 * How web template nodes map onto the RM tree: where a child sits below its parent (the steps of
 * its AQL path relative to the parent's), what kind of RM thing it is, and its default name.
 */

import type { WebTemplateNode } from '../template/web-template-model.js';
import { parseAqlPath, relativeSteps, type PathStep } from './aql-path.js';
import { EVENT_TYPES, PARTY_TYPES, baseType, isDataValueType, isLocatableType } from './rm-model.js';

export type NodeKind =
  /** A LOCATABLE with its own name and node id (SECTION, ENTRY, CLUSTER, EVENT, ACTIVITY, ELEMENT). */
  | 'locatable'
  /** A non-LOCATABLE RM object holding template children (EVENT_CONTEXT, ISM_TRANSITION). */
  | 'container'
  /** A data value standing for its ELEMENT (the element itself is not in the template). */
  | 'element'
  /** A data value in an RM attribute (start_time, setting, time, an ELEMENT's value). */
  | 'value'
  | 'code_phrase'
  | 'party'
  | 'string'
  | 'unsupported';

export interface ChildLink {
  readonly node: WebTemplateNode;
  readonly kind: NodeKind;
  /** Steps from the parent's RM object to the child's; for 'element' the last step is `value`. */
  readonly steps: readonly PathStep[];
}

const stepCache = new WeakMap<WebTemplateNode, PathStep[]>();

export function stepsOf(node: WebTemplateNode): PathStep[] {
  let steps = stepCache.get(node);
  if (!steps) {
    steps = parseAqlPath(node.aqlPath);
    stepCache.set(node, steps);
  }
  return steps;
}

const linkCache = new WeakMap<WebTemplateNode, ChildLink[]>();

/** The template children of `parent` with their placement; children that do not fit are skipped. */
export function childLinks(parent: WebTemplateNode): ChildLink[] {
  let links = linkCache.get(parent);
  if (links) return links;
  links = [];
  const parentSteps = stepsOf(parent);
  for (const child of parent.children ?? []) {
    const steps = relativeSteps(parentSteps, stepsOf(child));
    if (!steps) continue;
    links.push({ node: child, kind: kindOf(child, steps), steps });
  }
  linkCache.set(parent, links);
  return links;
}

function kindOf(node: WebTemplateNode, steps: readonly PathStep[]): NodeKind {
  const type = baseType(node.rmType);
  if (isDataValueType(type)) return isElementValue(steps) ? 'element' : 'value';
  if (type === 'CODE_PHRASE') return 'code_phrase';
  if (PARTY_TYPES.has(type)) return 'party';
  if (type === 'STRING') return 'string';
  if (type === 'EVENT_CONTEXT' || type === 'ISM_TRANSITION') return 'container';
  if (isLocatableType(type) || EVENT_TYPES.has(type)) return 'locatable';
  return 'unsupported';
}

function isElementValue(steps: readonly PathStep[]): boolean {
  const last = steps[steps.length - 1];
  const previous = steps[steps.length - 2];
  return (
    last?.attribute === 'value' &&
    previous !== undefined &&
    (previous.attribute === 'items' || previous.attribute === 'item') &&
    previous.nodeId !== undefined
  );
}

/** Name of the node in a language: its localized name, else its (default-language) name. */
export function nodeName(node: WebTemplateNode, language: string): string {
  return node.localizedNames?.[language] ?? node.name ?? node.localizedName ?? node.id;
}

/** True for template children that hang below ACTION.instruction_details (FLAT uses `_instruction_details`). */
export function isInstructionDetailsPart(link: ChildLink): boolean {
  return link.steps[0]?.attribute === 'instruction_details';
}

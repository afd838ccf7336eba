import type { WebTemplateInputValue, WebTemplateNode } from '../template/index.js';
import type { ExampleFlat } from './example-data-value.js';

/**
 * Instruction states with their rubric and the transition that normally leads into them (openEHR
 * Terminology, groups "instruction states" and "instruction transitions"), so that an unconstrained
 * `transition` agrees with the state recorded.
 */
const STATES: Readonly<Record<string, { rubric: string; transition?: readonly [string, string] }>> = {
  '524': { rubric: 'initial' },
  '526': { rubric: 'planned', transition: ['535', 'initiate'] },
  '527': { rubric: 'postponed', transition: ['537', 'postpone'] },
  '528': { rubric: 'cancelled', transition: ['166', 'cancel'] },
  '529': { rubric: 'scheduled', transition: ['539', 'schedule'] },
  '245': { rubric: 'active', transition: ['540', 'start'] },
  '530': { rubric: 'suspended', transition: ['544', 'suspend'] },
  '531': { rubric: 'aborted', transition: ['547', 'abort'] },
  '532': { rubric: 'completed', transition: ['548', 'finish'] },
  '533': { rubric: 'expired', transition: ['549', 'time out'] },
};

/** The state recorded when neither the careflow step nor the template names one. */
const DEFAULT_STATE = '532';

function listOf(node: WebTemplateNode | undefined): readonly WebTemplateInputValue[] {
  return node?.inputs?.find((input) => input.suffix === 'code')?.list ?? [];
}

function labelOf(entry: WebTemplateInputValue, language: string): string {
  return entry.localizedLabels?.[language] ?? entry.label ?? entry.value;
}

function present(node: WebTemplateNode | undefined): node is WebTemplateNode {
  return node !== undefined && node.max !== 0;
}

/**
 * The ISM_TRANSITION of an ACTION: the first careflow step, a current state that step allows (and
 * the template lists), and a transition into that state.
 */
export function exampleIsmTransition(node: WebTemplateNode, key: string, language: string): ExampleFlat {
  const child = (id: string): WebTemplateNode | undefined => node.children?.find((candidate) => candidate.id === id);
  const stepNode = child('careflow_step');
  const stateNode = child('current_state');
  const transitionNode = child('transition');
  const entries: ExampleFlat = {};

  const step = present(stepNode) ? listOf(stepNode)[0] : undefined;
  if (stepNode !== undefined && step !== undefined) {
    entries[`${key}/${stepNode.id}|code`] = step.value;
    entries[`${key}/${stepNode.id}|value`] = labelOf(step, language);
    entries[`${key}/${stepNode.id}|terminology`] = 'local';
  }

  const states = listOf(stateNode);
  const allowed = (code: string): boolean => states.length === 0 || states.some((entry) => entry.value === code);
  const stateCode = step?.currentStates?.find(allowed) ?? states[0]?.value ?? DEFAULT_STATE;
  const listedState = states.find((entry) => entry.value === stateCode);
  const stateKey = `${key}/${stateNode?.id ?? 'current_state'}`;
  entries[`${stateKey}|code`] = stateCode;
  entries[`${stateKey}|value`] = listedState === undefined ? (STATES[stateCode]?.rubric ?? stateCode) : labelOf(listedState, language);
  entries[`${stateKey}|terminology`] = 'openehr';

  if (present(transitionNode)) {
    const listed = listOf(transitionNode)[0];
    const transition = listed === undefined ? STATES[stateCode]?.transition : ([listed.value, labelOf(listed, language)] as const);
    if (transition !== undefined) {
      entries[`${key}/${transitionNode.id}|code`] = transition[0];
      entries[`${key}/${transitionNode.id}|value`] = transition[1];
      entries[`${key}/${transitionNode.id}|terminology`] = 'openehr';
    }
  }
  return entries;
}

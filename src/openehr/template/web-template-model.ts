/**
 * The web template: the JSON form of an operational template used across the openEHR ecosystem
 * (form builders, FLAT/STRUCTURED formats). Its shape is fixed by existing tools and by the
 * answer keys in test/fixtures; field names therefore follow that format, not our own style.
 *
 * This file is the contract between the template compiler (which produces web templates from
 * OPTs) and every consumer (FLAT/STRUCTURED conversion, validation, form generation).
 */

export interface WebTemplate {
  templateId: string;
  version: string;
  semVer?: string;
  defaultLanguage: string;
  languages: string[];
  tree: WebTemplateNode;
}

export interface WebTemplateNode {
  id: string;
  name?: string;
  localizedName?: string;
  rmType: string;
  nodeId?: string;
  min: number;
  /** -1 means unbounded. */
  max: number;
  localizedNames?: Record<string, string>;
  localizedDescriptions?: Record<string, string>;
  annotations?: Record<string, string>;
  /**
   * Archetype path of the node. The root node has none in the ehrbase dialect (and "" in the
   * EhrScape dialect), as the answer keys show; every other node has one.
   */
  aqlPath?: string;
  children?: WebTemplateNode[];
  inputs?: WebTemplateInput[];
  /** True for nodes that are RM attributes filled from context rather than archetyped content. */
  inContext?: boolean;
  dependsOn?: string[];
  termBindings?: Record<string, WebTemplateTermBinding>;
  proportionTypes?: string[];
  cardinalities?: WebTemplateCardinality[];
}

export interface WebTemplateCardinality {
  min: number;
  max: number;
  ids?: string[];
  excludeFromWebTemplate?: boolean;
}

export interface WebTemplateTermBinding {
  value: string;
  terminologyId?: string;
  codeString?: string;
}

export type WebTemplateInputType =
  'TEXT' | 'INTEGER' | 'DECIMAL' | 'BOOLEAN' | 'DATE' | 'TIME' | 'DATETIME' | 'CODED_TEXT' | 'DURATION' | string;

export interface WebTemplateInput {
  suffix?: string;
  type: WebTemplateInputType;
  terminology?: string;
  list?: WebTemplateInputValue[];
  listOpen?: boolean;
  defaultValue?: string;
  validation?: WebTemplateValidation;
}

export interface WebTemplateInputValue {
  value: string;
  label?: string;
  ordinal?: number;
  localizedLabels?: Record<string, string>;
  localizedDescriptions?: Record<string, string>;
  /** For careflow steps of an ACTION: the ISM states (openehr codes) the step may be recorded in. */
  currentStates?: string[];
  range?: WebTemplateRange;
  precision?: WebTemplateRange;
  validation?: WebTemplateValidation;
}

export interface WebTemplateValidation {
  range?: WebTemplateRange;
  precision?: WebTemplateRange;
  pattern?: string;
}

export interface WebTemplateRange {
  minOp?: '>' | '>=';
  min?: number;
  maxOp?: '<' | '<=';
  max?: number;
}

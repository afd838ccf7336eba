import { getRmAttribute, isRmClass } from '../rm/rm-info.js';
import { findByArchetypePath } from './archetype-path.js';
import type {
  CArchetypeRoot,
  CAttribute,
  CCodePhrase,
  CComplexObject,
  CObject,
  DefaultValue,
  Interval,
  OperationalTemplate,
} from './opt-model.js';
import { COMPOSITION_CATEGORY, EVENT_MATH_FUNCTION } from '../terminology/openehr-terminology.js';
import {
  isEventType,
  webTemplateConventions,
  type RmAttributeSpec,
  type WebTemplateConventions,
  type WebTemplateFlavour,
} from './web-template-conventions.js';
import { attributeObject, codedValue, dataValueInputs, type InputContext } from './web-template-inputs.js';
import type {
  WebTemplate,
  WebTemplateCardinality,
  WebTemplateInput,
  WebTemplateNode,
  WebTemplateTermBinding,
} from './web-template-model.js';
import { templateDefaults } from './template-defaults.js';
import { makeSiblingIdsUnique, webTemplateNodeId } from './web-template-node-id.js';
import { ArchetypeTerms, templateLanguages } from './web-template-terms.js';

export interface BuildWebTemplateOptions {
  /** Which dialect of the format to produce; `ehrbase` (the default) is what FLAT paths use. */
  readonly flavour?: WebTemplateFlavour;
}

/** RM types that only hold other items: the web template shows their items in their place. */
const STRUCTURE_TYPES: ReadonlySet<string> = new Set(['HISTORY', 'ITEM_TREE', 'ITEM_LIST', 'ITEM_SINGLE', 'ITEM_TABLE', 'ITEM_STRUCTURE']);

/** RM attributes that are never nodes of their own (names are node names; the rest is not form data). */
const IGNORED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'name',
  'null_flavour',
  'null_reason',
  'archetype_node_id',
  'archetype_details',
  'uid',
  'feeder_audit',
  'links',
]);

const LEAF_TYPES: ReadonlySet<string> = new Set([
  'CODE_PHRASE',
  'PARTY_PROXY',
  'PARTY_SELF',
  'PARTY_IDENTIFIED',
  'PARTY_RELATED',
  'STRING',
  'INTEGER',
  'INTEGER64',
  'REAL',
  'DOUBLE',
  'BOOLEAN',
  'LOCATABLE_REF',
]);

/** Data value types offered, in this order, when the template leaves an ELEMENT's value open. */
const ANY_VALUE_TYPES: readonly string[] = [
  'DV_TEXT',
  'DV_CODED_TEXT',
  'DV_MULTIMEDIA',
  'DV_PARSABLE',
  'DV_STATE',
  'DV_BOOLEAN',
  'DV_IDENTIFIER',
  'DV_URI',
  'DV_EHR_URI',
  'DV_DURATION',
  'DV_QUANTITY',
  'DV_COUNT',
  'DV_PROPORTION',
  'DV_DATE_TIME',
  'DV_TIME',
  'DV_ORDINAL',
  'DV_DATE',
];

/** The ISM states offered when a template constrains none: the instruction states without 533 expired, as the ecosystem's web templates list them. */
const ISM_STATES: readonly string[] = ['524', '526', '527', '528', '529', '245', '530', '531', '532'];

/** The fields of a node that say which template node it is (everything but type, bounds, path and content). */
type NodeIdentity = Pick<
  WebTemplateNode,
  'id' | 'name' | 'localizedName' | 'nodeId' | 'localizedNames' | 'localizedDescriptions' | 'annotations' | 'termBindings'
>;

/**
 * Builds the web template of an operational template: the tree of nodes a form or a FLAT path
 * addresses, each with its id, RM type, bounds from occurrences, AQL path and, for data values, the
 * inputs and their allowed values.
 */
export function buildWebTemplate(template: OperationalTemplate, options: BuildWebTemplateOptions = {}): WebTemplate {
  const languages = templateLanguages(template);
  const builder = new WebTemplateBuilder(template, webTemplateConventions(options.flavour ?? 'ehrbase'), languages);
  return {
    templateId: template.templateId,
    version: '2.3',
    defaultLanguage: languages[0] ?? '',
    languages,
    tree: builder.root(),
  };
}

class WebTemplateBuilder {
  readonly #template: OperationalTemplate;
  readonly #conventions: WebTemplateConventions;
  readonly #languages: readonly string[];
  /** Internal references being expanded on the current branch, to stop recursive structures. */
  readonly #expanding = new Set<CObject>();
  /** Template-level default values, by the ELEMENT (or other object) whose value they fill. */
  readonly #defaults: Map<CObject, DefaultValue>;
  /**
   * Narrowed cardinalities whose nodes have not found their parent node yet: the nodes of a left-out
   * structure (ITEM_TREE.items) become children of the node above it, which takes the cardinality.
   */
  #openCardinalities: { readonly bounds: Bounds; readonly nodes: readonly WebTemplateNode[] }[] = [];

  constructor(template: OperationalTemplate, conventions: WebTemplateConventions, languages: readonly string[]) {
    this.#template = template;
    this.#conventions = conventions;
    this.#languages = languages;
    this.#defaults = templateDefaults(template);
  }

  get #defaultLanguage(): string {
    return this.#languages[0] ?? '';
  }

  root(): WebTemplateNode {
    const definition = this.#template.definition;
    const terms = new ArchetypeTerms(this.#template, definition);
    const node: WebTemplateNode = {
      ...this.identity(definition, terms, ''),
      rmType: definition.rmTypeName,
      ...bounds(definition.occurrences),
      ...(this.#conventions.rootAqlPath ? { aqlPath: '' } : {}),
    };
    this.attachChildren(node, definition, '', terms);
    return node;
  }

  // --- objects ------------------------------------------------------------------------------

  objectNodes(object: CObject, attribute: string, parentPath: string, terms: ArchetypeTerms): WebTemplateNode[] {
    if (isProhibited(object.occurrences)) return [];
    switch (object.type) {
      case 'ARCHETYPE_SLOT':
        return [];
      case 'ARCHETYPE_INTERNAL_REF':
        return this.referenceNodes(object.targetPath, object.occurrences, attribute, parentPath, terms);
      case 'C_ARCHETYPE_ROOT':
        return this.complexNodes(object, attribute, parentPath, new ArchetypeTerms(this.#template, object));
      case 'C_COMPLEX_OBJECT':
        return this.complexNodes(object, attribute, parentPath, terms);
      default: {
        const path = `${parentPath}/${attribute}${this.predicate(object, terms)}`;
        return [this.dataValueNode(object, this.identity(object, terms, attribute), path, bounds(object.occurrences), terms)];
      }
    }
  }

  referenceNodes(
    targetPath: string,
    occurrences: Interval<number>,
    attribute: string,
    parentPath: string,
    terms: ArchetypeTerms,
  ): WebTemplateNode[] {
    const target = findByArchetypePath(terms.archetype, targetPath);
    if (target === undefined || this.#expanding.has(target)) return [];
    this.#expanding.add(target);
    try {
      return this.objectNodes({ ...target, occurrences }, attribute, parentPath, terms);
    } finally {
      this.#expanding.delete(target);
    }
  }

  complexNodes(object: CComplexObject | CArchetypeRoot, attribute: string, parentPath: string, terms: ArchetypeTerms): WebTemplateNode[] {
    const path = `${parentPath}/${attribute}${this.predicate(object, terms)}`;
    const rmType = object.rmTypeName;
    if (STRUCTURE_TYPES.has(rmType)) return this.childNodes(object, path, terms).nodes;
    const identity = this.identity(object, terms, attribute);
    if (rmType === 'ELEMENT') return [this.elementNode(object, identity, path, terms)];
    if (isDataValueType(rmType)) return [this.dataValueNode(object, identity, path, bounds(object.occurrences), terms)];
    const node: WebTemplateNode = { ...identity, rmType, ...bounds(object.occurrences), aqlPath: path };
    this.attachChildren(node, object, path, terms);
    return [node];
  }

  attachChildren(node: WebTemplateNode, object: CComplexObject | CArchetypeRoot, path: string, terms: ArchetypeTerms): void {
    const { nodes, groups } = this.childNodes(object, path, terms);
    makeSiblingIdsUnique(nodes);
    const cardinalities = this.takeCardinalities(nodes);
    if (cardinalities.length > 0) node.cardinalities = cardinalities;
    if (this.#conventions.dependsOn) {
      const dependent = object.rmTypeName === 'OBSERVATION' ? 'protocol' : isEventType(object.rmTypeName) ? 'state' : undefined;
      const data = groups.get('data') ?? [];
      if (dependent !== undefined && data.length > 0) {
        for (const child of groups.get(dependent) ?? []) child.dependsOn = data.map((dataNode) => dataNode.id);
      }
    }
    if (nodes.length > 0) node.children = nodes;
  }

  /** Children in web template order: leading RM attributes, the template's attributes, trailing RM attributes. */
  childNodes(
    object: CComplexObject | CArchetypeRoot,
    path: string,
    terms: ArchetypeTerms,
  ): { nodes: WebTemplateNode[]; groups: Map<string, WebTemplateNode[]> } {
    const leading = this.#conventions.leading(object.rmTypeName);
    const trailing = this.#conventions.trailing(object.rmTypeName);
    const placed = new Set([...leading, ...trailing].map((spec) => spec.attribute));
    const nodes: WebTemplateNode[] = [];
    const groups = new Map<string, WebTemplateNode[]>();
    for (const spec of leading) nodes.push(...this.rmAttributeNodes(spec, object, path, terms));
    for (const attribute of object.attributes) {
      const name = attribute.rmAttributeName;
      if (placed.has(name) || IGNORED_ATTRIBUTES.has(name) || isProhibited(attribute.existence) || isRmFunction(object.rmTypeName, name))
        continue;
      const soleEvent = soleSingleEvent(attribute);
      const attributeNodes =
        soleEvent === undefined
          ? attribute.children.flatMap((child) => this.objectNodes(child, name, path, terms))
          : this.childNodes(soleEvent, `${path}/${name}${this.predicate(soleEvent, terms)}`, terms).nodes;
      groups.set(name, [...(groups.get(name) ?? []), ...attributeNodes]);
      nodes.push(...attributeNodes);
      if (narrowsCardinality(attribute) && attribute.cardinality !== undefined && attributeNodes.length > 0) {
        this.#openCardinalities.push({ bounds: bounds(attribute.cardinality.interval), nodes: attributeNodes });
      }
    }
    for (const spec of trailing) nodes.push(...this.rmAttributeNodes(spec, object, path, terms));
    return { nodes, groups };
  }

  /** The open cardinalities whose nodes are all among `children`, with the children's final ids. */
  takeCardinalities(children: readonly WebTemplateNode[]): WebTemplateCardinality[] {
    const here = new Set(children);
    const taken = this.#openCardinalities.filter((group) => group.nodes.every((child) => here.has(child)));
    if (taken.length === 0) return [];
    this.#openCardinalities = this.#openCardinalities.filter((group) => !taken.includes(group));
    return taken.map((group) => ({ ...group.bounds, ids: group.nodes.map((child) => child.id) }));
  }

  // --- ELEMENT and data values --------------------------------------------------------------

  elementNode(element: CComplexObject | CArchetypeRoot, identity: NodeIdentity, path: string, terms: ArchetypeTerms): WebTemplateNode {
    const values = (element.attributes.find((attribute) => attribute.rmAttributeName === 'value')?.children ?? []).filter(
      (value) => value.type !== 'ARCHETYPE_SLOT' && !isProhibited(value.occurrences),
    );
    const elementBounds = bounds(element.occurrences);
    const valuePath = `${path}/value`;
    const templateDefault = this.#defaults.get(element);
    const [first, second] = values;
    if (first !== undefined && second === undefined)
      return this.dataValueNode(first, identity, valuePath, elementBounds, terms, templateDefault);
    if (first !== undefined && second !== undefined && values.length === 2) {
      const coded = values.find((value) => value.rmTypeName === 'DV_CODED_TEXT');
      const plain = values.find((value) => value.rmTypeName === 'DV_TEXT');
      if (coded !== undefined && plain !== undefined)
        return this.openCodedTextNode(coded, identity, valuePath, elementBounds, terms, templateDefault);
    }
    const node: WebTemplateNode = { ...identity, rmType: 'ELEMENT', ...elementBounds, aqlPath: path };
    const { annotations: _annotations, termBindings: _termBindings, ...choiceIdentity } = identity;
    const children =
      values.length > 0
        ? values.map((value) =>
            this.dataValueNode(value, { ...choiceIdentity, id: valueId(value.rmTypeName) }, valuePath, bounds(value.occurrences), terms),
          )
        : this.anyValueNodes(choiceIdentity, valuePath, terms);
    if (children.length > 0) node.children = children;
    return node;
  }

  /** An ELEMENT left open by the template: one node per data value type, all optional. */
  anyValueNodes(identity: NodeIdentity, valuePath: string, terms: ArchetypeTerms): WebTemplateNode[] {
    const { nodeId: _nodeId, ...unnumbered } = identity;
    return ANY_VALUE_TYPES.map((rmType) => {
      const node: WebTemplateNode = { ...unnumbered, id: valueId(rmType), rmType, min: 0, max: 1, aqlPath: valuePath };
      this.applyContent(node, rmType, undefined, terms);
      node.inContext = true;
      return node;
    });
  }

  /** DV_CODED_TEXT or DV_TEXT: the coded list stays open and a free text answer goes in |other. */
  openCodedTextNode(
    coded: CObject,
    identity: NodeIdentity,
    path: string,
    nodeBounds: Bounds,
    terms: ArchetypeTerms,
    templateDefault?: DefaultValue,
  ): WebTemplateNode {
    const node = this.dataValueNode(coded, identity, path, nodeBounds, terms);
    const inputs = node.inputs ?? [];
    for (const input of inputs) if (input.list !== undefined) input.listOpen = true;
    const other: WebTemplateInput = { suffix: 'other', type: 'TEXT' };
    inputs.push(other);
    node.inputs = inputs;
    if (templateDefault?.rmType === 'DV_TEXT' && templateDefault.value !== undefined) other.defaultValue = templateDefault.value;
    else if (templateDefault !== undefined) applyDefault(node, templateDefault);
    return node;
  }

  dataValueNode(
    object: CObject,
    identity: NodeIdentity,
    path: string,
    nodeBounds: Bounds,
    terms: ArchetypeTerms,
    templateDefault?: DefaultValue,
  ): WebTemplateNode {
    const rmType = object.rmTypeName;
    const node: WebTemplateNode = { ...identity, rmType, ...nodeBounds, aqlPath: path };
    if (rmType.startsWith('DV_INTERVAL')) {
      const children = this.intervalNodes(object, rmType, path, terms);
      if (children.length > 0) node.children = children;
      return node;
    }
    this.applyContent(node, rmType, object, terms);
    const defaultValue = templateDefault ?? ('defaultValue' in object ? object.defaultValue : undefined);
    if (defaultValue !== undefined) applyDefault(node, defaultValue);
    return node;
  }

  intervalNodes(object: CObject, rmType: string, path: string, terms: ArchetypeTerms): WebTemplateNode[] {
    const inner = /^DV_INTERVAL<(.+)>$/.exec(rmType)?.[1];
    return ['upper', 'lower'].flatMap((bound) => {
      const constraint = attributeObject(object, bound);
      if (constraint !== undefined) return this.objectNodes(constraint, bound, path, terms);
      if (inner === undefined) return [];
      const node: WebTemplateNode = {
        id: bound,
        name: bound,
        localizedName: bound,
        rmType: inner,
        min: 0,
        max: 1,
        aqlPath: `${path}/${bound}`,
      };
      this.applyContent(node, inner, undefined, terms);
      return [node];
    });
  }

  applyContent(node: WebTemplateNode, rmType: string, constraint: CObject | undefined, terms: ArchetypeTerms): void {
    const content = dataValueInputs(rmType, constraint, this.inputContext(terms));
    if (content.inputs !== undefined) node.inputs = content.inputs;
    if (content.proportionTypes !== undefined) node.proportionTypes = content.proportionTypes;
  }

  inputContext(terms: ArchetypeTerms): InputContext {
    return { terms, languages: this.#languages, omitLocalTerminology: this.#conventions.omitLocalTerminology };
  }

  // --- RM attributes ------------------------------------------------------------------------

  rmAttributeNodes(spec: RmAttributeSpec, object: CComplexObject | CArchetypeRoot, path: string, terms: ArchetypeTerms): WebTemplateNode[] {
    const constraint = object.attributes.find((attribute) => attribute.rmAttributeName === spec.attribute);
    if (spec.special === 'ism_transition') return [this.ismTransitionNode(spec, constraint, path, terms)];
    if (spec.special === 'instruction_details') return this.instructionDetailsNodes(path);
    if (constraint !== undefined && constraint.children.length > 0) {
      const nodes = constraint.children.flatMap((child) => this.objectNodes(child, spec.attribute, path, terms));
      if (spec.inContext) for (const node of nodes) node.inContext = true;
      return nodes;
    }
    return [this.defaultRmNode(spec, path, terms)];
  }

  defaultRmNode(spec: RmAttributeSpec, path: string, terms: ArchetypeTerms): WebTemplateNode {
    const aqlPath = `${path}/${spec.attribute}`;
    if (spec.rmType === 'EVENT_CONTEXT') {
      const context: CComplexObject = {
        type: 'C_COMPLEX_OBJECT',
        rmTypeName: 'EVENT_CONTEXT',
        nodeId: '',
        occurrences: {
          lower: spec.min,
          upper: spec.max,
          lowerIncluded: true,
          upperIncluded: true,
          lowerUnbounded: false,
          upperUnbounded: false,
        },
        attributes: [],
      };
      return this.complexNodes(context, spec.attribute, path, terms)[0] ?? this.rmNode(spec, aqlPath);
    }
    const node = this.rmNode(spec, aqlPath);
    if (spec.attribute === 'category' || spec.attribute === 'math_function') {
      const codes = [...(spec.attribute === 'category' ? COMPOSITION_CATEGORY : EVENT_MATH_FUNCTION).keys()];
      node.inputs = [this.openehrCodeInput(codes)];
    } else {
      this.applyContent(node, spec.rmType, undefined, terms);
    }
    if (spec.inContext) node.inContext = true;
    return node;
  }

  rmNode(spec: RmAttributeSpec, aqlPath: string, name = this.#conventions.rmAttributeName(spec.attribute)): WebTemplateNode {
    return { id: spec.attribute, name, rmType: spec.rmType, min: spec.min, max: spec.max, aqlPath };
  }

  openehrCodeInput(codes: readonly string[]): WebTemplateInput {
    const context = this.inputContext(new ArchetypeTerms(this.#template, this.#template.definition));
    return { suffix: 'code', type: 'CODED_TEXT', list: codes.map((code) => codedValue('openehr', code, context)), terminology: 'openehr' };
  }

  /**
   * ACTION.ism_transition: the template's ISM_TRANSITION objects (one per careflow step) merge into
   * one node; each careflow step lists the states it may be recorded in.
   */
  ismTransitionNode(spec: RmAttributeSpec, constraint: CAttribute | undefined, path: string, terms: ArchetypeTerms): WebTemplateNode {
    const ismPath = `${path}/ism_transition`;
    const transitions = (constraint?.children ?? []).filter((child): child is CComplexObject => child.type === 'C_COMPLEX_OBJECT');
    const context = this.inputContext(terms);
    const states: string[] = [];
    const steps: WebTemplateInput['list'] = [];
    let stepBounds: Bounds | undefined;
    let stateBounds: Bounds | undefined;
    for (const transition of transitions) {
      const step = codesOf(attributeObject(transition, 'careflow_step'));
      const current = codesOf(attributeObject(transition, 'current_state'));
      const currentStates = current?.codeList ?? [];
      for (const state of currentStates) if (!states.includes(state)) states.push(state);
      if (step !== undefined) {
        stepBounds ??= bounds(attributeObject(transition, 'careflow_step')?.occurrences ?? ONE);
        for (const code of step.codeList)
          steps.push({ ...codedValue(step.terminologyId ?? 'local', code, context), currentStates: [...currentStates] });
      }
      if (current !== undefined) stateBounds ??= bounds(attributeObject(transition, 'current_state')?.occurrences ?? ONE);
    }
    const ismName = (attribute: string): string =>
      this.#conventions.flavour === 'ehrbase' && attribute !== 'transition'
        ? capitalise(attribute)
        : this.#conventions.rmAttributeName(attribute);
    const child = (attribute: string, nodeBounds: Bounds, inputs: WebTemplateInput[]): WebTemplateNode => ({
      id: attribute,
      name: ismName(attribute),
      rmType: 'DV_CODED_TEXT',
      ...nodeBounds,
      aqlPath: `${ismPath}/${attribute}`,
      inputs,
      inContext: true,
    });
    const careflowStep =
      steps.length > 0
        ? child('careflow_step', stepBounds ?? bounds(ONE), [{ suffix: 'code', type: 'CODED_TEXT', list: steps, terminology: 'local' }])
        : child('careflow_step', { min: 0, max: 1 }, [
            { suffix: 'code', type: 'TEXT' },
            { suffix: 'value', type: 'TEXT' },
          ]);
    const stateInput = this.openehrCodeInput(states.length > 0 ? states : ISM_STATES);
    const currentState = child('current_state', stateBounds ?? bounds(ONE), [stateInput]);
    const transition = child('transition', { min: 0, max: 1 }, [
      { suffix: 'code', type: 'TEXT' },
      { suffix: 'value', type: 'TEXT' },
    ]);
    return {
      ...this.rmNode(spec, ismPath),
      children: [careflowStep, currentState, transition],
      inContext: true,
    };
  }

  /** ACTION.instruction_details: which instruction activity the action carries out. */
  instructionDetailsNodes(path: string): WebTemplateNode[] {
    const detailsPath = `${path}/instruction_details`;
    return [
      {
        id: 'activity_id',
        name: 'activity_id',
        rmType: 'STRING',
        min: 1,
        max: 1,
        aqlPath: `${detailsPath}/activity_id`,
        inputs: [{ type: 'TEXT' }],
      },
      { id: 'instruction_id', name: 'instruction_id', rmType: 'LOCATABLE_REF', min: 1, max: 1, aqlPath: `${detailsPath}/instruction_id` },
    ];
  }

  // --- names and paths ----------------------------------------------------------------------

  identity(object: CObject, terms: ArchetypeTerms, attribute: string): NodeIdentity {
    const nodeId = object.type === 'C_ARCHETYPE_ROOT' ? object.archetypeId : object.nodeId;
    if (nodeId === '') {
      if (this.#conventions.unnamedObjects === 'empty-node-id') return { id: webTemplateNodeId(attribute), nodeId: '' };
      // Primitive values (action_archetype_id) are plain RM attributes; only objects get a localized name.
      return object.type === 'C_PRIMITIVE_OBJECT'
        ? { id: webTemplateNodeId(attribute), name: attribute }
        : { id: webTemplateNodeId(attribute), name: attribute, localizedName: attribute };
    }
    const termCode = object.nodeId === '' ? nodeId : object.nodeId;
    const explicitName = this.explicitName(object, terms);
    const defaultTerm = terms.term(termCode, this.#defaultLanguage);
    const name = explicitName ?? defaultTerm?.text ?? nodeId;
    const localizedNames: Record<string, string> = {};
    const localizedDescriptions: Record<string, string> = {};
    for (const language of this.#languages) {
      const term = terms.term(termCode, language);
      if (explicitName !== undefined) localizedNames[language] = explicitName;
      else if (term !== undefined) localizedNames[language] = term.text;
      if (term !== undefined) localizedDescriptions[language] = term.description ?? '';
    }
    const identity: NodeIdentity = { id: webTemplateNodeId(name), name, localizedName: name, nodeId };
    if (Object.keys(localizedNames).length > 0) identity.localizedNames = localizedNames;
    if (Object.keys(localizedDescriptions).length > 0) identity.localizedDescriptions = localizedDescriptions;
    if (defaultTerm !== undefined && Object.keys(defaultTerm.other).length > 0) identity.annotations = { ...defaultTerm.other };
    const termBindings = this.termBindings(termCode, terms);
    if (termBindings !== undefined) identity.termBindings = termBindings;
    return identity;
  }

  termBindings(code: string, terms: ArchetypeTerms): Record<string, WebTemplateTermBinding> | undefined {
    const bindings: Record<string, WebTemplateTermBinding> = {};
    for (const [terminology, codes] of Object.entries(terms.archetype.termBindings)) {
      const bound = codes[code];
      if (bound !== undefined) bindings[terminology] = { value: bound.codeString, terminologyId: bound.terminologyId };
    }
    return Object.keys(bindings).length > 0 ? bindings : undefined;
  }

  /** The name the template gives the node (a constraint on its `name` attribute), if any; the first if it allows several. */
  explicitName(object: CObject, terms: ArchetypeTerms): string | undefined {
    return this.allowedNames(object, terms)?.[0];
  }

  allowedNames(object: CObject, terms: ArchetypeTerms): string[] | undefined {
    const name = attributeObject(object, 'name');
    if (name === undefined) return undefined;
    const value = attributeObject(name, 'value');
    if (value?.type === 'C_PRIMITIVE_OBJECT' && value.item.type === 'C_STRING' && value.item.list.length > 0) return [...value.item.list];
    const code = codesOf(attributeObject(name, 'defining_code'));
    if (code === undefined || code.codeList.length === 0) return undefined;
    const local = (code.terminologyId ?? 'local') === 'local';
    return code.codeList.map((item) => (local ? (terms.term(item, this.#defaultLanguage)?.text ?? item) : item));
  }

  /**
   * The AQL predicate of a node: its node id (archetype id for archetype roots) and the name the
   * template gives it. A choice of names cannot be one predicate, so it is left out.
   */
  predicate(object: CObject, terms: ArchetypeTerms): string {
    const nodeId = object.type === 'C_ARCHETYPE_ROOT' ? object.archetypeId : object.nodeId;
    if (nodeId === '') return '';
    const names = this.allowedNames(object, terms);
    const [name] = names ?? [];
    if (names?.length !== 1 || name === undefined) return `[${nodeId}]`;
    return `[${nodeId} and name/value='${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
}

interface Bounds {
  min: number;
  max: number;
}

const ONE: Interval<number> = {
  lower: 1,
  upper: 1,
  lowerIncluded: true,
  upperIncluded: true,
  lowerUnbounded: false,
  upperUnbounded: false,
};

/** min/max of a node from occurrences; -1 means unbounded. */
function bounds(occurrences: Interval<number>): Bounds {
  return {
    min: occurrences.lowerUnbounded ? 0 : (occurrences.lower ?? 0),
    max: occurrences.upperUnbounded || occurrences.upper === undefined ? -1 : occurrences.upper,
  };
}

/**
 * A history with exactly one event that occurs at most once: the web template shows the event's
 * content in the observation's place, as the event adds nothing a form needs. With several
 * events (first, second, 24 hour average), each keeps its node.
 */
function soleSingleEvent(attribute: CAttribute): CComplexObject | undefined {
  const [only, other] = attribute.children;
  const isSole =
    attribute.rmAttributeName === 'events' &&
    other === undefined &&
    only?.type === 'C_COMPLEX_OBJECT' &&
    isEventType(only.rmTypeName) &&
    bounds(only.occurrences).max === 1;
  return isSole ? only : undefined;
}

/** Puts a template default value on the input a user would otherwise fill: the code of a coded text, else the value. */
function applyDefault(node: WebTemplateNode, defaultValue: DefaultValue): void {
  const inputs = node.inputs ?? [];
  const code = defaultValue.definingCode?.codeString;
  const target =
    code !== undefined
      ? inputs.find((input) => input.suffix === 'code')
      : inputs.find((input) => input.suffix === undefined || input.suffix === 'value');
  const value = code ?? defaultValue.value;
  if (target !== undefined && value !== undefined && value !== '') target.defaultValue = value;
}

/**
 * A cardinality worth stating: one that bounds the number of items or asks for more than one. The
 * common `0..*` and `1..*` (a list that may or must not be empty) say nothing the children's
 * occurrences do not, and the ecosystem's web templates leave them out (the answer keys show none).
 */
function narrowsCardinality(attribute: CAttribute): boolean {
  const interval = attribute.cardinality?.interval;
  if (interval === undefined) return false;
  const { min, max } = bounds(interval);
  return max !== -1 || min > 1;
}

/**
 * A template may constrain an RM function such as EVENT.offset (the event time minus the history
 * origin, RM 1.1.0 data_structures): a computed value, never stored, so no data can fill a node
 * for it (canonical JSON and XML have no such attribute, and validation skips the constraint).
 */
function isRmFunction(rmType: string, attribute: string): boolean {
  return isRmClass(rmType) && getRmAttribute(rmType, attribute) === undefined;
}

/** Occurrences or existence of 0..0: the template removes the node. */
function isProhibited(interval: Interval<number>): boolean {
  return !interval.upperUnbounded && interval.upper === 0;
}

function codesOf(object: CObject | undefined): CCodePhrase | undefined {
  if (object === undefined) return undefined;
  if (object.type === 'C_CODE_PHRASE' || object.type === 'C_CODE_REFERENCE') return object;
  const definingCode = attributeObject(object, 'defining_code');
  return definingCode?.type === 'C_CODE_PHRASE' || definingCode?.type === 'C_CODE_REFERENCE' ? definingCode : undefined;
}

function isDataValueType(rmType: string): boolean {
  return rmType.startsWith('DV_') || LEAF_TYPES.has(rmType);
}

/** Id of a value alternative of an ELEMENT: DV_QUANTITY -> quantity_value, DV_INTERVAL<DV_TIME> -> interval<dv_time>_value. */
function valueId(rmType: string): string {
  return `${rmType.replace(/^DV_/, '').toLowerCase()}_value`;
}

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

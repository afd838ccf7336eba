/**
 * FLAT (simSDT) → canonical JSON COMPOSITION, driven by the web template of the composition's
 * template. Template nodes are placed at their AQL paths, creating the structure nodes the web
 * template leaves out (HISTORY, ITEM_TREE, a sole EVENT, the ELEMENT around a value); RM
 * attributes come from `|suffix` and `_underscore` keys; `ctx/` keys and RM rules fill the rest.
 */

import type { WebTemplate, WebTemplateNode } from '../template/web-template-model.js';
import { formatNamedSteps, type PathStep } from './aql-path.js';
import { codePhrase, decodeCodePhrase } from './code-phrase-codec.js';
import type { CodecContext } from './codec-context.js';
import { readContextDefaults, openehrCoded, type ContextDefaults } from './ctx-defaults.js';
import { DEFAULT_INTERVAL_FLAGS, decodeDataValue, liftBoundAttributes } from './data-value-codec.js';
import { FlatFormatError, type FlatFormatIssue } from './flat-format-error.js';
import { FlatNode, flatTreeOf } from './flat-tree.js';
import { takeInteger, takeString } from './flat-values.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../shared/json.js';
import { arrayAt, defined, objectAt, stringAt } from './json.js';
import { orderCanonicalKeys } from './canonical-order.js';
import {
  decodeFeederAudit,
  decodeInstructionDetails,
  decodeLink,
  decodeObjectRef,
  decodeParticipation,
  decodePartyProxy,
} from './rm-attribute-codec.js';
import {
  ENTRY_TYPES,
  RM_VERSION,
  baseType,
  defaultCodePhraseTerminology,
  defaultStructureName,
  isArchetypeId,
  isLocatableType,
  isMultiValued,
  skippedNodeType,
} from './rm-model.js';
import { childLinks, isInstructionDetailsPart, nodeName, type ChildLink } from './template-walk.js';
import { earliestTime } from './time-order.js';

/** What the template says of a node that FLAT has no key for: RM type and name. */
export interface SkippedNodeInfo {
  readonly rmType?: string;
  /** The name in the asked language (the text of `nameCode` when there is one). */
  readonly name?: string;
  /** The coded term the template fixes as the node's name: the name is then a DV_CODED_TEXT. */
  readonly nameCode?: { readonly terminology: string; readonly code: string };
}

export interface FlatToCompositionOptions {
  /**
   * Supplies type and name of structure nodes the web template leaves out (HISTORY, ITEM_TREE, a
   * sole EVENT), and the coded name of any node whose template fixes its name to a coded term,
   * keyed by archetype path in the spelling of web template `aqlPath`s (node ids, and name
   * predicates where the template fixes a name), e.g.
   * `/content[openEHR-EHR-OBSERVATION.body_temperature.v2]/data[at0002]`. Typically built from
   * the operational template (see skippedNodesFromTemplate). Without it the names of structure
   * nodes are RM defaults ("History", "Tree", ...) and every derived name is a DV_TEXT.
   */
  readonly skippedNode?: (path: string, language: string) => SkippedNodeInfo | undefined;
  /**
   * The current time (ISO 8601), used as `ctx/time` when a document gives neither `ctx/time` nor
   * a context start time. Passed in so that the conversion stays a pure function.
   */
  readonly now?: string;
}

/**
 * Converts a FLAT composition into a canonical JSON COMPOSITION.
 * @throws FlatFormatError listing every key that is unknown, malformed or inconsistent.
 */
export function flatToComposition(
  flat: Record<string, unknown>,
  webTemplate: WebTemplate,
  options: FlatToCompositionOptions = {},
): JsonObject {
  const issues: FlatFormatIssue[] = [];
  const root = flatTreeOf(flat, issues);
  const tree = webTemplate.tree;
  root.describedAs = `the document (the template root is '${tree.id}')`;
  const ctxNode = root.takeChildren('ctx')[0];
  const compositionNode = root.takeChildren(tree.id)[0] ?? new FlatNode([{ id: tree.id, index: undefined }]);
  if (root.peekChildren(tree.id).length > 1) {
    issues.push({ path: `${tree.id}:1`, message: 'a document holds exactly one composition' });
  }

  const ctx = readContextDefaults(ctxNode, { issues, language: webTemplate.defaultLanguage });
  const languageNode = compositionNode.peekChildren('language')[0];
  const givenLanguage = languageNode?.peekAttribute('code') ?? languageNode?.peekValue();
  const language = (typeof givenLanguage === 'string' ? givenLanguage : undefined) ?? ctx.language;
  if (language === undefined) {
    issues.push({ path: `${tree.id}/language|code`, message: 'composition language is required (or ctx/language)' });
  }
  const givenStart = compositionNode.peekChildren('context')[0]?.peekChildren('start_time')[0]?.peekValue();
  const time = (typeof givenStart === 'string' ? givenStart : undefined) ?? ctx.time ?? options.now;

  const cx: CodecContext = {
    issues,
    language: language ?? webTemplate.defaultLanguage,
    idNamespace: ctx.idNamespace,
    idScheme: ctx.idScheme,
  };
  const builder = new CompositionBuilder(webTemplate, cx, ctx, options, time);
  const composition = builder.build(compositionNode);
  root.collectUntaken(issues);
  if (issues.length > 0) throw new FlatFormatError(issues);
  return orderCanonicalKeys(composition);
}

class CompositionBuilder {
  private readonly historyOrigins = new WeakMap<JsonObject, string>();

  constructor(
    private readonly webTemplate: WebTemplate,
    private readonly cx: CodecContext,
    private readonly ctx: ContextDefaults,
    private readonly options: FlatToCompositionOptions,
    private readonly time: string | undefined,
  ) {}

  private issue(path: string, message: string): void {
    this.cx.issues.push({ path, message });
  }

  build(node: FlatNode): JsonObject {
    const tree = this.webTemplate.tree;
    node.describedAs = 'COMPOSITION';
    const composition = this.newLocatable(tree, node, 'COMPOSITION', '');
    const details = objectAt(composition, 'archetype_details');
    if (details) details['template_id'] = { _type: 'TEMPLATE_ID', value: this.webTemplate.templateId };
    this.fill(tree, node, composition, composition, '');
    this.compositionDefaults(composition, node);
    return composition;
  }

  // ---- objects of template nodes ------------------------------------------------------------------

  private newLocatable(wt: WebTemplateNode, node: FlatNode, type: string, path: string): JsonObject {
    const object: JsonObject = { _type: type, name: this.nameOf(wt, node, path) };
    if (wt.nodeId) object['archetype_node_id'] = wt.nodeId;
    if (isArchetypeId(wt.nodeId) && wt.nodeId) {
      object['archetype_details'] = {
        _type: 'ARCHETYPED',
        archetype_id: { _type: 'ARCHETYPE_ID', value: wt.nodeId },
        rm_version: RM_VERSION,
      };
    }
    return object;
  }

  /** The `_name` given, else the template's name: coded when the template fixes a coded term (known from `options.skippedNode`). */
  private nameOf(wt: WebTemplateNode, node: FlatNode, path: string): JsonObject {
    const nameNode = node.takeChildren('_name')[0];
    const given = nameNode && decodeDataValue('DV_TEXT', nameNode, this.cx);
    if (given) return given;
    const info = path === '' ? undefined : this.options.skippedNode?.(path, this.cx.language);
    const text = nodeName(wt, this.cx.language);
    return info?.nameCode === undefined ? { _type: 'DV_TEXT', value: text } : templateName(info, text);
  }

  private concreteType(wt: WebTemplateNode, node: FlatNode): string {
    const type = baseType(wt.rmType);
    if (type !== 'EVENT') return type;
    const interval = node.hasChild('width') || node.hasChild('math_function') || node.hasAttribute('sample_count');
    return interval ? 'INTERVAL_EVENT' : 'POINT_EVENT';
  }

  /**
   * Decodes the template children of `wt` (placed below `anchor`) and the RM attributes of
   * `object`. They differ only for values standing for an ELEMENT: the ELEMENT takes the RM
   * attributes while template children (interval bounds) hang below the value.
   */
  private fill(wt: WebTemplateNode, node: FlatNode, object: JsonObject, anchor: JsonObject, path: string): void {
    for (const link of childLinks(wt)) {
      if (isInstructionDetailsPart(link)) continue;
      const instances = node.takeChildren(link.node.id);
      if (instances.length > 1 && link.node.max === 1) {
        this.issue(instances[1]?.path ?? node.path, `'${link.node.id}' occurs at most once`);
      }
      for (const instance of instances) this.decodeChild(link, instance, anchor, path);
    }
    this.rmAttributes(stringAt(object, '_type') ?? '', node, object);
  }

  private decodeChild(link: ChildLink, node: FlatNode, anchor: JsonObject, anchorPath: string): void {
    const wt = link.node;
    const lastStep = link.steps[link.steps.length - 1];
    const attribute = lastStep?.attribute;
    switch (link.kind) {
      case 'locatable': {
        const type = this.concreteType(wt, node);
        node.describedAs = type;
        const path = anchorPath + formatNamedSteps(link.steps);
        const object = this.newLocatable(wt, node, type, path);
        this.fill(wt, node, object, object, path);
        this.applyDefaults(type, object, wt, node);
        this.place(anchor, anchorPath, link.steps, object, node);
        return;
      }
      case 'container': {
        const type = baseType(wt.rmType);
        node.describedAs = type;
        const object: JsonObject = { _type: type };
        this.fill(wt, node, object, object, anchorPath + formatNamedSteps(link.steps));
        this.place(anchor, anchorPath, link.steps, object, node);
        return;
      }
      case 'element': {
        const elementStep = link.steps[link.steps.length - 2];
        node.describedAs = wt.rmType;
        const element: JsonObject = {
          _type: 'ELEMENT',
          name: this.nameOf(wt, node, anchorPath + formatNamedSteps(link.steps.slice(0, -1))),
        };
        if (elementStep?.nodeId) element['archetype_node_id'] = elementStep.nodeId;
        const value = this.decodeValue(wt, node, attribute, anchorPath + formatNamedSteps(link.steps));
        this.rmAttributes('ELEMENT', node, element);
        if (value) element['value'] = value;
        this.place(anchor, anchorPath, link.steps.slice(0, -1), element, node);
        return;
      }
      case 'value': {
        node.describedAs = wt.rmType;
        const value = this.decodeValue(wt, node, attribute, anchorPath + formatNamedSteps(link.steps));
        if (value) this.place(anchor, anchorPath, link.steps, value, node);
        return;
      }
      case 'code_phrase': {
        const phrase = decodeCodePhrase(node, this.cx, attribute && defaultCodePhraseTerminology(attribute));
        if (phrase) this.place(anchor, anchorPath, link.steps, phrase, node);
        return;
      }
      case 'party': {
        const fallback =
          attribute === 'subject' || (attribute === 'composer' && this.ctxComposerIsSelf()) ? 'PARTY_SELF' : 'PARTY_IDENTIFIED';
        const party = decodePartyProxy(node, this.cx, fallback);
        if (party) this.place(anchor, anchorPath, link.steps, party, node);
        return;
      }
      case 'string': {
        node.describedAs = 'STRING';
        const text = takeString(node, undefined, this.cx.issues);
        if (text !== undefined) this.place(anchor, anchorPath, link.steps, text, node);
        return;
      }
      case 'unsupported':
        node.describedAs = `${wt.rmType} (not supported in FLAT)`;
        return;
    }
  }

  private ctxComposerIsSelf(): boolean {
    return this.ctx.composer?.['_type'] === 'PARTY_SELF';
  }

  /** A data value node, with its template children (interval bounds) placed below it. */
  private decodeValue(wt: WebTemplateNode, node: FlatNode, attribute: string | undefined, path: string): JsonObject | undefined {
    const hasChildren = (wt.children?.length ?? 0) > 0;
    if (baseType(wt.rmType) === 'DV_INTERVAL') liftBoundAttributes(node);
    let value = decodeDataValue(wt.rmType, node, this.cx, { wt, attribute, boundsInTemplate: hasChildren });
    if (hasChildren) {
      const anchor: JsonObject = value ?? { _type: baseType(wt.rmType) };
      const before = node.takeCount;
      this.fill(wt, node, anchor, anchor, path);
      if (!value && node.takeCount > before) {
        value = anchor;
        if (anchor['_type'] === 'DV_INTERVAL') Object.assign(anchor, DEFAULT_INTERVAL_FLAGS);
      }
    }
    return value;
  }

  // ---- placing objects at their paths --------------------------------------------------------------

  private place(anchor: JsonObject, anchorPath: string, steps: readonly PathStep[], value: JsonValue, node: FlatNode): void {
    let current = anchor;
    let path = anchorPath;
    for (let i = 0; i < steps.length - 1; i++) {
      const step = steps[i];
      if (!step) continue;
      path += formatNamedSteps([step]);
      current = this.findOrCreate(current, step, steps[i + 1], path);
    }
    const last = steps[steps.length - 1];
    if (!last) return;
    if (isMultiValued(stringAt(current, '_type') ?? '', last.attribute)) {
      const list = current[last.attribute];
      if (Array.isArray(list)) list.push(value);
      else current[last.attribute] = [value];
    } else if (current[last.attribute] !== undefined) {
      this.issue(node.path, `'${last.attribute}' is given more than once`);
    } else {
      current[last.attribute] = value;
    }
  }

  private findOrCreate(current: JsonObject, step: PathStep, next: PathStep | undefined, path: string): JsonObject {
    const existing = current[step.attribute];
    const matches = (candidate: JsonValue | undefined): candidate is JsonObject =>
      isJsonObject(candidate) && (step.nodeId === undefined || candidate['archetype_node_id'] === step.nodeId);
    if (Array.isArray(existing)) {
      const found = existing.find(matches);
      if (found && isJsonObject(found)) return found;
    } else if (matches(existing)) {
      return existing;
    } else if (isJsonObject(existing)) {
      return existing;
    }
    const info = this.options.skippedNode?.(path, this.cx.language);
    const templateType = info?.rmType === 'EVENT' ? 'POINT_EVENT' : info?.rmType === 'ITEM_STRUCTURE' ? 'ITEM_TREE' : info?.rmType;
    const type = templateType ?? skippedNodeType(step, stringAt(current, '_type') ?? '', next);
    const created: JsonObject = { _type: type };
    if (isLocatableType(type)) {
      created['name'] = templateName(info, step.name ?? defaultStructureName(type));
      if (step.nodeId) created['archetype_node_id'] = step.nodeId;
      if (step.nodeId && isArchetypeId(step.nodeId)) {
        created['archetype_details'] = {
          _type: 'ARCHETYPED',
          archetype_id: { _type: 'ARCHETYPE_ID', value: step.nodeId },
          rm_version: RM_VERSION,
        };
      }
    }
    if (isMultiValued(stringAt(current, '_type') ?? '', step.attribute)) {
      if (Array.isArray(existing)) existing.push(created);
      else current[step.attribute] = [created];
    } else {
      current[step.attribute] = created;
    }
    return created;
  }

  // ---- RM attributes from underscore keys -------------------------------------------------------------

  private rmAttributes(type: string, node: FlatNode, object: JsonObject): void {
    if (isLocatableType(type)) this.locatableAttributes(node, object);
    if (ENTRY_TYPES.has(type)) this.entryAttributes(node, object);
    this.typeAttributes(type, node, object);
  }

  /** uid, links and feeder audit, which every LOCATABLE may carry. */
  private locatableAttributes(node: FlatNode, object: JsonObject): void {
    const cx = this.cx;
    const uidNode = node.takeChildren('_uid')[0];
    if (uidNode) {
      uidNode.describedAs = 'uid';
      const raw = uidNode.takeAttribute('raw');
      const uid = takeString(uidNode, undefined, cx.issues);
      if (isJsonObject(raw)) object['uid'] = raw;
      else if (uid !== undefined) {
        object['uid'] = { _type: uid.includes('::') ? 'OBJECT_VERSION_ID' : 'HIER_OBJECT_ID', value: uid };
      }
    }
    const links = defined(node.takeChildren('_link').map((child) => decodeLink(child, cx)));
    if (links.length > 0) object['links'] = links;
    const auditNode = node.takeChildren('_feeder_audit')[0];
    const audit = auditNode && decodeFeederAudit(auditNode, cx);
    if (audit) object['feeder_audit'] = audit;
  }

  /** Other participations, workflow and guideline ids, and the provider of an ENTRY. */
  private entryAttributes(node: FlatNode, object: JsonObject): void {
    const cx = this.cx;
    const participations = defined(node.takeChildren('_other_participation').map((c) => decodeParticipation(c, cx)));
    if (participations.length > 0) object['other_participations'] = participations;
    for (const [id, attribute] of [
      ['_work_flow_id', 'workflow_id'],
      ['_guideline_id', 'guideline_id'],
    ] as const) {
      const child = node.takeChildren(id)[0];
      const ref = child && decodeObjectRef(child, cx);
      if (ref) object[attribute] = ref;
    }
    const providerNode = node.takeChildren('_provider')[0];
    const provider = providerNode && decodePartyProxy(providerNode, cx, 'PARTY_IDENTIFIED');
    if (provider) object['provider'] = provider;
  }

  /** The attributes of one RM type written with underscore keys (`_wf_definition`, `_end_time`, …). */
  private typeAttributes(type: string, node: FlatNode, object: JsonObject): void {
    const cx = this.cx;
    switch (type) {
      case 'INSTRUCTION': {
        const child = node.takeChildren('_wf_definition')[0];
        const definition = child && decodeDataValue('DV_PARSABLE', child, cx);
        if (definition) object['wf_definition'] = definition;
        break;
      }
      case 'ACTION': {
        const child = node.takeChildren('_instruction_details')[0];
        const details = child && decodeInstructionDetails(child, cx);
        if (details) object['instruction_details'] = details;
        break;
      }
      case 'OBSERVATION': {
        const child = node.takeChildren('history_origin')[0];
        const origin = child && takeString(child, undefined, cx.issues);
        if (origin !== undefined) this.historyOrigins.set(object, origin);
        break;
      }
      case 'INTERVAL_EVENT': {
        const widthNode = node.takeChildren('width')[0];
        const width = widthNode && decodeDataValue('DV_DURATION', widthNode, cx);
        if (width) object['width'] = width;
        const functionNode = node.takeChildren('math_function')[0];
        const fn = functionNode && decodeDataValue('DV_CODED_TEXT', functionNode, cx, { attribute: 'math_function' });
        if (fn) object['math_function'] = fn;
        const count = takeInteger(node, 'sample_count', cx.issues);
        if (count !== undefined) object['sample_count'] = count;
        break;
      }
      case 'EVENT_CONTEXT': {
        const endNode = node.takeChildren('_end_time')[0];
        const end = endNode && decodeDataValue('DV_DATE_TIME', endNode, cx);
        if (end) object['end_time'] = end;
        const locationNode = node.takeChildren('_location')[0];
        const location = locationNode && takeString(locationNode, undefined, cx.issues);
        if (location !== undefined) object['location'] = location;
        const facilityNode = node.takeChildren('_health_care_facility')[0];
        const facility = facilityNode && decodePartyProxy(facilityNode, cx, 'PARTY_IDENTIFIED');
        if (facility) object['health_care_facility'] = facility;
        const participations = defined(node.takeChildren('_participation').map((c) => decodeParticipation(c, cx)));
        if (participations.length > 0) object['participations'] = participations;
        break;
      }
      case 'ISM_TRANSITION': {
        const reasons = defined(node.takeChildren('_reason').map((c) => decodeDataValue('DV_TEXT', c, cx)));
        if (reasons.length > 0) object['reason'] = reasons;
        break;
      }
      case 'ELEMENT': {
        const flavourNode = node.takeChildren('_null_flavour')[0];
        const flavour = flavourNode && decodeDataValue('DV_CODED_TEXT', flavourNode, cx, { attribute: 'null_flavour' });
        if (flavour) object['null_flavour'] = flavour;
        const reasonNode = node.takeChildren('_null_reason')[0];
        const reason = reasonNode && decodeDataValue('DV_TEXT', reasonNode, cx);
        if (reason) object['null_reason'] = reason;
        break;
      }
      default:
        break;
    }
  }

  // ---- defaults -------------------------------------------------------------------------------------------

  private timeValue(value: string): JsonObject {
    return { _type: 'DV_DATE_TIME', value };
  }

  private applyDefaults(type: string, object: JsonObject, wt: WebTemplateNode, node: FlatNode): void {
    if (ENTRY_TYPES.has(type)) {
      object['language'] ??= codePhrase('ISO_639-1', this.cx.language);
      object['encoding'] ??= codePhrase('IANA_character-sets', 'UTF-8');
      object['subject'] ??= { _type: 'PARTY_SELF' };
      if (this.ctx.provider) object['provider'] ??= structuredClone(this.ctx.provider);
      if (this.ctx.participations.length > 0) {
        object['other_participations'] ??= structuredClone(this.ctx.participations);
      }
      if (this.ctx.workFlowId) object['workflow_id'] ??= structuredClone(this.ctx.workFlowId);
      if (this.ctx.guidelineId) object['guideline_id'] ??= structuredClone(this.ctx.guidelineId);
    }
    switch (type) {
      case 'OBSERVATION':
        this.observationDefaults(object, node);
        break;
      case 'ACTION':
        this.actionDefaults(object, wt, node);
        break;
      case 'INSTRUCTION':
        if (object['narrative'] === undefined) {
          if (this.ctx.instructionNarrative !== undefined) {
            object['narrative'] = { _type: 'DV_TEXT', value: this.ctx.instructionNarrative };
          } else {
            this.issue(node.keyBelow(['narrative']), 'instruction narrative is required (or ctx/instruction_narrative)');
          }
        }
        for (const activity of arrayAt(object, 'activities')) {
          if (!isJsonObject(activity)) continue;
          activity['action_archetype_id'] ??= '/.*/';
          if (this.ctx.activityTiming !== undefined) {
            activity['timing'] ??= { _type: 'DV_PARSABLE', value: this.ctx.activityTiming, formalism: 'timing' };
          }
        }
        break;
      default:
        break;
    }
  }

  private observationDefaults(observation: JsonObject, node: FlatNode): void {
    const history = objectAt(observation, 'data');
    const givenOrigin = this.historyOrigins.get(observation);
    if (!history) {
      if (givenOrigin !== undefined) this.issue(node.keyBelow(['history_origin']), 'history_origin needs at least one event');
      return;
    }
    const eventTime = givenOrigin ?? this.ctx.historyOrigin ?? this.time;
    const events = arrayAt(history, 'events').filter(isJsonObject);
    for (const event of events) {
      if (event['time'] !== undefined) continue;
      if (eventTime !== undefined) event['time'] = this.timeValue(eventTime);
      else this.issue(node.keyBelow(['time']), 'event time is required (or ctx/time)');
    }
    const times = defined(events.map((e) => stringAt(objectAt(e, 'time') ?? {}, 'value')));
    const origin = givenOrigin ?? this.ctx.historyOrigin ?? earliestTime(times) ?? this.time;
    if (origin !== undefined) history['origin'] ??= this.timeValue(origin);
    else this.issue(node.keyBelow(['history_origin']), 'history origin is required (or ctx/time)');
  }

  private actionDefaults(action: JsonObject, wt: WebTemplateNode, node: FlatNode): void {
    if (action['time'] === undefined) {
      const time = this.ctx.actionTime ?? this.time;
      if (time !== undefined) action['time'] = this.timeValue(time);
      else this.issue(node.keyBelow(['time']), 'action time is required (or ctx/time)');
    }
    const transition = objectAt(action, 'ism_transition') ?? { _type: 'ISM_TRANSITION' };
    action['ism_transition'] = transition;
    if (transition['current_state'] === undefined) {
      const stateNode = wt.children?.find((c) => c.id === 'ism_transition')?.children?.find((c) => c.id === 'current_state');
      const options = stateNode?.inputs?.find((i) => i.suffix === 'code')?.list ?? [];
      const only = options.length === 1 ? options[0] : undefined;
      if (this.ctx.actionIsmCurrentState) transition['current_state'] = structuredClone(this.ctx.actionIsmCurrentState);
      else if (only)
        transition['current_state'] = openehrCoded(only.value, only.localizedLabels?.[this.cx.language] ?? only.label ?? only.value);
      else {
        this.issue(node.keyBelow(['ism_transition', 'current_state'], 'code'), 'ism_transition current state is required');
      }
    }
  }

  private compositionDefaults(composition: JsonObject, node: FlatNode): void {
    const ctx = this.ctx;
    const tree = this.webTemplate.tree;
    if (composition['language'] === undefined) composition['language'] = codePhrase('ISO_639-1', this.cx.language);
    if (composition['territory'] === undefined) {
      if (ctx.territory !== undefined) composition['territory'] = codePhrase('ISO_3166-1', ctx.territory);
      else this.issue(node.keyBelow(['territory'], 'code'), 'territory is required (or ctx/territory)');
    }
    if (composition['category'] === undefined) {
      const categoryNode = tree.children?.find((c) => c.id === 'category');
      const options = categoryNode?.inputs?.find((i) => i.suffix === 'code')?.list ?? [];
      const only = options.length === 1 ? options[0] : undefined;
      if (only) composition['category'] = openehrCoded(only.value, only.label ?? only.value);
      else this.issue(node.keyBelow(['category'], 'code'), 'category is required');
    }
    if (composition['composer'] === undefined) {
      if (ctx.composer) composition['composer'] = structuredClone(ctx.composer);
      else this.issue(node.keyBelow(['composer'], 'name'), 'composer is required (or ctx/composer_name)');
    }
    if (ctx.links.length > 0) composition['links'] ??= structuredClone(ctx.links);
    const persistent = stringAt(objectAt(objectAt(composition, 'category') ?? {}, 'defining_code') ?? {}, 'code_string') === '431';
    if (composition['context'] === undefined && (!persistent || ctx.time !== undefined)) {
      composition['context'] = { _type: 'EVENT_CONTEXT' };
    }
    const context = objectAt(composition, 'context');
    if (!context) return;
    if (context['start_time'] === undefined) {
      if (this.time !== undefined) context['start_time'] = this.timeValue(this.time);
      else this.issue(node.keyBelow(['context', 'start_time']), 'context start time is required (or ctx/time)');
    }
    if (context['end_time'] === undefined && ctx.endTime !== undefined) context['end_time'] = this.timeValue(ctx.endTime);
    if (context['location'] === undefined && ctx.location !== undefined) context['location'] = ctx.location;
    context['setting'] ??= structuredClone(ctx.setting) ?? openehrCoded('238', 'other care');
    if (ctx.healthCareFacility) context['health_care_facility'] ??= structuredClone(ctx.healthCareFacility);
    if (ctx.participations.length > 0) context['participations'] ??= structuredClone(ctx.participations);
  }
}

/** A name derived from the template: a DV_CODED_TEXT when it fixes a coded term, else a DV_TEXT. */
function templateName(info: SkippedNodeInfo | undefined, fallback: string): JsonObject {
  const value = info?.name ?? fallback;
  if (info?.nameCode === undefined) return { _type: 'DV_TEXT', value };
  return {
    _type: 'DV_CODED_TEXT',
    value,
    defining_code: codePhrase(info.nameCode.terminology, info.nameCode.code),
  };
}

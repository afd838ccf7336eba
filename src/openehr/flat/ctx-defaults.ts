/**
 * The `ctx/` keys of a FLAT document: defaults applied wherever the composition itself does not
 * give the value (see README.md, "Context keys").
 */

import type { CodecContext } from './codec-context.js';
import type { FlatNode } from './flat-tree.js';
import { missing, takeBoolean, takeString } from './flat-values.js';
import type { JsonObject } from '../../shared/json.js';
import { defined } from './json.js';
import { INSTRUCTION_STATES, PARTICIPATION_MODE, SETTING, openehrTerm } from '../terminology/openehr-terminology.js';
import { decodeLink, decodeObjectRef } from './rm-attribute-codec.js';

export interface ContextDefaults {
  language?: string;
  territory?: string;
  time?: string;
  endTime?: string;
  historyOrigin?: string;
  actionTime?: string;
  activityTiming?: string;
  idNamespace?: string;
  idScheme?: string;
  composer?: JsonObject;
  provider?: JsonObject;
  healthCareFacility?: JsonObject;
  participations: JsonObject[];
  workFlowId?: JsonObject;
  guidelineId?: JsonObject;
  actionIsmCurrentState?: JsonObject;
  instructionNarrative?: string;
  location?: string;
  setting?: JsonObject;
  links: JsonObject[];
}

export function openehrCoded(code: string, rubric: string): JsonObject {
  return {
    _type: 'DV_CODED_TEXT',
    value: rubric,
    defining_code: {
      _type: 'CODE_PHRASE',
      terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' },
      code_string: code,
    },
  };
}

function partyRef(id: string, scheme: string | undefined, namespace: string | undefined): JsonObject {
  return {
    _type: 'PARTY_REF',
    id: scheme === undefined ? { _type: 'HIER_OBJECT_ID', value: id } : { _type: 'GENERIC_ID', value: id, scheme },
    namespace: namespace ?? '',
    type: 'PARTY',
  };
}

function plain(node: FlatNode, id: string, cx: CodecContext): string | undefined {
  const child = node.takeChildren(id)[0];
  return child && takeString(child, undefined, cx.issues);
}

/** Reads the `ctx` node; everything it does not understand stays untaken and is reported later. */
export function readContextDefaults(ctx: FlatNode | undefined, cx: CodecContext): ContextDefaults {
  const defaults: ContextDefaults = { participations: [], links: [] };
  if (!ctx) return defaults;
  ctx.describedAs = "'ctx' (context defaults)";
  const set = <K extends keyof ContextDefaults>(key: K, value: ContextDefaults[K] | undefined): void => {
    if (value !== undefined) defaults[key] = value;
  };
  set('language', plain(ctx, 'language', cx));
  set('territory', plain(ctx, 'territory', cx));
  set('time', plain(ctx, 'time', cx));
  set('endTime', plain(ctx, 'end_time', cx));
  set('historyOrigin', plain(ctx, 'history_origin', cx));
  set('actionTime', plain(ctx, 'action_time', cx));
  set('activityTiming', plain(ctx, 'activity_timing', cx));
  set('idNamespace', plain(ctx, 'id_namespace', cx));
  set('idScheme', plain(ctx, 'id_scheme', cx));
  set('instructionNarrative', plain(ctx, 'instruction_narrative', cx));
  set('location', plain(ctx, 'location', cx));
  const withIds: CodecContext = { ...cx, idNamespace: defaults.idNamespace, idScheme: defaults.idScheme };

  const selfNode = ctx.takeChildren('composer_self')[0];
  const composerSelf = selfNode ? takeBoolean(selfNode, undefined, cx.issues) : undefined;
  const composerName = plain(ctx, 'composer_name', cx);
  const composerId = plain(ctx, 'composer_id', cx);
  if (composerSelf || composerName !== undefined || composerId !== undefined) {
    const composer: JsonObject = { _type: composerSelf ? 'PARTY_SELF' : 'PARTY_IDENTIFIED' };
    if (composerId !== undefined) composer['external_ref'] = partyRef(composerId, defaults.idScheme, defaults.idNamespace);
    if (composerName !== undefined && !composerSelf) composer['name'] = composerName;
    defaults.composer = composer;
  }

  const providerName = plain(ctx, 'provider_name', cx);
  const providerId = plain(ctx, 'provider_id', cx);
  if (providerName !== undefined || providerId !== undefined) {
    const provider: JsonObject = { _type: 'PARTY_IDENTIFIED' };
    if (providerId !== undefined) provider['external_ref'] = partyRef(providerId, defaults.idScheme, defaults.idNamespace);
    if (providerName !== undefined) provider['name'] = providerName;
    defaults.provider = provider;
  }

  const facilityNode = ctx.takeChildren('health_care_facility')[0];
  if (facilityNode) {
    facilityNode.describedAs = 'ctx/health_care_facility';
    const name = takeString(facilityNode, 'name', cx.issues);
    const id = takeString(facilityNode, 'id', cx.issues);
    const scheme = takeString(facilityNode, 'id_scheme', cx.issues) ?? defaults.idScheme;
    const namespace = takeString(facilityNode, 'id_namespace', cx.issues) ?? defaults.idNamespace;
    const facility: JsonObject = { _type: 'PARTY_IDENTIFIED' };
    if (id !== undefined) facility['external_ref'] = partyRef(id, scheme, namespace);
    if (name !== undefined) facility['name'] = name;
    defaults.healthCareFacility = facility;
  }

  for (const [key, id] of [
    ['workFlowId', 'work_flow_id'],
    ['guidelineId', 'guideline_id'],
  ] as const) {
    const node = ctx.takeChildren(id)[0];
    const ref = node && decodeObjectRef(node, withIds);
    if (ref) defaults[key] = ref;
  }

  const setting = plain(ctx, 'setting', cx);
  if (setting !== undefined) {
    const term = openehrTerm(SETTING, setting);
    if (term) defaults.setting = openehrCoded(term.code, term.rubric);
    else cx.issues.push({ path: 'ctx/setting', message: `'${setting}' is not an openEHR setting code or rubric` });
  }

  const state = plain(ctx, 'action_ism_transition_current_state', cx);
  if (state !== undefined) {
    const term = openehrTerm(INSTRUCTION_STATES, state);
    if (term) defaults.actionIsmCurrentState = openehrCoded(term.code, term.rubric);
    else {
      cx.issues.push({
        path: 'ctx/action_ism_transition_current_state',
        message: `'${state}' is not an openEHR instruction state code or rubric`,
      });
    }
  }

  defaults.links = defined(ctx.takeChildren('link').map((node) => decodeLink(node, cx)));
  defaults.participations = readParticipations(ctx, defaults, cx);
  return defaults;
}

/** `ctx/participation_name:n`, `_function:n`, `_mode:n`, `_id:n`, `_identifiers:n` by index. */
function readParticipations(ctx: FlatNode, defaults: ContextDefaults, cx: CodecContext): JsonObject[] {
  const fields = ['name', 'function', 'mode', 'id', 'id_scheme', 'id_namespace', 'identifiers'] as const;
  const byIndex = new Map<number, Partial<Record<(typeof fields)[number], FlatNode>>>();
  for (const field of fields) {
    for (const node of ctx.takeChildren(`participation_${field}`)) {
      const index = node.segments[node.segments.length - 1]?.index ?? 0;
      const entry = byIndex.get(index) ?? {};
      entry[field] = node;
      byIndex.set(index, entry);
    }
  }
  const participations: JsonObject[] = [];
  for (const [, entry] of [...byIndex.entries()].sort((a, b) => a[0] - b[0])) {
    const text = (field: (typeof fields)[number]) => {
      const node = entry[field];
      return node && takeString(node, undefined, cx.issues);
    };
    const fn = text('function');
    const performer: JsonObject = { _type: 'PARTY_IDENTIFIED' };
    const id = text('id');
    if (id !== undefined) {
      performer['external_ref'] = partyRef(id, text('id_scheme') ?? defaults.idScheme, text('id_namespace') ?? defaults.idNamespace);
    }
    const name = text('name');
    if (name !== undefined) performer['name'] = name;
    const identifiers = entry.identifiers ? readIdentifiers(entry.identifiers, cx) : [];
    if (identifiers.length > 0) performer['identifiers'] = identifiers;
    const participation: JsonObject = { _type: 'PARTICIPATION' };
    const anyNode = entry.name ?? entry.function ?? entry.id ?? entry.mode ?? entry.identifiers;
    if (fn !== undefined) participation['function'] = { _type: 'DV_TEXT', value: fn };
    else if (anyNode) missing(anyNode, undefined, cx.issues, 'ctx/participation_function for this participation');
    const mode = text('mode');
    if (mode !== undefined) {
      const term = openehrTerm(PARTICIPATION_MODE, mode);
      if (term) participation['mode'] = openehrCoded(term.code, term.rubric);
      else if (entry.mode) {
        cx.issues.push({ path: entry.mode.keyFor(), message: `'${mode}' is not an openEHR participation mode` });
      }
    }
    participation['performer'] = performer;
    participations.push(participation);
  }
  return participations;
}

/** Compact `issuer::assigner::id::type;...` or `|issuer:m`, `|assigner:m`, `|id:m`, `|type:m`. */
function readIdentifiers(node: FlatNode, cx: CodecContext): JsonObject[] {
  const identifiers: JsonObject[] = [];
  const compact = takeString(node, undefined, cx.issues);
  if (compact !== undefined) {
    for (const part of compact.split(';').filter((p) => p.trim() !== '')) {
      const [issuer, assigner, id, type] = part.split('::');
      identifiers.push(identifier(issuer, assigner, id, type));
    }
  }
  const parts = new Map<number, Record<string, string>>();
  for (const suffix of node.attributeNames()) {
    const match = /^(issuer|assigner|id|type):(\d+)$/.exec(suffix);
    if (!match?.[1] || !match[2]) continue;
    const value = takeString(node, suffix, cx.issues);
    const entry = parts.get(Number(match[2])) ?? {};
    if (value !== undefined) entry[match[1]] = value;
    parts.set(Number(match[2]), entry);
  }
  for (const [, p] of [...parts.entries()].sort((a, b) => a[0] - b[0])) {
    identifiers.push(identifier(p['issuer'], p['assigner'], p['id'], p['type']));
  }
  return identifiers;
}

function identifier(issuer?: string, assigner?: string, id?: string, type?: string): JsonObject {
  const value: JsonObject = { _type: 'DV_IDENTIFIER' };
  if (issuer) value['issuer'] = issuer;
  if (assigner) value['assigner'] = assigner;
  value['id'] = id ?? '';
  if (type) value['type'] = type;
  return value;
}

/**
 * Non-data-value RM attributes in FLAT: parties, participations, object references, links, feeder
 * audits and instruction details. They appear as template nodes (`composer`, `subject`) or as
 * underscore attributes (`_participation:0`, `_link:0`, `_feeder_audit`). Like the data values,
 * each encoder verifies itself by decoding and falls back to `|raw` for anything it cannot express.
 */

import { checkContext, sameCanonical, type CodecContext } from './codec-context.js';
import { decodeDataValue, encodeDataValue } from './data-value-codec.js';
import { FlatNode } from './flat-tree.js';
import { missing, takeString } from './flat-values.js';
import { isJsonObject, type JsonObject } from '../../shared/json.js';
import { arrayAt, defined, objectAt, stringAt } from './json.js';
import { PARTICIPATION_MODE, openehrTerm } from '../terminology/openehr-terminology.js';

type Decoder = (node: FlatNode, cx: CodecContext) => JsonObject | undefined;
type Encoder = (value: JsonObject, node: FlatNode, cx: CodecContext) => void;

/** Reads `|raw` if present, else decodes. */
function withRaw(node: FlatNode, cx: CodecContext, decode: Decoder): JsonObject | undefined {
  const raw = node.takeAttribute('raw');
  if (raw === undefined) return decode(node, cx);
  if (isJsonObject(raw)) return raw;
  cx.issues.push({ path: node.keyFor('raw'), message: "'|raw' needs a canonical JSON object" });
  return undefined;
}

/** Encodes, but only if decoding the result gives the value back; otherwise writes `|raw`. */
function encodeChecked(value: JsonObject, node: FlatNode, cx: CodecContext, encode: Encoder, decode: Decoder): void {
  const scratch = new FlatNode(node.segments);
  encode(value, scratch, cx);
  const check = checkContext(cx);
  const decoded = decode(scratch, check);
  if (check.issues.length === 0 && scratch.isFullyTaken() && decoded && sameCanonical(value, decoded)) {
    encode(value, node, cx);
  } else {
    node.setAttribute('raw', value);
  }
}

// ---- object ids and references -------------------------------------------------------------------

function objectId(value: string, scheme: string | undefined): JsonObject {
  return scheme === undefined ? { _type: 'HIER_OBJECT_ID', value } : { _type: 'GENERIC_ID', value, scheme };
}

/** `|id`, `|id_scheme`, `|namespace`, `|type` → OBJECT_REF (`_work_flow_id`, `_guideline_id`). */
export function decodeObjectRef(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  return withRaw(node, cx, (n, c) => {
    n.describedAs = 'OBJECT_REF';
    const id = takeString(n, 'id', c.issues);
    const scheme = takeString(n, 'id_scheme', c.issues) ?? takeString(n, 'scheme', c.issues) ?? c.idScheme;
    const namespace = takeString(n, 'namespace', c.issues) ?? c.idNamespace;
    const type = takeString(n, 'type', c.issues);
    if (id === undefined) missing(n, 'id', c.issues, 'id');
    if (namespace === undefined) missing(n, 'namespace', c.issues, 'namespace');
    if (type === undefined) missing(n, 'type', c.issues, 'type');
    if (id === undefined || namespace === undefined || type === undefined) return undefined;
    return { _type: 'OBJECT_REF', id: objectId(id, scheme), namespace, type };
  });
}

export function encodeObjectRef(ref: JsonObject, node: FlatNode, cx: CodecContext): void {
  encodeChecked(
    ref,
    node,
    cx,
    (r, n) => {
      const id = objectAt(r, 'id');
      setString(n, 'id', id?.['value']);
      setString(n, 'id_scheme', id?.['scheme']);
      setString(n, 'namespace', r['namespace']);
      setString(n, 'type', r['type']);
    },
    decodeObjectRef,
  );
}

function setString(node: FlatNode, suffix: string, value: unknown): void {
  if (typeof value === 'string') node.setAttribute(suffix, value);
}

// ---- parties ----------------------------------------------------------------------------------------

export type PartyDefault = 'PARTY_SELF' | 'PARTY_IDENTIFIED';

function decodeIdentifiers(node: FlatNode, cx: CodecContext): JsonObject[] {
  const identifiers = defined(node.takeChildren('_identifier').map((child) => decodeDataValue('DV_IDENTIFIER', child, cx)));
  // Participations spell identifiers as indexed suffixes: |identifiers_id:0, |identifiers_issuer:0 ...
  const indexed = new Map<number, JsonObject>();
  for (const suffix of node.attributeNames()) {
    const match = /^identifiers_(id|issuer|assigner|type):(\d+)$/.exec(suffix);
    if (!match?.[1] || !match[2]) continue;
    const value = takeString(node, suffix, cx.issues);
    const index = Number(match[2]);
    const identifier = indexed.get(index) ?? { _type: 'DV_IDENTIFIER' };
    if (value !== undefined) identifier[match[1]] = value;
    indexed.set(index, identifier);
  }
  for (const [, identifier] of [...indexed.entries()].sort((a, b) => a[0] - b[0])) {
    const ordered: JsonObject = { _type: 'DV_IDENTIFIER' };
    for (const key of ['issuer', 'assigner', 'id', 'type']) {
      const value = identifier[key];
      if (value !== undefined) ordered[key] = value;
    }
    identifiers.push(ordered);
  }
  return identifiers;
}

function decodePartyFields(node: FlatNode, cx: CodecContext, fallback: PartyDefault): JsonObject | undefined {
  const before = node.takeCount;
  const explicitType = takeString(node, '_type', cx.issues);
  const name = takeString(node, 'name', cx.issues);
  const id = takeString(node, 'id', cx.issues);
  const scheme = takeString(node, 'id_scheme', cx.issues) ?? (id !== undefined ? cx.idScheme : undefined);
  const namespace = takeString(node, 'id_namespace', cx.issues) ?? (id !== undefined ? cx.idNamespace : undefined);
  const refType = takeString(node, 'id_type', cx.issues);
  const identifiers = decodeIdentifiers(node, cx);
  const relationshipNode = node.takeChildren('relationship')[0] ?? node.takeChildren('_relationship')[0];
  const relationship = relationshipNode && decodeDataValue('DV_CODED_TEXT', relationshipNode, cx, { attribute: 'relationship' });
  if (node.takeCount === before) return undefined;
  const type =
    explicitType ?? (relationship ? 'PARTY_RELATED' : name !== undefined || identifiers.length > 0 ? 'PARTY_IDENTIFIED' : fallback);
  const party: JsonObject = { _type: type };
  if (id !== undefined) {
    if (namespace === undefined) missing(node, 'id_namespace', cx.issues, 'id namespace');
    party['external_ref'] = {
      _type: 'PARTY_REF',
      id: objectId(id, scheme),
      namespace: namespace ?? '',
      type: refType ?? 'PARTY',
    };
  }
  if (name !== undefined) party['name'] = name;
  if (identifiers.length > 0) party['identifiers'] = identifiers;
  if (relationship) party['relationship'] = relationship;
  return party;
}

/** `identifierSuffixes`: participations spell identifiers `|identifiers_id:n`, parties `/_identifier:n`. */
function encodePartyFields(party: JsonObject, node: FlatNode, cx: CodecContext, fallback: PartyDefault, identifierSuffixes = false): void {
  const ref = objectAt(party, 'external_ref');
  const id = ref && objectAt(ref, 'id');
  setString(node, 'id', id?.['value']);
  setString(node, 'id_scheme', id?.['scheme']);
  setString(node, 'id_namespace', ref?.['namespace']);
  if (ref && ref['type'] !== 'PARTY') setString(node, 'id_type', ref['type']);
  setString(node, 'name', party['name']);
  arrayAt(party, 'identifiers').forEach((identifier, i) => {
    if (!isJsonObject(identifier)) return;
    if (!identifierSuffixes) {
      encodeDataValue(identifier, 'DV_IDENTIFIER', node.addChild('_identifier', true), cx);
      return;
    }
    for (const key of ['issuer', 'assigner', 'id', 'type']) setString(node, `identifiers_${key}:${i}`, identifier[key]);
  });
  const relationship = objectAt(party, 'relationship');
  if (relationship) {
    encodeDataValue(relationship, 'DV_CODED_TEXT', node.addChild('relationship', false), cx, {
      attribute: 'relationship',
    });
  }
  const type = stringAt(party, '_type');
  const implied =
    relationship !== undefined
      ? 'PARTY_RELATED'
      : party['name'] !== undefined || arrayAt(party, 'identifiers').length > 0
        ? 'PARTY_IDENTIFIED'
        : fallback;
  if (type !== undefined && type !== implied) node.setAttribute('_type', type);
}

/**
 * PARTY_PROXY from `|name`, `|id`, `|id_scheme`, `|id_namespace`, `/_identifier:n`,
 * `/relationship` and `|_type`. The type follows from what is given (relationship → PARTY_RELATED,
 * name or identifiers → PARTY_IDENTIFIED, otherwise `fallback`) unless `|_type` says otherwise.
 */
export function decodePartyProxy(node: FlatNode, cx: CodecContext, fallback: PartyDefault): JsonObject | undefined {
  node.describedAs ??= 'PARTY_PROXY';
  return withRaw(node, cx, (n, c) => decodePartyFields(n, c, fallback));
}

export function encodePartyProxy(party: JsonObject, node: FlatNode, cx: CodecContext, fallback: PartyDefault): void {
  encodeChecked(
    party,
    node,
    cx,
    (p, n, c) => encodePartyFields(p, n, c, fallback),
    (n, c) => decodePartyProxy(n, c, fallback),
  );
}

/** True for a bare PARTY_SELF, the value FLAT leaves out for ENTRY.subject. */
export function isPlainPartySelf(party: JsonObject | undefined): boolean {
  return party !== undefined && party['_type'] === 'PARTY_SELF' && Object.keys(party).length === 1;
}

// ---- participations --------------------------------------------------------------------------------

/**
 * PARTICIPATION (`_participation:n`, `_other_participation:n`): `|function`, `|mode` (openEHR
 * participation mode, by rubric or code) and the performer's party fields on the same node.
 */
export function decodeParticipation(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  node.describedAs = 'PARTICIPATION';
  return withRaw(node, cx, (n, c) => {
    const participation: JsonObject = { _type: 'PARTICIPATION' };
    const functionText = takeString(n, 'function', c.issues);
    const functionNode = n.takeChildren('function')[0];
    const fn = functionNode
      ? decodeDataValue('DV_TEXT', functionNode, c)
      : functionText !== undefined
        ? { _type: 'DV_TEXT', value: functionText }
        : undefined;
    if (fn) participation['function'] = fn;
    else missing(n, 'function', c.issues, 'participation function');
    const modeText = takeString(n, 'mode', c.issues);
    const modeNode = n.takeChildren('mode')[0];
    if (modeNode) {
      const mode = decodeDataValue('DV_CODED_TEXT', modeNode, c, { attribute: 'mode' });
      if (mode) participation['mode'] = mode;
    } else if (modeText !== undefined) {
      const term = openehrTerm(PARTICIPATION_MODE, modeText);
      if (term) {
        participation['mode'] = {
          _type: 'DV_CODED_TEXT',
          value: term.rubric,
          defining_code: {
            _type: 'CODE_PHRASE',
            terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' },
            code_string: term.code,
          },
        };
      } else {
        c.issues.push({ path: n.keyFor('mode'), message: `'${modeText}' is not an openEHR participation mode` });
      }
    }
    // Without any performer field the performer is the subject of care (PARTY_SELF).
    participation['performer'] = decodePartyFields(n, c, 'PARTY_IDENTIFIED') ?? { _type: 'PARTY_SELF' };
    return participation;
  });
}

export function encodeParticipation(participation: JsonObject, node: FlatNode, cx: CodecContext): void {
  encodeChecked(
    participation,
    node,
    cx,
    (p, n, c) => {
      const fn = objectAt(p, 'function');
      if (fn && fn['_type'] !== 'DV_CODED_TEXT' && Object.keys(fn).every((k) => k === '_type' || k === 'value')) {
        setString(n, 'function', fn['value']);
      } else if (fn) {
        encodeDataValue(fn, 'DV_TEXT', n.addChild('function', false), c);
      }
      const mode = objectAt(p, 'mode');
      const code = mode && stringAt(objectAt(mode, 'defining_code') ?? {}, 'code_string');
      const rubric = mode && stringAt(mode, 'value');
      const term = rubric === undefined ? undefined : openehrTerm(PARTICIPATION_MODE, rubric);
      if (mode && term && term.code === code && Object.keys(mode).every((k) => ['_type', 'value', 'defining_code'].includes(k))) {
        n.setAttribute('mode', term.rubric);
      } else if (mode) {
        encodeDataValue(mode, 'DV_CODED_TEXT', n.addChild('mode', false), c, { attribute: 'mode' });
      }
      const performer = objectAt(p, 'performer');
      if (performer && !isPlainPartySelf(performer)) encodePartyFields(performer, n, c, 'PARTY_IDENTIFIED', true);
    },
    decodeParticipation,
  );
}

// ---- links ----------------------------------------------------------------------------------------

/** LINK (`_link:n`): `|meaning`, `|type`, `|target`. */
export function decodeLink(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  node.describedAs = 'LINK';
  return withRaw(node, cx, (n, c) => {
    const meaning = takeString(n, 'meaning', c.issues);
    const type = takeString(n, 'type', c.issues);
    const target = takeString(n, 'target', c.issues);
    if (meaning === undefined) missing(n, 'meaning', c.issues, 'link meaning');
    if (type === undefined) missing(n, 'type', c.issues, 'link type');
    if (target === undefined) missing(n, 'target', c.issues, 'link target');
    if (meaning === undefined || type === undefined || target === undefined) return undefined;
    return {
      _type: 'LINK',
      meaning: { _type: 'DV_TEXT', value: meaning },
      type: { _type: 'DV_TEXT', value: type },
      target: { _type: 'DV_EHR_URI', value: target },
    };
  });
}

export function encodeLink(link: JsonObject, node: FlatNode, cx: CodecContext): void {
  encodeChecked(
    link,
    node,
    cx,
    (l, n) => {
      setString(n, 'meaning', objectAt(l, 'meaning')?.['value']);
      setString(n, 'type', objectAt(l, 'type')?.['value']);
      setString(n, 'target', objectAt(l, 'target')?.['value']);
    },
    decodeLink,
  );
}

// ---- feeder audit ------------------------------------------------------------------------------------

function decodeFeederAuditDetails(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  node.describedAs = 'FEEDER_AUDIT_DETAILS';
  return withRaw(node, cx, (n, c) => {
    const details: JsonObject = { _type: 'FEEDER_AUDIT_DETAILS' };
    const systemId = takeString(n, 'system_id', c.issues);
    if (systemId !== undefined) details['system_id'] = systemId;
    else missing(n, 'system_id', c.issues, 'system id');
    for (const [attribute, fallback] of [
      ['location', 'PARTY_IDENTIFIED'],
      ['provider', 'PARTY_IDENTIFIED'],
      ['subject', 'PARTY_IDENTIFIED'],
    ] as const) {
      const child = n.takeChildren(attribute)[0];
      const party = child && decodePartyProxy(child, c, fallback);
      if (party) details[attribute] = party;
    }
    const time = takeString(n, 'time', c.issues);
    if (time !== undefined) details['time'] = { _type: 'DV_DATE_TIME', value: time };
    const version = takeString(n, 'version_id', c.issues);
    if (version !== undefined) details['version_id'] = version;
    return details;
  });
}

function encodeFeederAuditDetails(details: JsonObject, node: FlatNode, cx: CodecContext): void {
  encodeChecked(
    details,
    node,
    cx,
    (d, n, c) => {
      setString(n, 'system_id', d['system_id']);
      for (const attribute of ['location', 'provider', 'subject'] as const) {
        const party = objectAt(d, attribute);
        if (party) encodePartyProxy(party, n.addChild(attribute, false), c, 'PARTY_IDENTIFIED');
      }
      const time = objectAt(d, 'time');
      if (time && Object.keys(time).every((k) => k === '_type' || k === 'value')) setString(n, 'time', time['value']);
      setString(n, 'version_id', d['version_id']);
    },
    decodeFeederAuditDetails,
  );
}

/** FEEDER_AUDIT (`_feeder_audit`). */
export function decodeFeederAudit(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  node.describedAs = 'FEEDER_AUDIT';
  return withRaw(node, cx, (n, c) => {
    const audit: JsonObject = { _type: 'FEEDER_AUDIT' };
    const originating = n.takeChildren('originating_system_audit')[0];
    const originatingAudit = originating && decodeFeederAuditDetails(originating, c);
    if (originatingAudit) audit['originating_system_audit'] = originatingAudit;
    else missing(n, undefined, c.issues, 'originating_system_audit');
    for (const [id, attribute] of [
      ['originating_system_item_id', 'originating_system_item_ids'],
      ['feeder_system_item_id', 'feeder_system_item_ids'],
    ] as const) {
      const ids = defined(n.takeChildren(id).map((child) => decodeDataValue('DV_IDENTIFIER', child, c)));
      if (ids.length > 0) audit[attribute] = ids;
    }
    const feeder = n.takeChildren('feeder_system_audit')[0];
    const feederAudit = feeder && decodeFeederAuditDetails(feeder, c);
    if (feederAudit) audit['feeder_system_audit'] = feederAudit;
    const parsableNode = n.takeChildren('original_content')[0];
    const multimediaNode = n.takeChildren('original_content_multimedia')[0];
    if (parsableNode && multimediaNode) {
      c.issues.push({
        path: multimediaNode.path,
        message: 'give either original_content or original_content_multimedia, not both',
      });
    }
    const content = parsableNode
      ? decodeDataValue('DV_PARSABLE', parsableNode, c)
      : multimediaNode && decodeDataValue('DV_MULTIMEDIA', multimediaNode, c);
    if (content) audit['original_content'] = content;
    return audit;
  });
}

export function encodeFeederAudit(audit: JsonObject, node: FlatNode, cx: CodecContext): void {
  encodeChecked(
    audit,
    node,
    cx,
    (a, n, c) => {
      const originating = objectAt(a, 'originating_system_audit');
      if (originating) encodeFeederAuditDetails(originating, n.addChild('originating_system_audit', false), c);
      for (const [id, attribute] of [
        ['originating_system_item_id', 'originating_system_item_ids'],
        ['feeder_system_item_id', 'feeder_system_item_ids'],
      ] as const) {
        for (const identifier of arrayAt(a, attribute)) {
          if (isJsonObject(identifier)) encodeDataValue(identifier, 'DV_IDENTIFIER', n.addChild(id, true), c);
        }
      }
      const feeder = objectAt(a, 'feeder_system_audit');
      if (feeder) encodeFeederAuditDetails(feeder, n.addChild('feeder_system_audit', false), c);
      const content = objectAt(a, 'original_content');
      if (content?.['_type'] === 'DV_MULTIMEDIA') {
        encodeDataValue(content, 'DV_MULTIMEDIA', n.addChild('original_content_multimedia', false), c);
      } else if (content) {
        encodeDataValue(content, 'DV_PARSABLE', n.addChild('original_content', false), c);
      }
    },
    decodeFeederAudit,
  );
}

// ---- instruction details -------------------------------------------------------------------------------

/** INSTRUCTION_DETAILS (`_instruction_details`): `|composition_uid`, `|path`, `|activity_id`. */
export function decodeInstructionDetails(node: FlatNode, cx: CodecContext): JsonObject | undefined {
  node.describedAs = 'INSTRUCTION_DETAILS';
  return withRaw(node, cx, (n, c) => {
    const uid = takeString(n, 'composition_uid', c.issues);
    const path = takeString(n, 'path', c.issues);
    const activity = takeString(n, 'activity_id', c.issues);
    if (uid === undefined) missing(n, 'composition_uid', c.issues, 'composition uid');
    if (activity === undefined) missing(n, 'activity_id', c.issues, 'activity id');
    if (uid === undefined || activity === undefined) return undefined;
    const ref: JsonObject = {
      _type: 'LOCATABLE_REF',
      id: { _type: uid.includes('::') ? 'OBJECT_VERSION_ID' : 'HIER_OBJECT_ID', value: uid },
      namespace: 'local',
      type: 'COMPOSITION',
    };
    if (path !== undefined) ref['path'] = path;
    return { _type: 'INSTRUCTION_DETAILS', instruction_id: ref, activity_id: activity };
  });
}

export function encodeInstructionDetails(details: JsonObject, node: FlatNode, cx: CodecContext): void {
  encodeChecked(
    details,
    node,
    cx,
    (d, n) => {
      const ref = objectAt(d, 'instruction_id');
      setString(n, 'composition_uid', ref && objectAt(ref, 'id')?.['value']);
      setString(n, 'path', ref?.['path']);
      setString(n, 'activity_id', d['activity_id']);
    },
    decodeInstructionDetails,
  );
}

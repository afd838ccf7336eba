import { describe, expect, it } from 'vitest';
import {
  formatRmType,
  getRmAncestors,
  getRmAttribute,
  getRmClass,
  isRmPrimitiveType,
  isSubtypeOf,
  listRmAttributes,
  listRmClasses,
  listRmSubtypes,
  parseRmType,
  resolveRmObjectType,
  specialiseRmType,
} from './rm-info.js';

const names = (type: string): string[] => listRmAttributes(type).map((attribute) => attribute.name);

describe('RM classes', () => {
  it('covers every class the brief lists, with the abstract flag of the spec', () => {
    const concrete = [
      'COMPOSITION',
      'EVENT_CONTEXT',
      'SECTION',
      'OBSERVATION',
      'EVALUATION',
      'INSTRUCTION',
      'ACTIVITY',
      'ACTION',
      'ISM_TRANSITION',
      'INSTRUCTION_DETAILS',
      'ADMIN_ENTRY',
      'GENERIC_ENTRY',
      'HISTORY',
      'POINT_EVENT',
      'INTERVAL_EVENT',
      'ITEM_TREE',
      'ITEM_LIST',
      'ITEM_SINGLE',
      'ITEM_TABLE',
      'CLUSTER',
      'ELEMENT',
      'PARTY_SELF',
      'PARTY_IDENTIFIED',
      'PARTY_RELATED',
      'PARTICIPATION',
      'FEEDER_AUDIT',
      'FEEDER_AUDIT_DETAILS',
      'ARCHETYPED',
      'TEMPLATE_ID',
      'ARCHETYPE_ID',
      'HIER_OBJECT_ID',
      'OBJECT_VERSION_ID',
      'GENERIC_ID',
      'TERMINOLOGY_ID',
      'OBJECT_REF',
      'PARTY_REF',
      'LOCATABLE_REF',
      'DV_TEXT',
      'DV_CODED_TEXT',
      'CODE_PHRASE',
      'TERM_MAPPING',
      'DV_PARAGRAPH',
      'DV_QUANTITY',
      'DV_COUNT',
      'DV_PROPORTION',
      'DV_ORDINAL',
      'DV_SCALE',
      'DV_BOOLEAN',
      'DV_IDENTIFIER',
      'DV_DATE',
      'DV_TIME',
      'DV_DATE_TIME',
      'DV_DURATION',
      'DV_URI',
      'DV_EHR_URI',
      'DV_MULTIMEDIA',
      'DV_PARSABLE',
      'DV_STATE',
      'DV_INTERVAL',
      'REFERENCE_RANGE',
      'EHR_STATUS',
      'EHR_ACCESS',
      'FOLDER',
      'VERSIONED_OBJECT',
      'ORIGINAL_VERSION',
      'CONTRIBUTION',
      'AUDIT_DETAILS',
      'ATTESTATION',
      'LINK',
    ];
    for (const name of concrete) expect(getRmClass(name)?.abstract, name).toBe(false);
    const abstract = [
      'LOCATABLE',
      'PATHABLE',
      'CONTENT_ITEM',
      'ENTRY',
      'CARE_ENTRY',
      'ITEM_STRUCTURE',
      'ITEM',
      'EVENT',
      'DATA_VALUE',
      'DV_ORDERED',
      'DV_QUANTIFIED',
      'DV_AMOUNT',
      'DV_TEMPORAL',
      'DV_ENCAPSULATED',
      'PARTY_PROXY',
      'OBJECT_ID',
      'UID_BASED_ID',
      'VERSION',
    ];
    for (const name of abstract) expect(getRmClass(name)?.abstract, name).toBe(true);
    expect(listRmClasses().length).toBeGreaterThan(concrete.length + abstract.length);
  });

  it('knows the inheritance of the spec', () => {
    expect(isSubtypeOf('DV_CODED_TEXT', 'DV_TEXT')).toBe(true);
    expect(isSubtypeOf('DV_TEXT', 'DV_CODED_TEXT')).toBe(false);
    expect(isSubtypeOf('OBSERVATION', 'CARE_ENTRY')).toBe(true);
    expect(isSubtypeOf('OBSERVATION', 'LOCATABLE')).toBe(true);
    expect(isSubtypeOf('ADMIN_ENTRY', 'CARE_ENTRY')).toBe(false);
    expect(isSubtypeOf('GENERIC_ENTRY', 'ENTRY')).toBe(false);
    expect(isSubtypeOf('GENERIC_ENTRY', 'CONTENT_ITEM')).toBe(true);
    expect(isSubtypeOf('DV_DURATION', 'DV_AMOUNT')).toBe(true);
    expect(isSubtypeOf('DV_DATE_TIME', 'DV_TEMPORAL')).toBe(true);
    expect(isSubtypeOf('DV_DATE_TIME', 'DV_AMOUNT')).toBe(false);
    expect(isSubtypeOf('PARTY_RELATED', 'PARTY_PROXY')).toBe(true);
    expect(isSubtypeOf('OBJECT_VERSION_ID', 'UID_BASED_ID')).toBe(true);
    expect(isSubtypeOf('ARCHETYPE_ID', 'UID_BASED_ID')).toBe(false);
    expect(isSubtypeOf('LOCATABLE_REF', 'OBJECT_REF')).toBe(true);
    expect(isSubtypeOf('ATTESTATION', 'AUDIT_DETAILS')).toBe(true);
    expect(isSubtypeOf('DV_INTERVAL<DV_COUNT>', 'DATA_VALUE')).toBe(true);
    expect(isSubtypeOf('POINT_EVENT', 'EVENT<ITEM_TREE>')).toBe(true);
    expect(isSubtypeOf('COMPOSITION', 'Any')).toBe(true);
    expect(isSubtypeOf('EVENT_CONTEXT', 'PATHABLE')).toBe(true);
    expect(isSubtypeOf('EVENT_CONTEXT', 'LOCATABLE')).toBe(false);
    expect(getRmAncestors('DV_CODED_TEXT')).toEqual(['DV_TEXT', 'DATA_VALUE']);
    expect(getRmClass('POINT_EVENT')?.parentTypes).toEqual(['EVENT<T>']);
  });

  it('lists subtypes, optionally only concrete ones', () => {
    expect(listRmSubtypes('PARTY_PROXY', { concreteOnly: true }).toSorted()).toEqual(['PARTY_IDENTIFIED', 'PARTY_RELATED', 'PARTY_SELF']);
    expect(listRmSubtypes('ITEM_STRUCTURE', { concreteOnly: true }).toSorted()).toEqual([
      'ITEM_LIST',
      'ITEM_SINGLE',
      'ITEM_TABLE',
      'ITEM_TREE',
    ]);
    expect(listRmSubtypes('CARE_ENTRY')).toContain('CARE_ENTRY');
    expect(listRmSubtypes('DV_TEMPORAL', { concreteOnly: true }).toSorted()).toEqual(['DV_DATE', 'DV_DATE_TIME', 'DV_TIME']);
  });

  it('separates primitive types from classes', () => {
    expect(isRmPrimitiveType('String')).toBe(true);
    expect(isRmPrimitiveType('Iso8601_date_time')).toBe(true);
    expect(isRmPrimitiveType('DV_TEXT')).toBe(false);
    expect(getRmClass('String')).toBeUndefined();
    expect(getRmClass('NO_SUCH_CLASS')).toBeUndefined();
    expect(listRmAttributes('NO_SUCH_CLASS')).toEqual([]);
  });
});

describe('RM attributes', () => {
  it('COMPOSITION.category is a mandatory single DV_CODED_TEXT', () => {
    expect(getRmAttribute('COMPOSITION', 'category')).toMatchObject({
      type: 'DV_CODED_TEXT',
      mandatory: true,
      multiple: false,
      declaredIn: 'COMPOSITION',
    });
    expect(getRmAttribute('COMPOSITION', 'context')).toMatchObject({ type: 'EVENT_CONTEXT', mandatory: false });
    expect(getRmAttribute('COMPOSITION', 'content')).toMatchObject({ type: 'CONTENT_ITEM', multiple: true, mandatory: false });
    expect(getRmAttribute('COMPOSITION', 'composer')).toMatchObject({ type: 'PARTY_PROXY', mandatory: true });
  });

  it('finds inherited attributes: OBSERVATION.subject comes from ENTRY, name from LOCATABLE', () => {
    expect(getRmAttribute('OBSERVATION', 'subject')).toMatchObject({ type: 'PARTY_PROXY', mandatory: true, declaredIn: 'ENTRY' });
    expect(getRmAttribute('OBSERVATION', 'protocol')).toMatchObject({ type: 'ITEM_STRUCTURE', declaredIn: 'CARE_ENTRY' });
    expect(getRmAttribute('OBSERVATION', 'name')).toMatchObject({ type: 'DV_TEXT', mandatory: true, declaredIn: 'LOCATABLE' });
    expect(getRmAttribute('OBSERVATION', 'data')).toMatchObject({ type: 'HISTORY<ITEM_STRUCTURE>', mandatory: true });
    expect(getRmAttribute('OBSERVATION', 'no_such_attribute')).toBeUndefined();
  });

  it('lists attributes in XML-schema order, inherited first, archetype_node_id as an XML attribute', () => {
    expect(names('COMPOSITION')).toEqual([
      'archetype_node_id',
      'name',
      'uid',
      'links',
      'archetype_details',
      'feeder_audit',
      'language',
      'territory',
      'category',
      'composer',
      'context',
      'content',
    ]);
    expect(names('OBSERVATION')).toEqual([
      'archetype_node_id',
      'name',
      'uid',
      'links',
      'archetype_details',
      'feeder_audit',
      'language',
      'encoding',
      'subject',
      'provider',
      'other_participations',
      'workflow_id',
      'protocol',
      'guideline_id',
      'data',
      'state',
    ]);
    expect(names('EVENT_CONTEXT')).toEqual([
      'start_time',
      'end_time',
      'location',
      'setting',
      'other_context',
      'health_care_facility',
      'participations',
    ]);
    expect(names('DV_CODED_TEXT')).toEqual(['value', 'hyperlink', 'formatting', 'mappings', 'language', 'encoding', 'defining_code']);
    expect(names('DV_QUANTITY')).toEqual([
      'normal_range',
      'other_reference_ranges',
      'normal_status',
      'magnitude_status',
      'accuracy',
      'accuracy_is_percent',
      'magnitude',
      'units',
      'precision',
      'units_system',
      'units_display_name',
      'property',
    ]);
    expect(names('OBJECT_REF')).toEqual(['id', 'namespace', 'type']);
    expect(names('ELEMENT').slice(-3)).toEqual(['value', 'null_flavour', 'null_reason']);
    expect(getRmAttribute('ELEMENT', 'archetype_node_id')?.xmlAttribute).toBe(true);
    expect(listRmAttributes('ELEMENT').filter((attribute) => attribute.xmlAttribute)).toHaveLength(1);
  });

  it('knows cardinalities: lists, mandatory lists, non-empty lists', () => {
    expect(getRmAttribute('CLUSTER', 'items')).toMatchObject({ multiple: true, mandatory: true, nonEmpty: true, type: 'ITEM' });
    expect(getRmAttribute('ITEM_TREE', 'items')).toMatchObject({ multiple: true, mandatory: false });
    expect(getRmAttribute('CONTRIBUTION', 'versions')).toMatchObject({ multiple: true, mandatory: true, type: 'OBJECT_REF' });
    expect(getRmAttribute('EHR_STATUS', 'subject')).toMatchObject({ type: 'PARTY_SELF', mandatory: true });
    expect(getRmAttribute('EHR_STATUS', 'is_queryable')).toMatchObject({ type: 'Boolean', mandatory: true });
    expect(getRmAttribute('INTERVAL_EVENT', 'math_function')).toMatchObject({ type: 'DV_CODED_TEXT', mandatory: true });
    expect(getRmAttribute('INTERVAL_EVENT', 'sample_count')).toMatchObject({ type: 'Integer', mandatory: false });
    expect(getRmAttribute('ISM_TRANSITION', 'current_state')).toMatchObject({ mandatory: true });
    expect(getRmAttribute('ISM_TRANSITION', 'reason')).toMatchObject({ multiple: true, type: 'DV_TEXT' });
    expect(getRmAttribute('ACTIVITY', 'action_archetype_id')).toMatchObject({ type: 'String', mandatory: true });
    expect(getRmAttribute('DV_MULTIMEDIA', 'size')).toMatchObject({ type: 'Integer', mandatory: true });
    expect(getRmAttribute('DV_URI', 'value')).toMatchObject({ mandatory: true });
    expect(getRmAttribute('DV_COUNT', 'magnitude')).toMatchObject({ type: 'Integer64', mandatory: true });
    expect(getRmAttribute('DV_PROPORTION', 'type')).toMatchObject({ type: 'PROPORTION_KIND', mandatory: true });
    expect(getRmAttribute('FEEDER_AUDIT', 'originating_system_audit')).toMatchObject({ mandatory: true });
    expect(getRmAttribute('PARTY_IDENTIFIED', 'identifiers')).toMatchObject({ multiple: true, type: 'DV_IDENTIFIER' });
    expect(getRmAttribute('ORIGINAL_VERSION', 'data')).toMatchObject({ mandatory: false });
    expect(getRmAttribute('ATTESTATION', 'is_pending')).toMatchObject({ type: 'Boolean', mandatory: true });
  });

  it('declares generic types and substitutes their arguments', () => {
    expect(getRmAttribute('PARTICIPATION', 'time')?.type).toBe('DV_INTERVAL<DV_DATE_TIME>');
    expect(getRmAttribute('DV_QUANTITY', 'normal_range')?.type).toBe('DV_INTERVAL<DV_QUANTITY>');
    expect(getRmAttribute('DV_QUANTITY', 'other_reference_ranges')).toMatchObject({
      type: 'REFERENCE_RANGE<DV_QUANTITY>',
      multiple: true,
      declaredIn: 'DV_QUANTITY',
    });
    expect(getRmAttribute('DV_ORDINAL', 'normal_range')?.type).toBe('DV_INTERVAL<DV_ORDERED>');
    expect(getRmAttribute('DV_INTERVAL<DV_QUANTITY>', 'lower')?.type).toBe('DV_QUANTITY');
    expect(getRmAttribute('DV_INTERVAL', 'upper')?.type).toBe('DV_ORDERED');
    expect(getRmAttribute('REFERENCE_RANGE<DV_COUNT>', 'range')?.type).toBe('DV_INTERVAL<DV_COUNT>');
    expect(getRmAttribute('HISTORY<ITEM_TREE>', 'events')?.type).toBe('EVENT<ITEM_TREE>');
    expect(getRmAttribute('POINT_EVENT<ITEM_LIST>', 'data')?.type).toBe('ITEM_LIST');
    expect(getRmAttribute('POINT_EVENT', 'data')?.type).toBe('ITEM_STRUCTURE');
    expect(getRmAttribute('ORIGINAL_VERSION<COMPOSITION>', 'data')?.type).toBe('COMPOSITION');
    expect(getRmAttribute('ORIGINAL_VERSION', 'data')?.type).toBe('Any');
    expect(getRmAttribute('ORIGINAL_VERSION<EHR_STATUS>', 'commit_audit')?.declaredIn).toBe('VERSION');
    expect(getRmAttribute('VERSIONED_COMPOSITION', 'versions')?.type).toBe('VERSION<COMPOSITION>');
    expect(getRmAttribute('LOCATABLE_REF', 'id')?.type).toBe('UID_BASED_ID');
    expect(names('LOCATABLE_REF')).toEqual(['id', 'namespace', 'type', 'path']);
  });

  it('specialises subtypes to the generic arguments of the declaration', () => {
    expect(specialiseRmType('POINT_EVENT', 'EVENT<ITEM_TREE>')).toBe('POINT_EVENT<ITEM_TREE>');
    expect(specialiseRmType('INTERVAL_EVENT', 'EVENT<ITEM_LIST>')).toBe('INTERVAL_EVENT<ITEM_LIST>');
    expect(specialiseRmType('DV_INTERVAL', 'DATA_VALUE')).toBe('DV_INTERVAL<DV_ORDERED>');
    expect(specialiseRmType('DV_INTERVAL', 'DV_INTERVAL<DV_DATE_TIME>')).toBe('DV_INTERVAL<DV_DATE_TIME>');
    expect(specialiseRmType('DV_TEXT', 'DATA_VALUE')).toBe('DV_TEXT');
    expect(resolveRmObjectType(undefined, 'DV_TEXT')).toBe('DV_TEXT');
    expect(resolveRmObjectType(undefined, 'PARTY_PROXY')).toBeUndefined();
    expect(resolveRmObjectType('PARTY_SELF', 'PARTY_PROXY')).toBe('PARTY_SELF');
    expect(resolveRmObjectType('DV_TEXT', 'PARTY_PROXY')).toBeUndefined();
    expect(resolveRmObjectType('HISTORY', 'HISTORY<ITEM_STRUCTURE>')).toBe('HISTORY<ITEM_STRUCTURE>');
  });

  it('parses and formats type expressions', () => {
    expect(parseRmType('DV_INTERVAL<DV_QUANTITY>')).toEqual({ name: 'DV_INTERVAL', parameters: [{ name: 'DV_QUANTITY', parameters: [] }] });
    expect(formatRmType(parseRmType('REFERENCE_RANGE< DV_INTERVAL<DV_COUNT> >'))).toBe('REFERENCE_RANGE<DV_INTERVAL<DV_COUNT>>');
    expect(parseRmType('Array<Octet>')).toEqual({ name: 'Array<Octet>', parameters: [] });
    expect(() => parseRmType('DV_INTERVAL<')).toThrow(/Invalid RM type/);
    expect(() => parseRmType('')).toThrow(/Invalid RM type/);
  });
});

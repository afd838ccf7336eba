import { describe, expect, it } from 'vitest';
import { compositionToFlat } from './canonical-to-flat.js';
import { FlatFormatError } from './flat-format-error.js';
import { flatToComposition } from './flat-to-canonical.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../shared/json.js';
import { IT, SDK, committedWebTemplate, fixtureFlat, fixtureJson, templateFixture } from '../../../test/support/openehr/flat-fixtures.js';

const multiOccurrence = committedWebTemplate('multi_occurrence');
const testAllTypes = committedWebTemplate('test_all_types');

function objectAtPath(value: JsonValue | undefined, ...path: (string | number)[]): JsonObject {
  let current = value;
  for (const step of path) {
    current =
      typeof step === 'number' ? (Array.isArray(current) ? current[step] : undefined) : isJsonObject(current) ? current[step] : undefined;
  }
  if (!isJsonObject(current)) throw new Error(`nothing at ${path.join('/')}`);
  return current;
}

function issuesOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof FlatFormatError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a FlatFormatError');
}

const temperatureFlat = {
  'encounter/language|code': 'en',
  'encounter/language|terminology': 'ISO_639-1',
  'encounter/territory|code': 'GB',
  'encounter/territory|terminology': 'ISO_3166-1',
  'encounter/context/start_time': '2024-05-01T10:00:00Z',
  'encounter/context/setting|code': '238',
  'encounter/context/setting|value': 'other care',
  'encounter/context/setting|terminology': 'openehr',
  'encounter/body_temperature:0/any_event:0/temperature|magnitude': 37.1,
  'encounter/body_temperature:0/any_event:0/temperature|unit': 'Cel',
  'encounter/body_temperature:0/any_event:0/time': '2024-05-01T10:00:00Z',
  'encounter/body_temperature:0/language|code': 'en',
  'encounter/body_temperature:0/language|terminology': 'ISO_639-1',
  'encounter/body_temperature:0/encoding|code': 'UTF-8',
  'encounter/body_temperature:0/encoding|terminology': 'IANA_character-sets',
  'encounter/category|code': '433',
  'encounter/category|value': 'event',
  'encounter/category|terminology': 'openehr',
  'encounter/composer|name': 'Dr Who',
};

describe('compositionToFlat', () => {
  it('writes the multi_occurrence canonical fixture as its FLAT fixture', () => {
    const flat = compositionToFlat(fixtureJson(`${SDK}composition/canonical_json/multi_occurrence.json`), multiOccurrence);
    // The canonical fixture writes fractional seconds with a comma (valid ISO 8601), its FLAT twin
    // with a dot; values are carried verbatim, so the comma survives. The first observation's
    // history origin is not its earliest event time, so it needs a key of its own.
    const expected: Record<string, unknown> = {
      ...fixtureFlat(`${SDK}composition/flat/simSDT/multi_occurrence.json`),
      'encounter/body_temperature:0/history_origin': '2020-10-06T13:30:34,326872+02:00',
    };
    for (const [key, value] of Object.entries(expected)) {
      if (typeof value === 'string' && /T13:30:34\.\d+/.test(value)) expected[key] = value.replace('.', ',');
    }
    expect(flat).toEqual(expected);
  });

  it('is the inverse of flatToComposition', () => {
    expect(compositionToFlat(flatToComposition(temperatureFlat, multiOccurrence), multiOccurrence)).toEqual(temperatureFlat);
  });

  it('writes _name only for names that differ from the template name', () => {
    const composition = flatToComposition(temperatureFlat, multiOccurrence);
    objectAtPath(composition, 'content', 0)['name'] = { _type: 'DV_TEXT', value: 'Core temperature' };
    const flat = compositionToFlat(composition, multiOccurrence);
    expect(flat['encounter/body_temperature:0/_name']).toBe('Core temperature');
    expect(Object.keys(flat).filter((key) => key.endsWith('/_name'))).toHaveLength(1);
  });

  it('keeps an otherwise empty node by writing its name', () => {
    const flat = {
      ...Object.fromEntries(Object.entries(temperatureFlat).map(([k, v]) => [k.replace('encounter', 'test_all_types'), v])),
      'test_all_types/test_all_types3:0/_name': 'Test all types',
    };
    const body = Object.fromEntries(Object.entries(flat).filter(([key]) => !key.includes('body_temperature')));
    const composition = flatToComposition(body, testAllTypes);
    expect(objectAtPath(composition, 'content', 0)).toMatchObject({ _type: 'SECTION', name: { value: 'Test all types' } });
    expect(compositionToFlat(composition, testAllTypes)['test_all_types/test_all_types3:0/_name']).toBe('Test all types');
  });

  it('leaves out a subject that is the plain PARTY_SELF default but writes any other', () => {
    const composition = flatToComposition(temperatureFlat, multiOccurrence);
    expect(Object.keys(compositionToFlat(composition, multiOccurrence)).some((key) => key.includes('subject'))).toBe(false);
    objectAtPath(composition, 'content', 0)['subject'] = {
      _type: 'PARTY_SELF',
      external_ref: {
        _type: 'PARTY_REF',
        id: { _type: 'GENERIC_ID', value: '9449305552', scheme: 'NHS' },
        namespace: 'uk.nhs',
        type: 'PERSON',
      },
    };
    expect(compositionToFlat(composition, multiOccurrence)).toMatchObject({
      'encounter/body_temperature:0/subject|id': '9449305552',
      'encounter/body_temperature:0/subject|id_scheme': 'NHS',
      'encounter/body_temperature:0/subject|id_namespace': 'uk.nhs',
      'encounter/body_temperature:0/subject|id_type': 'PERSON',
    });
  });

  it('falls back to |raw for a party the suffixes cannot express', () => {
    const composition = flatToComposition(temperatureFlat, multiOccurrence);
    const composer = {
      _type: 'PARTY_IDENTIFIED',
      name: 'Dr Who',
      external_ref: { _type: 'PARTY_REF', id: { _type: 'OBJECT_VERSION_ID', value: 'a::b::1' }, namespace: 'x', type: 'PERSON' },
    };
    composition['composer'] = composer;
    const flat = compositionToFlat(composition, multiOccurrence);
    expect(flat['encounter/composer|raw']).toEqual(composer);
    expect(flatToComposition(flat, multiOccurrence)['composer']).toEqual(composer);
  });

  it('reports content and attributes FLAT cannot carry instead of dropping them', () => {
    const composition = flatToComposition(temperatureFlat, multiOccurrence);
    const observation = objectAtPath(composition, 'content', 0);
    objectAtPath(observation, 'data')['period'] = { _type: 'DV_DURATION', value: 'PT1M' };
    objectAtPath(observation, 'data', 'events', 0, 'data')['items'] = [
      ...(objectAtPath(observation, 'data', 'events', 0, 'data')['items'] as JsonValue[]),
      { _type: 'ELEMENT', name: { _type: 'DV_TEXT', value: 'Site' }, archetype_node_id: 'at9999' },
    ];
    const content = composition['content'];
    if (Array.isArray(content))
      content.push({ _type: 'SECTION', name: { _type: 'DV_TEXT', value: 'Extra' }, archetype_node_id: 'openEHR-EHR-SECTION.extra.v0' });
    expect(issuesOf(() => compositionToFlat(composition, multiOccurrence))).toEqual([
      { path: '/content[1]', message: "no web template node matches SECTION openEHR-EHR-SECTION.extra.v0 'Extra'" },
      { path: '/content[0]/data/period', message: "'period' cannot be written as FLAT for this template" },
      { path: '/content[0]/data/events[0]/data/items[1]', message: "no web template node matches ELEMENT at9999 'Site'" },
    ]);
  });

  it('reports an object without node id that no template node reaches, instead of dropping it', () => {
    const composition = flatToComposition(temperatureFlat, multiOccurrence);
    const content = composition['content'];
    if (Array.isArray(content)) content.push({ _type: 'SECTION', name: { _type: 'DV_TEXT', value: 'Anonymous' } });
    expect(issuesOf(() => compositionToFlat(composition, multiOccurrence))).toEqual([
      { path: '/content[1]', message: 'no web template node matches this SECTION' },
    ]);
  });

  it('writes a category and a context whose template nodes carry node ids the RM objects cannot have', () => {
    // genericFHIRTemplate gives COMPOSITION.category node id at0001 and the context at0002; neither
    // DV_CODED_TEXT nor EVENT_CONTEXT is LOCATABLE, so the data has no archetype_node_id to match.
    const template = templateFixture(`${IT}valid_templates/all_types/genericFHIRTemplate.opt`);
    const composition = fixtureJson(`${IT}compositions/CANONICAL_JSON/composition_feeder_audit.json`);
    const flat = compositionToFlat(composition, template.webTemplate);
    expect(flat).toMatchObject({
      'genericfhirtemplate/coded_text|code': '433',
      'genericfhirtemplate/event_context/start_time': '2021-12-24T10:00:00Z',
      'genericfhirtemplate/event_context/setting|code': '225',
    });
    const back = flatToComposition(flat, template.webTemplate, { skippedNode: template.skippedNode });
    expect(back['category']).toEqual(composition['category']);
    expect(back['context']).toEqual(composition['context']);
  });

  it('rejects anything but a COMPOSITION', () => {
    expect(issuesOf(() => compositionToFlat({ _type: 'EHR_STATUS' }, multiOccurrence))).toEqual([
      { path: '/', message: 'expected a COMPOSITION, got EHR_STATUS' },
    ]);
  });
});

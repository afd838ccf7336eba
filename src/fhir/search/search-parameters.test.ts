import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.js';
import {
  dateMatches,
  parseDate,
  parseSearch,
  tokenMatches,
  type SearchParameterDefinitions,
  type SearchSettings,
} from './search-parameters.js';

const definitions: SearchParameterDefinitions = {
  identifier: { type: 'token', description: '' },
  status: { type: 'token', description: '' },
  patient: { type: 'reference', targets: ['Patient'], description: '' },
  subject: { type: 'reference', targets: ['Patient', 'Group'], description: '' },
  date: { type: 'date', description: '' },
  name: { type: 'string', description: '' },
};
const settings: SearchSettings = {
  defaultCount: 20,
  maxCount: 100,
  includes: ['Flag:patient'],
  revincludes: ['Provenance:target'],
  lenient: false,
};

function refusal(query: Record<string, string | string[]>): string[] {
  try {
    parseSearch(query, definitions, settings);
  } catch (error) {
    if (error instanceof AppError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('FHIR search parameters', () => {
  it('parses tokens with and without systems, ORed by commas and ANDed by repetition', () => {
    const search = parseSearch(
      { identifier: 'https://fhir.nhs.uk/Id/nhs-number|9990000018', status: ['active,inactive', '|draft'] },
      definitions,
      settings,
    );
    expect(search.filters).toEqual([
      {
        name: 'identifier',
        type: 'token',
        modifier: undefined,
        values: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', code: '9990000018' }],
      },
      {
        name: 'status',
        type: 'token',
        modifier: undefined,
        values: [
          { system: undefined, code: 'active' },
          { system: undefined, code: 'inactive' },
        ],
      },
      { name: 'status', type: 'token', modifier: undefined, values: [{ system: '', code: 'draft' }] },
    ]);
    expect(tokenMatches({ system: '', code: 'draft' }, 'http://x', 'draft')).toBe(false);
    expect(tokenMatches({ system: undefined, code: 'draft' }, 'http://x', 'draft')).toBe(true);
  });

  it('parses references by id, by Type/id, by absolute URL and by :identifier', () => {
    const search = parseSearch(
      {
        patient: 'Patient/9990000018',
        subject: 'https://ucp.example/fhir/Patient/9990000018',
        'subject:identifier': 'https://fhir.nhs.uk/Id/nhs-number|9990000018',
        'patient:Patient': '42',
      },
      definitions,
      settings,
    );
    expect(search.filters.flatMap((filter) => (filter.type === 'reference' ? filter.values : []))).toEqual([
      { kind: 'id', type: 'Patient', id: '9990000018' },
      { kind: 'id', type: 'Patient', id: '9990000018' },
      { kind: 'identifier', system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990000018' },
      { kind: 'id', type: 'Patient', id: '42' },
    ]);
  });

  it('gives each date the range of its precision and applies prefixes to it', () => {
    const day = parseDate('ge2026-12-07');
    expect(day).toMatchObject({ prefix: 'ge', start: new Date('2026-12-07T00:00:00Z'), end: new Date('2026-12-08T00:00:00Z') });
    if (typeof day === 'string') throw new Error(day);
    expect(dateMatches(day, new Date('2026-12-06T23:59:59Z'))).toBe(false);
    expect(dateMatches(day, new Date('2026-12-07T00:00:00Z'))).toBe(true);
    const month = parseDate('2026-02');
    if (typeof month === 'string') throw new Error(month);
    expect(month.end).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(dateMatches(month, new Date('2026-02-28T12:00:00Z'))).toBe(true);
    const before = parseDate('lt2026-12-07T10:00:00+01:00');
    if (typeof before === 'string') throw new Error(before);
    expect(dateMatches(before, new Date('2026-12-07T08:59:59Z'))).toBe(true);
    expect(dateMatches(before, new Date('2026-12-07T09:00:00Z'))).toBe(false);
  });

  it('reads paging and includes, and keeps what it understood for the self link', () => {
    const search = parseSearch(
      { _count: '5', _offset: '10', _include: 'Flag:patient', status: 'active', _format: 'json' },
      definitions,
      settings,
    );
    expect(search).toMatchObject({ count: 5, offset: 10, include: [{ source: 'Flag', parameter: 'patient', target: undefined }] });
    expect(search.canonical).toEqual([
      ['_include', 'Flag:patient'],
      ['status', 'active'],
    ]);
  });

  it('refuses every bad parameter at once, each with its reason', () => {
    expect(
      refusal({ colour: 'red', date: 'yesterday', _count: '-1', _include: 'Flag:author', 'status:exact': 'x', patient: 'Practitioner/1' }),
    ).toEqual([
      expect.stringMatching(/^colour: is not a search parameter/),
      expect.stringMatching(/^date: "yesterday" is not a date/),
      '_count: must be a whole number',
      expect.stringMatching(/^_include: Flag:author is not supported here; supported: Flag:patient/),
      'status:exact: the modifier :exact is not supported for a token',
      expect.stringMatching(/^patient: Practitioner is not a type/),
    ]);
    expect(refusal({ _count: '1000' })).toEqual(['_count: must be at most 100']);
    expect(refusal({ date: '2026-12-07T10:00' })).toEqual([expect.stringContaining('no time zone')]);
    expect(parseSearch({ colour: 'red' }, definitions, { ...settings, lenient: true }).filters).toEqual([]);
  });
});

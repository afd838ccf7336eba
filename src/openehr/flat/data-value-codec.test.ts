import { describe, expect, it } from 'vitest';
import type { WebTemplateNode } from '../template/web-template-model.js';
import type { CodecContext } from './codec-context.js';
import { decodeDataValue, encodeDataValue, type ValueHints } from './data-value-codec.js';
import type { FlatFormatIssue } from './flat-format-error.js';
import { FlatNode, flatTreeOf } from './flat-tree.js';
import type { JsonObject, JsonValue } from '../../shared/json.js';
import { committedWebTemplate } from '../../../test/support/openehr/flat-fixtures.js';

/** Decodes the FLAT entries of node `x` (keys written relative to it, '' for the plain value). */
function decode(rmType: string, entries: Record<string, JsonValue>, hints: ValueHints = {}) {
  const issues: FlatFormatIssue[] = [];
  const flat = Object.fromEntries(Object.entries(entries).map(([k, v]) => [`x${k}`, v]));
  const node = flatTreeOf(flat, issues).takeChildren('x')[0] ?? new FlatNode();
  const cx: CodecContext = { issues, language: 'en' };
  const value = decodeDataValue(rmType, node, cx, hints);
  node.collectUntaken(issues);
  return { value, issues };
}

function encode(dv: JsonObject, rmType: string, hints: ValueHints = {}): Record<string, JsonValue> {
  const root = new FlatNode();
  encodeDataValue(dv, rmType, root.addChild('x', false), { issues: [], language: 'en' }, hints);
  return Object.fromEntries(Object.entries(root.toFlat()).map(([k, v]) => [k.slice(1), v]));
}

function findNode(node: WebTemplateNode, id: string): WebTemplateNode {
  if (node.id === id) return node;
  for (const child of node.children ?? []) {
    try {
      return findNode(child, id);
    } catch {
      // keep looking in the next child
    }
  }
  throw new Error(`no node ${id}`);
}

const phrase = (terminology: string, code: string) => ({
  _type: 'CODE_PHRASE',
  terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology },
  code_string: code,
});

describe('DV_QUANTITY', () => {
  const flat = {
    '|magnitude': 65.9,
    '|unit': 'kg',
    '|precision': 1,
    '|magnitude_status': '~',
    '|normal_status': 'N',
    '|accuracy': 50.5,
    '|accuracy_is_percent': true,
    '/_normal_range/lower|magnitude': 20.5,
    '/_normal_range/lower|unit': 'kg',
    '/_normal_range|lower_included': false,
    '/_other_reference_ranges:0/upper|magnitude': 77.6,
    '/_other_reference_ranges:0/upper|unit': 'kg',
    '/_other_reference_ranges:0|lower_unbounded': true,
    '/_other_reference_ranges:0/meaning': 'high',
  };

  it('reads magnitude, units and the ordered/quantified extras', () => {
    const { value, issues } = decode('DV_QUANTITY', flat);
    expect(issues).toEqual([]);
    expect(value).toEqual({
      _type: 'DV_QUANTITY',
      magnitude: 65.9,
      units: 'kg',
      precision: 1,
      magnitude_status: '~',
      accuracy: 50.5,
      accuracy_is_percent: true,
      normal_status: phrase('openehr_normal_statuses', 'N'),
      normal_range: {
        _type: 'DV_INTERVAL',
        lower: { _type: 'DV_QUANTITY', magnitude: 20.5, units: 'kg' },
        lower_included: false,
        upper_included: true,
        lower_unbounded: false,
        upper_unbounded: false,
      },
      other_reference_ranges: [
        {
          _type: 'REFERENCE_RANGE',
          meaning: { _type: 'DV_TEXT', value: 'high' },
          range: {
            _type: 'DV_INTERVAL',
            upper: { _type: 'DV_QUANTITY', magnitude: 77.6, units: 'kg' },
            lower_included: true,
            upper_included: true,
            lower_unbounded: true,
            upper_unbounded: false,
          },
        },
      ],
    });
  });

  it('writes back exactly the keys it read', () => {
    const { value } = decode('DV_QUANTITY', flat);
    expect(value && encode(value, 'DV_QUANTITY')).toEqual(flat);
  });

  it('accepts numbers written as text and reports what is not a number', () => {
    expect(decode('DV_QUANTITY', { '|magnitude': '12.5', '|unit': 'mg' }).value).toMatchObject({ magnitude: 12.5 });
    expect(decode('DV_QUANTITY', { '|magnitude': 'twelve', '|unit': 'mg' }).issues).toContainEqual({
      path: 'x|magnitude',
      message: 'expected a number',
    });
  });

  it('requires a unit with a magnitude', () => {
    expect(decode('DV_QUANTITY', { '|magnitude': 1 }).issues).toEqual([{ path: 'x|unit', message: 'unit is required' }]);
  });
});

describe('coded text', () => {
  const bodyExposure = findNode(committedWebTemplate('multi_occurrence').tree, 'body_exposure');

  it('takes the text and terminology of a local code from the template', () => {
    const { value, issues } = decode('DV_CODED_TEXT', { '|code': 'at0031' }, { wt: bodyExposure });
    expect(issues).toEqual([]);
    expect(value).toEqual({ _type: 'DV_CODED_TEXT', value: 'Naked', defining_code: phrase('local', 'at0031') });
  });

  it('knows the rubrics of openEHR codes in attributes that use them', () => {
    expect(decode('DV_CODED_TEXT', { '|code': '238' }, { attribute: 'setting' }).value).toEqual({
      _type: 'DV_CODED_TEXT',
      value: 'other care',
      defining_code: phrase('openehr', '238'),
    });
  });

  it('finds the code of an openEHR rubric given alone', () => {
    expect(decode('DV_CODED_TEXT', { '|value': 'home' }, { attribute: 'setting' }).value).toEqual({
      _type: 'DV_CODED_TEXT',
      value: 'home',
      defining_code: phrase('openehr', '225'),
    });
  });

  it('uses the openEHR codes of the event math functions (267 mode, 268 median, 521 decrease)', () => {
    expect(decode('DV_CODED_TEXT', { '|value': 'mode' }, { attribute: 'math_function' }).value).toEqual({
      _type: 'DV_CODED_TEXT',
      value: 'mode',
      defining_code: phrase('openehr', '267'),
    });
    expect(decode('DV_CODED_TEXT', { '|code': '521' }, { attribute: 'math_function' }).value).toEqual({
      _type: 'DV_CODED_TEXT',
      value: 'decrease',
      defining_code: phrase('openehr', '521'),
    });
  });

  it('needs terminology and text for codes it cannot look up', () => {
    expect(decode('DV_CODED_TEXT', { '|code': '12345' }).issues).toEqual([
      { path: 'x|terminology', message: "terminology of code '12345' is required" },
    ]);
    expect(decode('DV_CODED_TEXT', { '|code': '12345', '|terminology': 'SNOMED-CT' }).issues).toEqual([
      { path: 'x|value', message: "text of code '12345' is required" },
    ]);
  });

  it('reads |other as free text and writes free text on a coded node as |other', () => {
    const { value } = decode('DV_CODED_TEXT', { '|other': 'location' }, { wt: bodyExposure });
    expect(value).toEqual({ _type: 'DV_TEXT', value: 'location' });
    expect(encode({ _type: 'DV_TEXT', value: 'location' }, 'DV_CODED_TEXT')).toEqual({ '|other': 'location' });
  });

  it('reads a code on a text node as coded text, with mappings', () => {
    const flat = {
      '|code': '21794005',
      '|value': 'Radial styloid tenosynovitis',
      '|terminology': 'SNOMED-CT',
      '/_mapping:0|match': '=',
      '/_mapping:0/target|code': 'W.11.7',
      '/_mapping:0/target|terminology': 'RTX',
    };
    const { value, issues } = decode('DV_TEXT', flat);
    expect(issues).toEqual([]);
    expect(value).toEqual({
      _type: 'DV_CODED_TEXT',
      value: 'Radial styloid tenosynovitis',
      mappings: [{ _type: 'TERM_MAPPING', match: '=', target: phrase('RTX', 'W.11.7') }],
      defining_code: phrase('SNOMED-CT', '21794005'),
    });
    expect(value && encode(value, 'DV_TEXT')).toEqual(flat);
  });
});

describe('other data values', () => {
  it('takes ordinal value and text from the template list', () => {
    const ordinal = findNode(committedWebTemplate('test_all_types').tree, 'ordinal');
    const { value, issues } = decode('DV_ORDINAL', { '|code': 'at0015' }, { wt: ordinal });
    expect(issues).toEqual([]);
    expect(value).toEqual({
      _type: 'DV_ORDINAL',
      value: 1,
      symbol: { _type: 'DV_CODED_TEXT', value: 'ord1', defining_code: phrase('local', 'at0015') },
    });
    expect(value && encode(value, 'DV_ORDINAL')).toEqual({ '|code': 'at0015', '|value': 'ord1', '|ordinal': 1 });
  });

  it('writes the derived magnitude of a proportion and ignores it on input', () => {
    const proportion = { _type: 'DV_PROPORTION', numerator: 1.5, denominator: 3, type: 1 };
    expect(encode(proportion, 'DV_PROPORTION')).toEqual({ '|numerator': 1.5, '|denominator': 3, '|type': 1, '': 0.5 });
    expect(decode('DV_PROPORTION', { '|numerator': 1.5, '|denominator': 3, '|type': 1, '': 99 }).value).toEqual(proportion);
  });

  it('builds a duration from its parts', () => {
    expect(decode('DV_DURATION', { '|year': 1, '|day': 2, '|hour': 3 }).value).toEqual({
      _type: 'DV_DURATION',
      value: 'P1Y2DT3H',
    });
  });

  it('reads an identifier from |id or from the plain value and writes |id', () => {
    const identifier = { _type: 'DV_IDENTIFIER', id: '55175056' };
    expect(decode('DV_IDENTIFIER', { '': '55175056' }).value).toEqual(identifier);
    expect(encode(identifier, 'DV_IDENTIFIER')).toEqual({ '|id': '55175056' });
  });

  it('reads multimedia with either spelling of the media type', () => {
    const media = {
      _type: 'DV_MULTIMEDIA',
      uri: { _type: 'DV_URI', value: 'http://example.org/a.png' },
      media_type: phrase('IANA_media-types', 'image/png'),
      size: 12,
    };
    expect(decode('DV_MULTIMEDIA', { '': 'http://example.org/a.png', '|media_type': 'image/png', '|size': 12 }).value).toEqual(media);
    expect(encode(media, 'DV_MULTIMEDIA')).toEqual({ '': 'http://example.org/a.png', '|mediatype': 'image/png', '|size': 12 });
  });

  it('writes interval flags only where they differ from the defaults', () => {
    const interval = {
      _type: 'DV_INTERVAL',
      lower: { _type: 'DV_COUNT', magnitude: 1 },
      lower_included: true,
      upper_included: false,
      lower_unbounded: false,
      upper_unbounded: true,
    };
    const flat = { '/lower': 1, '|upper_included': false, '|upper_unbounded': true };
    expect(encode(interval, 'DV_INTERVAL<DV_COUNT>')).toEqual(flat);
    expect(decode('DV_INTERVAL<DV_COUNT>', flat).value).toEqual(interval);
  });

  it('reads a boolean given as text', () => {
    expect(decode('DV_BOOLEAN', { '': 'true' }).value).toEqual({ _type: 'DV_BOOLEAN', value: true });
    expect(decode('DV_BOOLEAN', { '': 'yes' }).issues).toEqual([{ path: 'x', message: 'expected true or false' }]);
  });
});

describe('|raw', () => {
  it('takes a canonical value as it is', () => {
    const scale = {
      _type: 'DV_SCALE',
      value: 2.5,
      symbol: { _type: 'DV_CODED_TEXT', value: 'moderate', defining_code: phrase('local', 'at0002') },
    };
    expect(decode('DV_QUANTITY', { '|raw': scale }).value).toEqual(scale);
  });

  it('is what the encoder writes for values the suffixes cannot express', () => {
    const scale = { _type: 'DV_SCALE', value: 2.5 };
    expect(encode(scale, 'DV_SCALE')).toEqual({ '|raw': scale });
    const withProperty = { _type: 'DV_QUANTITY', magnitude: 1, units: 'kg', property: phrase('openehr', '124') };
    expect(encode(withProperty, 'DV_QUANTITY')).toEqual({ '|raw': withProperty });
  });

  it('accepts canonical values that leave implied _type out', () => {
    expect(encode({ magnitude: 3 }, 'DV_COUNT')).toEqual({ '': 3 });
  });
});

describe('interval bounds given as suffixes', () => {
  it('reads x|lower and x|upper as the plain values of the bounds', () => {
    expect(decode('DV_INTERVAL<DV_COUNT>', { '|lower': 1, '|upper': 3 }).value).toEqual({
      _type: 'DV_INTERVAL',
      lower: { _type: 'DV_COUNT', magnitude: 1 },
      upper: { _type: 'DV_COUNT', magnitude: 3 },
      lower_included: true,
      upper_included: true,
      lower_unbounded: false,
      upper_unbounded: false,
    });
  });
});

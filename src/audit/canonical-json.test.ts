import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('writes object keys in one order whatever order they were built in', () => {
    const a = canonicalJson({ b: 1, a: { d: [1, 2], c: null } });
    const b = canonicalJson({ a: { c: null, d: [1, 2] }, b: 1 });
    expect(a).toBe('{"a":{"c":null,"d":[1,2]},"b":1}');
    expect(b).toBe(a);
  });

  it('orders keys by UTF-16 code units, not by locale', () => {
    expect(canonicalJson({ b: 1, B: 2, é: 3, a: 4, '10': 5, '9': 6 })).toBe('{"10":5,"9":6,"B":2,"a":4,"b":1,"é":3}');
  });

  it('keeps array order, which carries meaning', () => {
    expect(canonicalJson(['b', 'a'])).not.toBe(canonicalJson(['a', 'b']));
  });

  it('escapes strings so that no content can pass for structure', () => {
    expect(canonicalJson({ a: 'x","b":"y' })).toBe('{"a":"x\\",\\"b\\":\\"y"}');
    expect(canonicalJson({ a: 'x","b":"y' })).not.toBe(canonicalJson({ a: 'x', b: 'y' }));
    expect(canonicalJson('line\nbreak')).toBe('"line\\nbreak"');
  });

  it('tells apart null, the text "null", an empty string, false and 0', () => {
    const forms = [null, 'null', '', false, 0, [], {}].map((value) => canonicalJson({ v: value }));
    expect(new Set(forms).size).toBe(forms.length);
  });

  it('writes numbers as JSON does and refuses those JSON cannot hold', () => {
    expect(canonicalJson([1, 1.5, -0, 1e21, 0.1 + 0.2])).toBe('[1,1.5,0,1e+21,0.30000000000000004]');
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });
});

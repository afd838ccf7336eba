import { describe, expect, it } from 'vitest';
import { defined, jsonEqual } from './json.js';

describe('jsonEqual', () => {
  it('ignores key order but not array order', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual(22.0, 22)).toBe(true);
  });
});

describe('defined', () => {
  it('drops undefined items only', () => {
    expect(defined([1, undefined, 0, undefined])).toEqual([1, 0]);
  });
});

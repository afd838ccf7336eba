import { describe, expect, it } from 'vitest';
import type { FlatFormatIssue } from './flat-format-error.js';
import { flatTreeOf } from './flat-tree.js';

describe('flatTreeOf', () => {
  it('groups keys into nodes and orders instances by index', () => {
    const issues: FlatFormatIssue[] = [];
    const root = flatTreeOf({ 'a/b:1|code': 'x', 'a/b:0': 'y', 'a/c': 1 }, issues);
    const [a] = root.takeChildren('a');
    const instances = a?.takeChildren('b') ?? [];
    expect(issues).toEqual([]);
    expect(instances.map((node) => node.path)).toEqual(['a/b:0', 'a/b:1']);
    expect(instances[1]?.takeAttribute('code')).toBe('x');
    expect(root.toFlat()).toEqual({ 'a/b:0': 'y', 'a/b:1|code': 'x', 'a/c': 1 });
  });

  it('reports malformed keys, non-scalar values and the same slot given twice', () => {
    const issues: FlatFormatIssue[] = [];
    flatTreeOf({ 'a//b': 1, 'a/c': [1], 'a/d': 'x', 'a/d:0': 'y', 'a/e|raw': [1], 'a/f': null }, issues);
    expect(issues).toEqual([
      { path: 'a//b', message: "malformed path segment ''" },
      { path: 'a/c', message: 'value must be a string, number or boolean' },
      { path: 'a/d:0', message: 'the same value is given twice (with and without an index)' },
      { path: 'a/e|raw', message: "'|raw' takes a canonical JSON object" },
    ]);
  });

  it('reports every entry nobody took, with what its owner was read as', () => {
    const issues: FlatFormatIssue[] = [];
    const root = flatTreeOf({ 'a/b|magnitude': 1, 'a/b|colour': 'red', 'a/z/y': 2 }, issues);
    const [a] = root.takeChildren('a');
    if (!a) throw new Error('no a');
    a.describedAs = 'OBSERVATION';
    const [b] = a.takeChildren('b');
    if (!b) throw new Error('no b');
    b.describedAs = 'DV_QUANTITY';
    b.takeAttribute('magnitude');
    root.collectUntaken(issues);
    expect(issues).toEqual([
      { path: 'a/b|colour', message: "unknown attribute '|colour' for DV_QUANTITY" },
      { path: 'a/z/y', message: "'z' is not a template node or RM attribute of OBSERVATION" },
    ]);
  });
});

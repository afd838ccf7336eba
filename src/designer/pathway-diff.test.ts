import { describe, expect, it } from 'vitest';
import { diffDefinitions } from './pathway-diff.js';

const module = (id: string, title: string) => ({ id, title, templateId: `T ${id}`, kind: 'clinical', seniorDecision: false });

describe('the field-by-field diff of two versions', () => {
  it('names a module by its id, so inserting one shows as that and not as every later module changed', () => {
    const before = { title: 'Crisis', modules: [module('a', 'A'), module('b', 'B')] };
    const after = { title: 'Crisis plan', modules: [module('new', 'New'), module('a', 'A'), module('b', 'B (renamed)')] };
    expect(diffDefinitions(before, after)).toEqual([
      { path: '/modules/b/title', change: 'changed', from: 'B', to: 'B (renamed)' },
      { path: '/modules/new/id', change: 'added', to: 'new' },
      { path: '/modules/new/kind', change: 'added', to: 'clinical' },
      { path: '/modules/new/seniorDecision', change: 'added', to: false },
      { path: '/modules/new/templateId', change: 'added', to: 'T new' },
      { path: '/modules/new/title', change: 'added', to: 'New' },
      { path: '/title', change: 'changed', from: 'Crisis', to: 'Crisis plan' },
    ]);
  });

  it('reports a re-ordering once, and values removed, with paths escaped as JSON pointers', () => {
    const before = { modules: [module('a', 'A'), module('b', 'B')], form: { labels: { 'x/y': 'Label' } } };
    const after = { modules: [module('b', 'B'), module('a', 'A')], form: { labels: {} } };
    expect(diffDefinitions(before, after)).toEqual([
      { path: '/form/labels', change: 'added', to: {} },
      { path: '/form/labels/x~1y', change: 'removed', from: 'Label' },
      { path: '/modules#order', change: 'changed', from: ['a', 'b'], to: ['b', 'a'] },
    ]);
  });

  it('finds nothing between a version and its copy', () => {
    const definition = { title: 'Same', modules: [module('a', 'A')] };
    expect(diffDefinitions(definition, structuredClone(definition))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { WebTemplate, WebTemplateNode } from '../template/web-template-model.js';
import { movedFlatPaths } from './template-revision-check.js';

const node = (id: string, aqlPath: string, children: WebTemplateNode[] = []): WebTemplateNode => ({
  id,
  rmType: children.length > 0 ? 'CLUSTER' : 'ELEMENT',
  min: 0,
  max: 1,
  aqlPath,
  children,
});
const template = (children: WebTemplateNode[]): WebTemplate => ({
  templateId: 't',
  version: '2.3',
  defaultLanguage: 'en',
  languages: ['en'],
  tree: { id: 'plan', rmType: 'COMPOSITION', min: 1, max: 1, children },
});

describe('movedFlatPaths', () => {
  it('finds a renamed node by its archetype path and lists only the outermost move', () => {
    const before = template([node('signs', '/items[at0002]', [node('detail', '/items[at0002]/items[at0003]')])]);
    const after = template([node('warning_signs', '/items[at0002]', [node('detail', '/items[at0002]/items[at0003]')])]);
    expect(movedFlatPaths(before, after)).toEqual([{ from: 'plan/signs', to: 'plan/warning_signs' }]);
  });

  it('ignores name predicates, and does not guess between nodes sharing an archetype path', () => {
    const before = template([
      node('a', "/items[at0002 and name/value='A']"),
      node('b', "/items[at0002 and name/value='B']"),
      node('c', "/items[at0004 and name/value='C']"),
    ]);
    const after = template([
      node('x', "/items[at0002 and name/value='X']"),
      node('y', "/items[at0002 and name/value='Y']"),
      node('cc', "/items[at0004 and name/value='CC']"),
    ]);
    expect(movedFlatPaths(before, after)).toEqual([{ from: 'plan/c', to: 'plan/cc' }]);
  });

  it('finds nothing when only nodes are added', () => {
    const before = template([node('a', '/items[at0002]')]);
    expect(movedFlatPaths(before, template([node('a', '/items[at0002]'), node('b', '/items[at0050]')]))).toEqual([]);
  });
});

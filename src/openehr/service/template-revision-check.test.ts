import { describe, expect, it } from 'vitest';
import type { WebTemplate, WebTemplateNode } from '../template/web-template-model.js';
import { mapFlatPath, movedFlatPaths, pathMapProblems } from './template-revision-check.js';

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

describe('mapFlatPath', () => {
  const rename = [{ from: 'plan/signs', to: 'plan/warning_signs' }];
  it('moves the path of a renamed node and of everything under it, keeping indexes and suffixes', () => {
    expect(mapFlatPath('plan/signs', rename)).toBe('plan/warning_signs');
    expect(mapFlatPath('plan/signs:0/detail|code', rename)).toBe('plan/warning_signs:0/detail|code');
    expect(mapFlatPath('plan/signs_other', rename)).toBeUndefined();
    expect(mapFlatPath('plan/other/signs', rename)).toBeUndefined();
  });

  it('moves a node to another cluster, keeping only its own index', () => {
    const moved = [{ from: 'plan/signs', to: 'plan/crisis/early_signs' }];
    expect(mapFlatPath('plan/signs:1/detail', moved)).toBe('plan/crisis/early_signs:1/detail');
  });
});

describe('pathMapProblems', () => {
  const before = template([node('signs', '/items[at0002]'), node('risks', '/items[at0003]')]);
  const after = template([node('warning_signs', '/items[at0002]'), node('risks', '/items[at0003]')]);
  const moved = movedFlatPaths(before, after);

  it('accepts the move the revision makes', () => {
    expect(pathMapProblems([{ from: 'plan/signs', to: 'plan/warning_signs' }], before, after, moved)).toEqual([]);
  });

  it('names each entry that does not say what the revision moves', () => {
    expect(
      pathMapProblems(
        [
          { from: 'plan/nothing', to: 'plan/warning_signs' },
          { from: 'plan/risks', to: 'plan/warning_signs' },
          { from: 'plan/signs', to: 'plan/risks' },
        ],
        before,
        after,
        moved,
      ),
    ).toEqual([
      { path: '/pathMap/0', message: 'plan/nothing is not a FLAT path of the current revision' },
      { path: '/pathMap/1', message: 'plan/risks is still a FLAT path of the revision: nothing moved' },
      { path: '/pathMap/2', message: 'the revision moves plan/signs to plan/warning_signs, not to plan/risks' },
    ]);
  });
});

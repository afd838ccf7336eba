import { describe, expect, it } from 'vitest';
import { ehrIdsAnswered, testSetFixtures, withoutDeletedEhrs } from './aql-conformance.js';

describe("the older suite's test sets 1 and 2", () => {
  it('find their data set among the fixtures: one template, its FLAT compositions of that test set only', async () => {
    const one = await testSetFixtures('test_set_1');
    expect(one?.template).toBe('ehrbase.testcase05.v0');
    expect(one?.compositions).toHaveLength(7);
    expect(
      one?.compositions.every((path) => path.startsWith('compositions/FLAT/ehrbase.testcase05.v0__') && path.endsWith('_test_set_1.json')),
    ).toBe(true);
    const two = await testSetFixtures('test_set_2');
    expect(two?.template).toBe('ehrbase.testcase0005.v1');
    expect(two?.compositions).toHaveLength(8);
    expect(await testSetFixtures('test_set_9')).toBeUndefined();
  });

  it('take the EHR id from the columns of an expected answer that select it, not from any other uid', () => {
    const answer = JSON.stringify({
      columns: [{ path: '/ehr_id/value' }, { path: '/uid/value' }],
      rows: [
        ['2c45dc9c-799c-4c83-9a3c-df80eb81fa95', '89a5baea-46d9-3607-beed-357b66eae07e'],
        ['2c45dc9c-799c-4c83-9a3c-df80eb81fa95', null],
      ],
    });
    expect(ehrIdsAnswered(answer)).toEqual(['2c45dc9c-799c-4c83-9a3c-df80eb81fa95', '2c45dc9c-799c-4c83-9a3c-df80eb81fa95']);
    expect(ehrIdsAnswered('')).toEqual([]);
  });
});

describe('an EHR a suite deletes with the admin API', () => {
  const steps = [
    'Create EHR For AQL',
    'Set Suite Variable ${ehr_id1} ${ehr_id}',
    'Commit Composition For AQL composition_file=a.json',
    'Create EHR For AQL',
    'Set Suite Variable ${ehr_id2} ${ehr_id}',
    'Commit Composition For AQL composition_file=b.json',
    'Admin Delete EHR For AQL ${ehr_id2}',
    'Create EHR For AQL',
    'Set Suite Variable ${ehr_id3} ${ehr_id}',
  ];

  it('is never built: the steps from its creation to its delete are left out', () => {
    expect(withoutDeletedEhrs(steps)).toEqual([...steps.slice(0, 3), ...steps.slice(7)]);
  });

  it('stays, so that the suite fails on the delete, when the steps between touch another EHR or it was never created', () => {
    const tangled = [...steps.slice(0, 6), 'Create EHR For AQL', ...steps.slice(6)];
    expect(withoutDeletedEhrs(tangled)).toEqual(tangled);
    const unknown = ['Create EHR For AQL', 'Admin Delete EHR For AQL ${ehr_id9}'];
    expect(withoutDeletedEhrs(unknown)).toEqual(unknown);
  });
});

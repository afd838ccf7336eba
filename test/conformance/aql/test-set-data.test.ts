import { describe, expect, it } from 'vitest';
import { ehrIdsAnswered, testSetFixtures } from './aql-conformance.js';

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

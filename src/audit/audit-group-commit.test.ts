import { describe, expect, it } from 'vitest';
import { GroupCommitter, groupCommitterFor } from './audit-group-commit.js';

/** A commit that waits until released, so a test decides when each batch ends. */
function heldCommits<Item>(fail: (item: Item) => boolean = () => false) {
  const batches: Item[][] = [];
  const releases: (() => void)[] = [];
  const commit = (items: readonly Item[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push([...items]);
      releases.push(() => (items.some(fail) ? reject(new Error('refused')) : resolve(items.map((item) => `done ${String(item)}`))));
    });
  return { batches, commit, releaseAll: () => releases.splice(0).forEach((release) => release()) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('starts a batch at once when none is committing, and gathers what arrives meanwhile into the next', async () => {
    const held = heldCommits<number>();
    const committer = new GroupCommitter(held.commit);
    const results = Array.from({ length: 10 }, (_unused, index) => committer.append(index));
    await settle();
    // The first starts at once, alone; the other nine wait together for it to commit.
    expect(held.batches).toEqual([[0]]);
    held.releaseAll();
    await settle();
    expect(held.batches.slice(1)).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    held.releaseAll();
    expect(await Promise.all(results)).toEqual(Array.from({ length: 10 }, (_unused, index) => `done ${index}`));
  });

  it('retries a failed batch one by one, so one bad item refuses only itself', async () => {
    const held = heldCommits<number>((item) => item === 6);
    const committer = new GroupCommitter(held.commit);
    const results = Array.from({ length: 8 }, (_unused, index) => committer.append(index).catch((error: Error) => error.message));
    for (let round = 0; round < 5; round += 1) {
      await settle();
      held.releaseAll();
    }
    expect(await Promise.all(results)).toEqual(['done 0', 'done 1', 'done 2', 'done 3', 'done 4', 'done 5', 'refused', 'done 7']);
  });

  it('refuses every item of a batch whose commit answers for fewer of them', async () => {
    const committer = new GroupCommitter<number, string>(async (items) => (items.length > 1 ? ['only one'] : ['alone']));
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((item) => committer.append(item)));
    // The short batch was retried item by item.
    expect(results.every((result) => result === 'alone' || result === 'only one')).toBe(true);
    expect(results.filter((result) => result === 'only one')).toEqual([]);
  });

  it('keeps one committer per database and kind', () => {
    const db = {};
    const commit = async (items: readonly number[]) => items.map(String);
    expect(groupCommitterFor(db, 'a', commit)).toBe(groupCommitterFor(db, 'a', commit));
    expect(groupCommitterFor(db, 'a', commit)).not.toBe(groupCommitterFor(db, 'b', commit));
    expect(groupCommitterFor({}, 'a', commit)).not.toBe(groupCommitterFor(db, 'a', commit));
  });
});

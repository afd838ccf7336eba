import { describe, expect, it } from 'vitest';
import { exampleMatching } from './example-pattern.js';

describe('exampleMatching', () => {
  it('keeps the sample when the pattern accepts it', () => {
    expect(exampleMatching(undefined, 'Example text')).toBe('Example text');
    expect(exampleMatching('.*', 'Example text')).toBe('Example text');
    expect(exampleMatching('/Ex.*/', 'Example text')).toBe('Example text');
  });

  it('builds the shortest text of a pattern otherwise', () => {
    expect(exampleMatching('XYZ.*', 'Example text')).toBe('XYZ');
    expect(exampleMatching('[A-Z]{3}\\d+', 'x')).toBe('AAA1');
    expect(exampleMatching('(abc|def)-[0-9]?x', 'x')).toBe('abc-x');
    expect(exampleMatching('openEHR-EHR-ACTION\\.medication(-[a-z]+)*\\.v1', 'x')).toBe('openEHR-EHR-ACTION.medication.v1');
  });

  it('falls back to the sample when it cannot build a match', () => {
    expect(exampleMatching('(?=a)b', 'sample')).toBe('sample');
  });
});

import { describe, expect, it } from 'vitest';
import { formatFlatKey, parseFlatKey } from './flat-key.js';

describe('parseFlatKey', () => {
  it('splits segments, indices and the suffix', () => {
    expect(parseFlatKey('encounter/body_temperature:1/any_event:0/temperature|magnitude')).toEqual({
      segments: [
        { id: 'encounter', index: undefined },
        { id: 'body_temperature', index: 1 },
        { id: 'any_event', index: 0 },
        { id: 'temperature', index: undefined },
      ],
      suffix: 'magnitude',
    });
  });

  it('keeps a suffix that carries its own bar or index whole', () => {
    expect(parseFlatKey('a/_link:0|meaning|code')).toMatchObject({ suffix: 'meaning|code' });
    expect(parseFlatKey('ctx/participation_identifiers:1|issuer:0')).toMatchObject({
      segments: [
        { id: 'ctx', index: undefined },
        { id: 'participation_identifiers', index: 1 },
      ],
      suffix: 'issuer:0',
    });
  });

  it('accepts dots and dashes in node ids', () => {
    expect(parseFlatKey('respect-3/a2._shared_understanding')).toMatchObject({
      segments: [
        { id: 'respect-3', index: undefined },
        { id: 'a2._shared_understanding', index: undefined },
      ],
    });
  });

  it('says why a key is malformed', () => {
    expect(parseFlatKey('')).toBe('empty path');
    expect(parseFlatKey('a//b')).toBe("malformed path segment ''");
    expect(parseFlatKey('a/b:x')).toBe("malformed path segment 'b:x'");
    expect(parseFlatKey('a/b|')).toBe("malformed attribute suffix '|'");
    expect(parseFlatKey('a|b/c')).toBe("malformed attribute suffix '|b/c'");
  });

  it('formats what it parses', () => {
    for (const key of ['a/b:3/c|code', 'ctx/language', 'x/_link:0|meaning|code']) {
      const parsed = parseFlatKey(key);
      if (typeof parsed === 'string') throw new Error(parsed);
      expect(formatFlatKey(parsed.segments, parsed.suffix)).toBe(key);
    }
  });
});

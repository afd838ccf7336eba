import { describe, expect, it } from 'vitest';
import { formatSseComment, formatSseMessage, formatSseRetry } from './sse-format.js';

describe('server-sent event format', () => {
  it('writes id, event and one data line, ended by a blank line', () => {
    expect(formatSseMessage({ id: '42', event: 'careplan.published', data: '{"ehrId":"e"}' })).toBe(
      'id: 42\nevent: careplan.published\ndata: {"ehrId":"e"}\n\n',
    );
  });

  it('refuses a field that would break into a second line', () => {
    expect(() => formatSseMessage({ id: '1', event: 'a\nid: 2', data: '{}' })).toThrow(/event/);
    expect(() => formatSseMessage({ id: '1', event: 'a', data: 'x\ry' })).toThrow(/data/);
  });

  it('keeps a comment on one line and rounds the retry delay', () => {
    expect(formatSseComment('keep\nalive')).toBe(': keep alive\n\n');
    expect(formatSseRetry(2999.6)).toBe('retry: 3000\n\n');
  });
});

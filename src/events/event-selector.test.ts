import { describe, expect, it } from 'vitest';
import { parseTopicFilter, PERSON_STREAM_TOPICS, selects, topicMatches } from './event-selector.js';

const event = (topic: string, payload: unknown) => ({ seq: 1, occurredAt: '2026-12-04T00:00:00Z', topic, payload });

describe('event selection', () => {
  it('matches topics exactly or by a prefix ending in .*', () => {
    expect(topicMatches('careplan.*', 'careplan.published')).toBe(true);
    expect(topicMatches('careplan.*', 'careplanx.published')).toBe(false);
    expect(topicMatches('openehr.contribution', 'openehr.contribution')).toBe(true);
    expect(topicMatches('openehr.contribution', 'openehr.contribution.extra')).toBe(false);
    expect(topicMatches('*', 'anything')).toBe(true);
  });

  it("selects a person's plan events by the payload's EHR id", () => {
    const selector = { topics: PERSON_STREAM_TOPICS, ehrId: 'e1' };
    expect(selects(selector, event('careplan.closed', { ehrId: 'e1' }))).toBe(true);
    expect(selects(selector, event('careplan.closed', { ehrId: 'e2' }))).toBe(false);
    expect(selects(selector, event('audit.something', { ehrId: 'e1' }))).toBe(false);
    expect(selects(selector, event('careplan.closed', null))).toBe(false);
  });

  it('parses a topic filter, refusing what is neither a topic nor a prefix', () => {
    expect(parseTopicFilter(undefined)).toEqual(['*']);
    expect(parseTopicFilter(' careplan.* , openehr.contribution ')).toEqual(['careplan.*', 'openehr.contribution']);
    expect(parseTopicFilter('care plan')).toEqual({ problem: expect.stringContaining('care plan') });
    expect(parseTopicFilter('careplan.*.x')).toHaveProperty('problem');
  });
});

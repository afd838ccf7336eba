import type { OutboxEvent } from './outbox.js';

/** The topics of a person's plan as their stream carries them. */
export const PERSON_STREAM_TOPICS = ['careplan.*', 'openehr.contribution'] as const;

/**
 * Which outbox events one stream carries: topics named exactly or by a prefix ending in `.*`
 * (`careplan.*`), and optionally only those about one EHR (the payload's `ehrId`).
 */
export interface EventSelector {
  topics: readonly string[];
  ehrId?: string;
}

export function topicMatches(pattern: string, topic: string): boolean {
  if (pattern === '*') return true;
  return pattern.endsWith('.*') ? topic.startsWith(pattern.slice(0, -1)) : topic === pattern;
}

export function selects(selector: EventSelector, event: OutboxEvent): boolean {
  if (!selector.topics.some((pattern) => topicMatches(pattern, event.topic))) return false;
  if (selector.ehrId === undefined) return true;
  const payload = event.payload;
  return typeof payload === 'object' && payload !== null && (payload as { ehrId?: unknown }).ehrId === selector.ehrId;
}

const TOPIC_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*(\.\*)?$/;

/**
 * Parses a `topic` query value: comma-separated topics or prefixes (`careplan.*,openehr.contribution`).
 * Returns the problem with the first bad entry, or the patterns (`*` alone for everything).
 */
export function parseTopicFilter(raw: string | undefined): readonly string[] | { problem: string } {
  if (raw === undefined || raw.trim() === '' || raw.trim() === '*') return ['*'];
  const patterns = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const bad = patterns.find((pattern) => !TOPIC_PATTERN.test(pattern));
  if (bad !== undefined) return { problem: `"${bad}" is not a topic or a topic prefix such as careplan.*` };
  return patterns;
}

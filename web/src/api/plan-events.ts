import type { CAREPLAN_CLOSED_TOPIC, CAREPLAN_PUBLISHED_TOPIC } from '../../../src/careplan/plan-model';
import type { STREAMED_PAYLOAD_FIELDS } from '../../../src/events/stream-payload';
import type { AccessHeaders } from './care-plan-api';

/** Topics a person's page follows, as the server names them (a topic it renames fails the typecheck here). */
export const PLAN_PUBLISHED_TOPIC: typeof CAREPLAN_PUBLISHED_TOPIC = 'careplan.published';
export const PLAN_CLOSED_TOPIC: typeof CAREPLAN_CLOSED_TOPIC = 'careplan.closed';

/** A field of an event's data: the stream passes on only these (src/events/stream-payload.ts). */
type Streamed<Field extends (typeof STREAMED_PAYLOAD_FIELDS)[number]> = Field;

/**
 * An event of the stream. Its data has no schema (a payload cut to the streamed fields, unknown in
 * type): the names the web reads are checked against the streamed fields, their types are the web's.
 */
export interface PlanEvent {
  id: string;
  topic: string;
  data: { [Field in Streamed<'ehrId'>]?: string } & { [Field in Streamed<'planVersion' | 'revision'>]?: number };
}

/**
 * Follows a person's plan events (GET /api/care-plans/{ehr_id}/events, server-sent events) with
 * fetch rather than EventSource, so that a break-glass reader's reason travels in its header too.
 * Reconnects with Last-Event-ID after a drop or the server's 15-minute re-authorisation, so no
 * event is missed. Returns the function that stops it.
 */
export function followPlanEvents(ehrId: string, headers: AccessHeaders, onEvent: (event: PlanEvent) => void): () => void {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let stopped = false;

  async function connect(): Promise<void> {
    const response = await fetch(`/api/care-plans/${ehrId}/events`, {
      headers: { accept: 'text/event-stream', ...headers, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      credentials: 'same-origin',
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = parseMessage(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (message?.id) lastEventId = message.id;
        if (message) onEvent(message);
      }
    }
  }

  void (async () => {
    let delay = 1000;
    while (!stopped) {
      try {
        await connect();
        delay = 1000;
      } catch {
        delay = Math.min(delay * 2, 30_000);
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, delay));
    }
  })();

  return () => {
    stopped = true;
    controller.abort();
  };
}

function parseMessage(block: string): PlanEvent | undefined {
  let id = '';
  let topic = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') topic = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  try {
    return { id, topic, data: JSON.parse(data.join('\n')) as PlanEvent['data'] };
  } catch {
    return undefined;
  }
}

/**
 * The text/event-stream wire format (WHATWG HTML, "Server-sent events"). A field value must not
 * contain a line break: the receiver would read the rest as a new field. JSON.stringify never
 * emits a raw line break, and ids and event names are ours, so one `data:` line always suffices.
 */

export interface SseMessage {
  id: string;
  event: string;
  data: string;
}

export function formatSseMessage({ id, event, data }: SseMessage): string {
  for (const [field, value] of [
    ['id', id],
    ['event', event],
    ['data', data],
  ] as const) {
    if (/[\r\n]/.test(value)) throw new Error(`an SSE ${field} must be one line`);
  }
  return `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;
}

/** A comment line: ignored by EventSource, but it keeps proxies from closing an idle stream. */
export function formatSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** How long a client waits before reconnecting after the stream ends. */
export function formatSseRetry(milliseconds: number): string {
  return `retry: ${Math.max(0, Math.round(milliseconds))}\n\n`;
}

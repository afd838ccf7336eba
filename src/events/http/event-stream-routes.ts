import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import { parseTopicFilter, PERSON_STREAM_TOPICS, type EventSelector } from '../event-selector.js';
import type { RealTimeEvents } from '../real-time-events.js';

export interface EventStreamRoutesOptions {
  events: RealTimeEvents;
  heartbeatMs: number;
  maxDurationMs: number;
}

const SEQ = '^[0-9]{1,15}$';

const ResumeHeaders = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({ pattern: SEQ, description: 'The id of the last event received: the stream resumes after it, without gaps' }),
  ),
});

const resumeQuery = {
  lastEventId: Type.Optional(
    Type.String({
      pattern: SEQ,
      description: 'As the Last-Event-ID header, for a first connection that already knows where it stands (the header wins)',
    }),
  ),
};

/** The stream itself; problems are problem+json as everywhere under /api. */
const streamResponse = {
  200: {
    description: 'A text/event-stream: `id` is the outbox sequence number, `event` the topic, `data` the JSON payload (ids only)',
    content: { 'text/event-stream': { schema: Type.String() } },
  },
  ...problemResponses,
};

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  // Proxies such as nginx buffer responses by default, which would hold events back.
  'x-accel-buffering': 'no',
} as const;

/**
 * Server-sent events of the outbox: one person's plan, or everything an integrating system may
 * see. Every server process serves streams from the events every server writes (the outbox is
 * in the database; a NOTIFY wakes each server's dispatcher), so a client may connect to any.
 * The stream is handed to Fastify as the reply payload, so the policy point's onSend hook writes
 * the read's audit record before the first byte leaves.
 */
export const eventStreamRoutes: FastifyPluginAsyncTypebox<EventStreamRoutesOptions> = async (app, options) => {
  const { events } = options;

  const startStream = async (reply: FastifyReply, selector: EventSelector, resumeFrom: string | undefined) => {
    const afterSeq = resumeFrom === undefined ? await events.newestSeq() : Number(resumeFrom);
    const stream = events.open({
      logger: reply.log,
      selector,
      afterSeq,
      heartbeatMs: options.heartbeatMs,
      maxDurationMs: options.maxDurationMs,
      maxBufferedBytes: 1024 * 1024,
      retryMs: 2_000,
    });
    // However the response ends (client gone, audit refused, shutdown), the stream goes with it.
    reply.raw.once('close', () => stream.destroy());
    return reply.code(200).headers(SSE_HEADERS).send(stream);
  };

  app.get(
    '/care-plans/:ehr_id/events',
    {
      config: { policy: { kind: 'person', action: 'read', scope: 'plan:read' } },
      schema: {
        tags: ['events'],
        summary: "Server-sent events of one person's plan: care plan changes and openEHR commits to their EHR",
        params: Type.Object({ ehr_id: Type.String({ format: 'uuid' }) }),
        headers: ResumeHeaders,
        querystring: Type.Object(resumeQuery),
        response: streamResponse,
      },
    },
    async (request, reply) => {
      const { ehrId } = await request.repository
        .records(request.person)
        .ehr()
        .then((view) => view.ehr);
      const resumeFrom = request.headers['last-event-id'] ?? request.query.lastEventId;
      return startStream(reply, { topics: PERSON_STREAM_TOPICS, ehrId }, resumeFrom);
    },
  );

  app.get(
    '/events',
    {
      config: { policy: { kind: 'permission', permission: ['population:query', 'records:administer'], scope: 'plan:read' } },
      schema: {
        tags: ['events'],
        summary: 'Server-sent events of every plan, for integrating systems: optionally only some topics',
        headers: ResumeHeaders,
        querystring: Type.Object({
          ...resumeQuery,
          topic: Type.Optional(
            Type.String({ description: 'Comma-separated topics or prefixes, e.g. careplan.*,openehr.contribution (default: all)' }),
          ),
        }),
        response: streamResponse,
      },
    },
    async (request, reply) => {
      const topics = parseTopicFilter(request.query.topic);
      if ('problem' in topics) throw new AppError('bad-request', `topic: ${topics.problem}.`);
      const resumeFrom = request.headers['last-event-id'] ?? request.query.lastEventId;
      // Every plan's events name the people they are about: opening the stream is audited.
      await request.repository.auditPopulationRead({
        stream: 'events',
        topics: request.query.topic ?? '*',
        resumeFrom: resumeFrom ?? null,
      });
      return startStream(reply, { topics }, resumeFrom);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { problemResponses } from '../http/schemas.js';

const POLICY = { policy: { kind: 'permission', permission: 'audit:read', scope: 'admin' } } as const;
const Outcome = Type.Union([Type.Literal('justified'), Type.Literal('not-justified'), Type.Literal('referred')]);
const Review = Type.Object({
  outcome: Outcome,
  note: Type.String(),
  reviewedBy: Type.String(),
  reviewedAt: Type.String({ format: 'date-time' }),
});

/**
 * Break-glass follow-up for an organisation's auditors: the list of its break-glass accesses
 * (open ones first to hand), and the review of one, final and audited. Reading the list is audited too.
 */
export const breakGlassReviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['audit'];
  app.get(
    '/audit/break-glass',
    {
      config: POLICY,
      schema: {
        tags,
        summary: "The break-glass accesses of the auditor's organisation, newest first, with their reviews",
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('reviewed'), Type.Literal('all')], { default: 'open' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          cursor: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })),
        }),
        response: {
          200: Type.Object({
            accesses: Type.Array(Type.Object({ entry: Type.Object({}, { additionalProperties: true }), review: Type.Optional(Review) })),
            nextCursor: Type.Optional(Type.String()),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const page = await request.repository.breakGlassAccesses(
        request.query.status ?? 'open',
        request.query.limit ?? 100,
        request.query.cursor === undefined ? undefined : Number(request.query.cursor),
      );
      return {
        accesses: page.accesses.map(({ entry, review }) => {
          const { prevHash: _prevHash, hash: _hash, ...shown } = entry;
          return { entry: shown, ...(review ? { review } : {}) };
        }),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },
  );

  app.post(
    '/audit/break-glass/:seq/review',
    {
      config: POLICY,
      schema: {
        tags,
        summary: 'Record the review of a break-glass access of your organisation (once; not your own)',
        params: Type.Object({ seq: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) }),
        body: Type.Object({ outcome: Outcome, note: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 201: Review, ...problemResponses },
      },
    },
    async (request, reply) => {
      const review = await request.repository.reviewBreakGlass(Number(request.params.seq), request.body);
      return reply.code(201).send(review);
    },
  );
};

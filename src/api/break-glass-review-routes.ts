import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appendAuditNow } from '../audit/audit-log.js';
import { auditRecordFor } from '../audit/audit-record.js';
import { listBreakGlass, reviewBreakGlass } from '../audit/break-glass-review.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { problemResponses } from '../http/schemas.js';

export interface BreakGlassReviewRoutesOptions {
  db: Database;
}

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
export const breakGlassReviewRoutes: FastifyPluginAsyncTypebox<BreakGlassReviewRoutesOptions> = async (app, { db }) => {
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
      const caller = request.caller;
      const odsCode = caller?.organisation?.odsCode;
      if (!caller || !odsCode) throw new AppError('forbidden', 'An auditor acts for an organisation; this caller acts for none.');
      const status = request.query.status ?? 'open';
      const page = await listBreakGlass(
        db,
        odsCode,
        status,
        request.query.limit ?? 100,
        request.query.cursor === undefined ? undefined : Number(request.query.cursor),
      );
      await appendAuditNow(
        db,
        auditRecordFor(caller, { action: 'read', resource: { type: 'break-glass-list', id: odsCode }, detail: { status } }),
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
      const caller = request.caller;
      if (!caller) throw new AppError('unauthenticated', 'Sign in first.');
      const review = await reviewBreakGlass(db, caller, Number(request.params.seq), request.body);
      return reply.code(201).send(review);
    },
  );
};

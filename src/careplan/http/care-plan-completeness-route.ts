import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import type { CarePlanService } from '../care-plan-service.js';
import { TAG, type PeopleNames } from './care-plan-http.js';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

const GateIds = Type.Union(
  ['capacity', 'lackOfCapacityExplained', 'involvement', 'decisionMaker', 'reviewDate'].map((id) => Type.Literal(id)),
);

const CompletenessQuery = Type.Object({
  ods: Type.Optional(
    Type.String({ maxLength: 20, description: "the organisation (default: the caller's own; another needs platform:admin)" }),
  ),
});

const CompletenessSchema = Type.Object({
  odsCode: Type.String(),
  today: Type.String(),
  plans: Type.Integer({ description: 'published plans the organisation authored or approved' }),
  gated: Type.Integer({ description: 'of those, plans holding a ReSPECT or CPR recommendation the quality gates apply to' }),
  gates: Type.Array(
    Type.Object({
      gate: GateIds,
      section: Type.String(),
      applicable: Type.Integer(),
      met: Type.Integer(),
      share: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'met / applicable; null when none' }),
    }),
  ),
  overdueReviews: Type.Integer({ description: 'published plans whose review date has passed' }),
  needingAttention: Type.Union(
    [
      Type.Array(
        Type.Object({
          nhsNumber: Type.String(),
          name: Type.Union([Type.String(), Type.Null()]),
          ehrId: Type.String(),
          reviewDate: Type.Union([Type.String(), Type.Null()]),
          overdue: Type.Boolean(),
          missing: Type.Array(GateIds),
        }),
      ),
      Type.Null(),
    ],
    {
      description: 'each plan missing a gate or overdue, by NHS number and name; null for a caller who may not see people (not an auditor)',
    },
  ),
});

/**
 * The completeness report: how an organisation's published plans meet the ReSPECT quality gates,
 * and their overdue reviews. For the organisation's administrators and auditors; only an auditor
 * (audit:read, who reviews records about people) sees who, and that read is audited per person.
 */
export function registerCompletenessReport(app: App, plans: CarePlanService, names: PeopleNames): void {
  app.get(
    '/care-plans/reports/respect-completeness',
    {
      config: { policy: { kind: 'permission', permission: ['audit:read', 'org:manage-users', 'platform:admin'], scope: 'admin' } },
      schema: {
        tags: [TAG],
        summary:
          "Share of an organisation's published plans meeting each ReSPECT quality gate (capacity, involvement, decision maker and registration, review date) and its overdue reviews",
        querystring: CompletenessQuery,
        response: { 200: CompletenessSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { caller } = request.repository;
      const own = caller.organisation?.odsCode;
      const odsCode = request.query.ods ?? own;
      if (!odsCode) throw new AppError('bad-request', 'Name the organisation (ods); this caller acts for none.');
      if (odsCode !== own && !caller.permissions.has('platform:admin'))
        await request.repository.refuse(`the completeness report of ${odsCode} is for that organisation only`);
      const report = await plans.completenessReport(odsCode);
      const detail = { report: 'respect-completeness', odsCode };
      if (!caller.permissions.has('audit:read')) {
        await request.repository.auditPopulationRead(detail);
        return { ...report, needingAttention: null };
      }
      const held = await names.namesOf(report.needingAttention.map((plan) => plan.nhsNumber));
      const people = report.needingAttention.map((plan) => ({ ...plan, name: held.get(plan.nhsNumber) ?? null }));
      if (people.length === 0) await request.repository.auditPopulationRead(detail);
      else await request.repository.auditPeopleRead(people, detail);
      return { ...report, needingAttention: people };
    },
  );
}

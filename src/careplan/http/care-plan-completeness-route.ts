import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import type { CarePlanService } from '../care-plan-service.js';
import { TAG, type PeopleNames } from './care-plan-http.js';
import { CompletenessSchema } from './care-plan-schemas.js';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

const CompletenessQuery = Type.Object({
  ods: Type.Optional(
    Type.String({ maxLength: 20, description: "the organisation (default: the caller's own; another needs platform:admin)" }),
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

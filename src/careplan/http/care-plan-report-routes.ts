import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import type { CarePlanService } from '../care-plan-service.js';
import { CPR_SNOMED } from '../cpr-coding.js';
import type { CarePlanQueries } from '../queries/care-plan-queries.js';
import { registerCompletenessReport } from './care-plan-completeness-route.js';
import { TAG, type PeopleNames } from './care-plan-http.js';

export interface CarePlanReportRoutesOptions {
  /** The ODS codes of the organisations of an integrated care system, from the organisation register (none when no such system). */
  organisationsOfIcs(ics: string): Promise<readonly string[]>;
  /** The integrated care systems the organisation register holds, with how many organisations each. */
  integratedCareSystems(): Promise<readonly { ics: string; organisations: number }[]>;
  queries: CarePlanQueries;
  plans: CarePlanService;
  names: PeopleNames;
}

const FOR_CPR = CPR_SNOMED['at0004']?.code ?? '450475007';
const NOT_FOR_CPR = CPR_SNOMED['at0005']?.code ?? '450476008';

const CprQuery = Type.Object({
  ics: Type.String({ minLength: 1, maxLength: 200, description: 'an integrated care system, e.g. North Central London' }),
  recommendation: Type.Optional(
    Type.Union([Type.Literal('not-for-cpr'), Type.Literal('for-cpr'), Type.Literal('any')], { default: 'any' }),
  ),
});

const CprReport = Type.Object({
  ics: Type.String(),
  organisations: Type.Integer({ description: 'organisations of the ICS whose plans were searched' }),
  people: Type.Array(
    Type.Object({
      ehrId: Type.String(),
      nhsNumber: Type.String(),
      name: Type.Union([Type.String(), Type.Null()], { description: 'as the demographics service last gave it; null when none is held' }),
      recommendation: Type.String(),
      snomedCode: Type.String(),
      decidedAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

const PathwayReport = Type.Object({
  pathways: Type.Array(Type.Object({ pathway: Type.String(), plans: Type.Integer() })),
});

/**
 * Population reports over the plans, each one of the platform's stored AQL queries run in the
 * caller's query scope: with `population:query` over everyone, otherwise over the people related
 * to the caller's organisation. Every run is audited with the people it returned.
 */
export const carePlanReportRoutes: FastifyPluginAsyncTypebox<CarePlanReportRoutesOptions> = async (
  app,
  { organisationsOfIcs, integratedCareSystems, queries, plans, names },
) => {
  /** The people of `rows` by NHS number and name; a row whose plan is gone is left out. */
  async function named<Row extends { ehrId: string }>(rows: readonly Row[]): Promise<(Row & { nhsNumber: string; name: string | null })[]> {
    const numbers = await plans.nhsNumbersOf(rows.map((row) => row.ehrId));
    const held = await names.namesOf([...numbers.values()]);
    return rows.flatMap((row) => {
      const nhsNumber = numbers.get(row.ehrId);
      return nhsNumber ? [{ ...row, nhsNumber, name: held.get(nhsNumber) ?? null }] : [];
    });
  }

  app.get(
    '/care-plans/reports/cpr-recommendations',
    {
      config: { policy: { kind: 'permission', permission: ['population:query', 'plan:read'], scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary:
          'Current CPR recommendations of the published plans written or approved in an integrated care system (AQL: org.ucp::care_plan.cpr_recommendations)',
        querystring: CprQuery,
        response: { 200: CprReport, ...problemResponses },
      },
    },
    async (request) => {
      const organisations = await organisationsOfIcs(request.query.ics);
      if (organisations.length === 0)
        throw new AppError('not-found', `No organisation belongs to an integrated care system called ${request.query.ics}.`);
      const wanted = request.query.recommendation ?? 'any';
      const codes = wanted === 'not-for-cpr' ? [NOT_FOR_CPR] : wanted === 'for-cpr' ? [FOR_CPR] : [FOR_CPR, NOT_FOR_CPR];
      const people = await named(await queries.cprRecommendations(request.repository, organisations, codes));
      return { ics: request.query.ics, organisations: organisations.length, people };
    },
  );

  app.get(
    '/care-plans/reports/plans-by-pathway',
    {
      config: { policy: { kind: 'permission', permission: ['population:query', 'plan:read'], scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary: 'How many published plans include each pathway (AQL: org.ucp::care_plan.plans_by_pathway)',
        response: { 200: PathwayReport, ...problemResponses },
      },
    },
    async (request) => {
      return { pathways: await queries.plansByPathway(request.repository) };
    },
  );

  app.get(
    '/care-plans/reports/integrated-care-systems',
    {
      config: { policy: { kind: 'permission', permission: ['population:query', 'plan:read'], scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary: 'The integrated care systems a report can cover: those of the organisations registered, never a fixed list',
        response: {
          200: Type.Object({ systems: Type.Array(Type.Object({ ics: Type.String(), organisations: Type.Integer() })) }),
          ...problemResponses,
        },
      },
    },
    async () => ({ systems: [...(await integratedCareSystems())] }),
  );

  registerCompletenessReport(app, plans, names);
};

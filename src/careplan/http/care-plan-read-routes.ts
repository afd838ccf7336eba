import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import { sendPlan, TAG, type CarePlanReadRoutesOptions } from './care-plan-http.js';
import {
  ChangesSchema,
  DiffQuery,
  DueQuery,
  DueSchema,
  EhrParams,
  EmergencySummarySchema,
  HistorySchema,
  ModuleParams,
  PathwayListSchema,
  PathwayQuery,
  PlanSchema,
} from './care-plan-schemas.js';

/** The plan as its readers see it: the pathways and their forms, the review worklist, the published plan, its summary, history and diff. */
export const carePlanReadRoutes: FastifyPluginAsyncTypebox<CarePlanReadRoutesOptions> = async (app, { plans, queries, names, forms }) => {
  app.get(
    '/care-plans/pathways',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        tags: [TAG],
        summary: 'The plan pathways and their modules, with the form definitions to fill them',
        querystring: PathwayQuery,
        response: { 200: PathwayListSchema, ...problemResponses },
      },
    },
    async (request) => {
      // The published versions now in force: a pathway published a moment ago is listed.
      const catalogue = await plans.pathways();
      const retired = new Set(request.query.retired ? catalogue.retiredPathways : []);
      const all = [catalogue.core, ...catalogue.pathways, ...retired];
      const formsByTemplate = request.query.forms && forms ? await forms() : undefined;
      const pathways = [];
      for (const pathway of all) {
        const modules = [];
        for (const { highlights: _highlights, form: overrides, ...module } of pathway.modules) {
          const built = request.query.forms ? await plans.formOf(module.templateId, overrides) : undefined;
          const form = formsByTemplate ? formsByTemplate.get(module.templateId) : built?.form;
          modules.push({ ...module, ...(form !== undefined ? { form } : {}), ...(built ? { webTemplate: built.webTemplate } : {}) });
        }
        pathways.push({
          id: pathway.id,
          title: pathway.title,
          reviewMaxMonths: pathway.reviewMaxMonths,
          approval: pathway.approval,
          ...(retired.has(pathway) ? { retired: true } : {}),
          modules,
        });
      }
      return { pathways };
    },
  );

  app.get(
    '/care-plans/due-for-review',
    {
      config: { policy: { kind: 'permission', permission: 'plan:read', scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary:
          "Published plans an organisation authored or approved that are due (or overdue) for review, found by the stored AQL query org.ucp::care_plan.due_for_review in the caller's query scope",
        querystring: DueQuery,
        response: { 200: DueSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { caller } = request.repository;
      const own = caller.organisation?.odsCode;
      const odsCode = request.query.ods ?? own;
      if (!odsCode) throw new AppError('bad-request', 'Name the organisation (ods); this caller acts for none.');
      if (odsCode !== own && !caller.permissions.has('platform:admin')) {
        await request.repository.refuse(`the review worklist of ${odsCode} is for that organisation only`);
      }
      const { today, until } = plans.reviewWindow(request.query.within_days ?? 30);
      const due = await plans.worklist(await queries.dueForReview(request.repository, odsCode, until));
      const held = await names.namesOf(due.map((plan) => plan.nhsNumber));
      return {
        odsCode,
        until,
        plans: due.map((plan) => ({ ...plan, name: held.get(plan.nhsNumber) ?? null, overdue: plan.reviewDate < today })),
      };
    },
  );

  app.get(
    '/care-plans/:ehr_id',
    {
      config: { policy: { kind: 'person', action: 'read', scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary: 'The current (published) plan; never a draft',
        params: EhrParams,
        response: { 200: PlanSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendPlan(reply, await plans.readPublished(request.person.ehrId)),
  );

  app.get(
    '/care-plans/:ehr_id/emergency-summary',
    {
      config: { policy: { kind: 'person', action: 'read', scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary: 'What urgent care needs first: CPR, focus of care, who to call, access, medicines, allergies …',
        params: EhrParams,
        response: { 200: EmergencySummarySchema, ...problemResponses },
      },
    },
    // The stored projection's JSON text goes out as it is (a string with a JSON type is not
    // serialised again); its content is what the schema above describes. The read's audit record
    // is committed in the statement that reads, with the other reads of the moment.
    async (request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send(await plans.emergencySummaryJsonRecorded(request.person.ehrId, request.takeReadRecord())),
  );

  app.get(
    '/care-plans/:ehr_id/modules/:module_id',
    {
      config: { policy: { kind: 'person', action: 'read', scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary: 'One section of the published plan',
        params: ModuleParams,
        response: { 200: PlanSchema.properties.modules.items, ...problemResponses },
      },
    },
    async (request) => plans.readModule(request.person.ehrId, request.params.module_id, 'published'),
  );

  app.get(
    '/care-plans/:ehr_id/history',
    {
      config: { policy: { kind: 'person', action: 'read', scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary: 'Every revision of the plan and every version of its compositions',
        params: EhrParams,
        response: { 200: HistorySchema, ...problemResponses },
      },
    },
    async (request) => {
      const history = await plans.history(request.person.ehrId);
      return {
        ehrId: history.plan.ehrId,
        revisions: history.revisions.map(({ header: _header, headerVersionUid: _uid, ...revision }) => revision),
        compositions: history.compositions.map((composition) => ({
          moduleId: composition.moduleId,
          objectId: composition.objectId,
          versions: composition.versions.map((version) => ({
            versionUid: version.versionUid,
            timeCommitted: version.timeCommitted,
            changeType: version.changeType,
            lifecycleState: version.lifecycleState,
            committer: (version.committer as { name?: string }).name ?? null,
            description: version.description ?? null,
          })),
        })),
      };
    },
  );

  app.get(
    '/care-plans/:ehr_id/diff',
    {
      config: { policy: { kind: 'person', action: 'read', scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary: 'What changed between two versions of the plan, per section and field (old → new)',
        params: EhrParams,
        querystring: DiffQuery,
        response: { 200: ChangesSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { from, to, by } = request.query;
      const select = (value: number) => (by === 'revision' ? { revision: value } : { planVersion: value });
      return plans.diff(request.person.ehrId, select(from), select(to));
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import { loggableUrl } from '../../http/logging.js';
import { PROBLEM_JSON } from '../../http/problem-details.js';
import { problemJsonErrorHandler } from '../../http/problem-json-handlers.js';
import { problemResponses } from '../../http/schemas.js';
import { isValidNhsNumber } from '../../nhs/nhs-number.js';
import { StalePlanError, type CarePlanService, type PlanView } from '../care-plan-service.js';
import type { PlanWriter } from '../plan-writer.js';
import type { CarePlanQueries } from '../queries/care-plan-queries.js';
import { loadPathways } from '../pathway/index.js';
import { isoDate } from '../review-date.js';
import {
  ChangesSchema,
  CreateBody,
  DeathBody,
  DeleteQuery,
  DiffQuery,
  DueQuery,
  DueSchema,
  EhrParams,
  EmergencySummarySchema,
  HistorySchema,
  IfMatchHeaders,
  ModuleParams,
  PathwayListSchema,
  PathwayQuery,
  PathwaysBody,
  PlanSchema,
  SaveModuleBody,
  SaveResultSchema,
  StaleProblemSchema,
  SubmitBody,
  SubmitResultSchema,
} from './care-plan-schemas.js';

export interface CarePlanRoutesOptions {
  plans: CarePlanService;
  /** The platform's own AQL queries over the plans (worklists and reports). */
  queries: CarePlanQueries;
  /** The generated form definitions by template id; by default those of templates/pathways, read once. */
  forms?: () => Promise<ReadonlyMap<string, unknown>>;
}

let pathwayForms: Promise<ReadonlyMap<string, unknown>> | undefined;
const defaultForms = () => (pathwayForms ??= loadPathways().then((loaded) => loaded.forms));

const TAG = 'care plans';
const writes = { 412: StaleProblemSchema, ...problemResponses } as const;

/**
 * The care plan API (/api/care-plans): one living plan per person, its lifecycle, history,
 * emergency summary and review worklist. Errors are problem+json; a stale write (412) also
 * carries the current revision and what changed since the one the writer edited.
 */
export const carePlanRoutes: FastifyPluginAsyncTypebox<CarePlanRoutesOptions> = async (app, { plans, queries, forms = defaultForms }) => {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof StalePlanError) return sendStale(request, reply, error);
    return problemJsonErrorHandler(error as FastifyError, request, reply);
  });

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
      const all = [plans.catalogue.core, ...plans.catalogue.pathways];
      const formsByTemplate = request.query.forms ? await forms() : new Map<string, unknown>();
      const pathways = [];
      for (const pathway of all) {
        const modules = [];
        for (const { highlights: _highlights, ...module } of pathway.modules) {
          const form = formsByTemplate.get(module.templateId);
          const webTemplate = request.query.forms ? await plans.webTemplateOf(module.templateId) : undefined;
          modules.push({ ...module, ...(form !== undefined ? { form } : {}), ...(webTemplate !== undefined ? { webTemplate } : {}) });
        }
        pathways.push({
          id: pathway.id,
          title: pathway.title,
          reviewMaxMonths: pathway.reviewMaxMonths,
          approval: pathway.approval,
          modules,
        });
      }
      return { pathways };
    },
  );

  app.post(
    '/care-plans',
    {
      config: { policy: { kind: 'permission', permission: ['plan:write-clinical', 'plan:write-non-clinical'], scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary: "Start a person's plan (one per person: a second is refused, naming the first)",
        body: CreateBody,
        response: { 201: PlanSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const nhsNumber = request.body.nhsNumber.replace(/\s/g, '');
      if (!isValidNhsNumber(nhsNumber)) throw new AppError('bad-request', `${request.body.nhsNumber} is not a valid NHS number.`);
      await requireCareRelationship(request, nhsNumber);
      const plan = await plans.create(
        { nhsNumber, pathways: request.body.pathways ?? [], consent: request.body.consent },
        writerFor(request, 'create', nhsNumber),
      );
      return sendPlan(reply.code(201).header('Location', `/api/care-plans/${plan.ehrId}`), plan);
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
      const withinDays = request.query.within_days ?? 30;
      const today = isoDate(new Date());
      const until = isoDate(new Date(Date.now() + withinDays * 86_400_000));
      const due = await plans.worklist(await queries.dueForReview(request.repository, odsCode, until));
      return { odsCode, until, plans: due.map((plan) => ({ ...plan, overdue: plan.reviewDate < today })) };
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
    async (request) => plans.emergencySummary(request.person.ehrId),
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

  app.get(
    '/care-plans/:ehr_id/draft',
    {
      config: { policy: { kind: 'person', action: 'write-non-clinical', scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary: 'The open draft (for those who may edit the plan)',
        params: EhrParams,
        response: { 200: PlanSchema, ...problemResponses },
      },
    },
    async (request, reply) => sendPlan(reply, await plans.readDraft(request.person.ehrId)),
  );

  app.post(
    '/care-plans/:ehr_id/draft',
    {
      config: { policy: { kind: 'person', action: 'write-non-clinical', scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary: 'Open a new draft from the published plan',
        params: EhrParams,
        headers: IfMatchHeaders,
        response: { 201: PlanSchema, ...writes },
      },
    },
    async (request, reply) => {
      const plan = await plans.startDraft(request.person.ehrId, baseRevision(request), writerFor(request, 'update'));
      return sendPlan(reply.code(201), plan);
    },
  );

  app.put(
    '/care-plans/:ehr_id/draft/modules/:module_id',
    {
      config: { policy: { kind: 'person', action: 'write-non-clinical', scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary:
          'Save one section of the draft (FLAT from the generated form); clinical sections need a clinician, ReSPECT/CPR a senior clinician',
        params: ModuleParams,
        headers: IfMatchHeaders,
        body: SaveModuleBody,
        response: { 200: SaveResultSchema, ...writes },
      },
    },
    async (request, reply) => {
      const result = await plans.saveModule(
        request.person.ehrId,
        request.params.module_id,
        request.body.flat as Record<string, never>,
        { baseRevision: baseRevision(request), changeSummary: request.body.changeSummary },
        writerFor(request, 'update'),
      );
      return reply.header('ETag', `"${result.plan.revision}"`).send(result);
    },
  );

  app.put(
    '/care-plans/:ehr_id/draft/pathways',
    {
      config: { policy: { kind: 'person', action: 'write-clinical', scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary: 'Set the pathways of the draft (each adds its modules)',
        params: EhrParams,
        headers: IfMatchHeaders,
        body: PathwaysBody,
        response: { 200: PlanSchema, ...writes },
      },
    },
    async (request, reply) =>
      sendPlan(
        reply,
        await plans.setPathways(request.person.ehrId, request.body.pathways, baseRevision(request), writerFor(request, 'update')),
      ),
  );

  app.post(
    '/care-plans/:ehr_id/draft/submit',
    {
      config: { policy: { kind: 'person', action: 'write-clinical', scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary:
          'Submit the draft for approval: full template validation and a review date; quality warnings (e.g. no preferred place of death) are returned',
        params: EhrParams,
        headers: IfMatchHeaders,
        body: SubmitBody,
        response: { 200: SubmitResultSchema, ...writes },
      },
    },
    async (request, reply) => {
      const result = await plans.submit(
        request.person.ehrId,
        { baseRevision: baseRevision(request), reviewDate: request.body.reviewDate, changeSummary: request.body.changeSummary },
        writerFor(request, 'update'),
      );
      return reply.header('ETag', `"${result.plan.revision}"`).send(result);
    },
  );

  app.post(
    '/care-plans/:ehr_id/draft/approve',
    {
      config: { policy: { kind: 'person', action: 'write-clinical', scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary: 'Approve and publish the submitted draft (a senior clinician where the pathway or ReSPECT/CPR content requires it)',
        params: EhrParams,
        headers: IfMatchHeaders,
        response: { 200: PlanSchema, ...writes },
      },
    },
    async (request, reply) =>
      sendPlan(reply, await plans.publish(request.person.ehrId, baseRevision(request), writerFor(request, 'update'))),
  );

  app.post(
    '/care-plans/:ehr_id/death',
    {
      config: { policy: { kind: 'person', action: 'write-clinical', scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary: "Record the person's death: the plan is closed and read-only from then on",
        params: EhrParams,
        headers: IfMatchHeaders,
        body: DeathBody,
        response: { 200: PlanSchema, ...writes },
      },
    },
    async (request, reply) =>
      sendPlan(
        reply,
        await plans.recordDeath(
          request.person.ehrId,
          {
            baseRevision: baseRevision(request),
            date: request.body.date,
            place: request.body.place,
            placeDiffersReason: request.body.placeDiffersReason,
          },
          writerFor(request, 'update'),
        ),
      ),
  );

  app.delete(
    '/care-plans/:ehr_id',
    {
      config: { policy: { kind: 'person', action: 'approve', scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary: 'Delete the plan logically (every composition gets a deleted version; audited)',
        params: EhrParams,
        headers: IfMatchHeaders,
        querystring: DeleteQuery,
        response: { 204: { type: 'null', description: 'deleted' }, ...writes },
      },
    },
    async (request, reply) => {
      await plans.delete(
        request.person.ehrId,
        { baseRevision: baseRevision(request), reason: request.query.reason },
        writerFor(request, 'delete'),
      );
      return reply.code(204).send(null);
    },
  );
};

function sendPlan(reply: FastifyReply, plan: PlanView): FastifyReply {
  return reply.header('ETag', `"${plan.revision}"`).send(plan);
}

/** The revision the writer read: If-Match is required on every change to a plan. */
function baseRevision(request: FastifyRequest): number {
  const header = request.headers['if-match'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  if (!value) {
    throw new AppError(
      'precondition-required',
      "Changing a plan needs an If-Match header with the revision you read (its ETag), so that nobody's edit is lost.",
    );
  }
  if (!/^\d+$/.test(value)) throw new AppError('bad-request', `If-Match must be a plan revision such as "7"; got ${value}.`);
  return Number(value);
}

/** The caller's writer for a care plan step: audited as a create, update or delete of the plan. */
function writerFor(request: FastifyRequest, action: 'create' | 'update' | 'delete', nhsNumberOfNewPlan?: string): PlanWriter {
  const access = action === 'create' ? undefined : request.person;
  return request.repository.writer(access, { action, recordType: 'care-plan' }, nhsNumberOfNewPlan);
}

function sendStale(request: FastifyRequest, reply: FastifyReply, error: StalePlanError): FastifyReply {
  request.log.info({ code: error.code, status: error.status, currentRevision: error.currentRevision }, 'stale plan write refused');
  return reply
    .code(412)
    .headers(error.headers)
    .type(PROBLEM_JSON)
    .send({
      type: `urn:ucp:error:${error.code}`,
      title: error.title,
      status: error.status,
      detail: error.detail,
      instance: loggableUrl(request.url),
      code: error.code,
      requestId: request.id,
      currentRevision: error.currentRevision,
      changes: error.changes,
    });
}

/**
 * Starting a plan needs a care relationship with the person that already exists (registered GP,
 * care team) or that the organisation declares first; it never creates one, and a refusal says
 * nothing about whether the person has a record or a plan.
 */
async function requireCareRelationship(request: FastifyRequest, nhsNumber: string): Promise<void> {
  const clinical = request.caller?.permissions.has('plan:write-clinical') ?? false;
  try {
    await request.openPerson({ nhsNumber }, clinical ? 'write-clinical' : 'write-non-clinical');
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 403) throw error;
    throw new AppError(
      'forbidden',
      `${error.detail} To start this person's plan, your organisation must be caring for them: declare the relationship first ` +
        `(POST /api/people/${nhsNumber}/care-team with your reason).`,
    );
  }
}

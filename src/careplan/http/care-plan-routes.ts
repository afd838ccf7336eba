import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import { problemJsonErrorHandler } from '../../http/problem-json-handlers.js';
import { problemResponses } from '../../http/schemas.js';
import { isValidNhsNumber } from '../../nhs/nhs-number.js';
import type { PersonAccess } from '../../repository/repository.js';
import { StalePlanError } from '../plan-model.js';
import { baseRevision, sendPlan, sendStale, TAG, writerFor, type CarePlanRoutesOptions, type KnownPersonCheck } from './care-plan-http.js';
import { carePlanDraftRoutes } from './care-plan-draft-routes.js';
import { carePlanReadRoutes } from './care-plan-read-routes.js';
import {
  CreateBody,
  DeathBody,
  DeathCorrectionBody,
  DeleteQuery,
  EhrParams,
  IfMatchHeaders,
  ModuleParams,
  PathwaysBody,
  PlanSchema,
  SaveModuleBody,
  SaveResultSchema,
  StaleProblemSchema,
  SubmitBody,
  SubmitResultSchema,
  WrongSubjectCorrectionBody,
  WrongSubjectCorrectionResult,
} from './care-plan-schemas.js';

export type { CarePlanRoutesOptions } from './care-plan-http.js';

const writes = { 412: StaleProblemSchema, ...problemResponses } as const;

/**
 * The care plan API (/api/care-plans): one living plan per person, its lifecycle, history,
 * emergency summary and review worklist. Errors are problem+json; a stale write (412) also
 * carries the current revision and what changed since the one the writer edited.
 */
export const carePlanRoutes: FastifyPluginAsyncTypebox<CarePlanRoutesOptions> = async (app, options) => {
  const { plans } = options;
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof StalePlanError) return sendStale(request, reply, error);
    return problemJsonErrorHandler(error as FastifyError, request, reply);
  });
  // Not `options` itself: it carries the prefix this plugin was registered with.
  await app.register(carePlanReadRoutes, {
    plans,
    queries: options.queries,
    names: options.names,
    ...(options.forms ? { forms: options.forms } : {}),
  });
  await app.register(carePlanDraftRoutes, { plans, names: options.names });

  app.post(
    '/care-plans',
    {
      config: { policy: { kind: 'permission', permission: ['plan:write-clinical', 'plan:write-non-clinical'], scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary:
          "Start a person's plan (one per person: a second is refused, naming the first); only for an NHS number the national demographics service (PDS) knows",
        body: CreateBody,
        response: { 201: PlanSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const nhsNumber = request.body.nhsNumber.replace(/\s/g, '');
      if (!isValidNhsNumber(nhsNumber)) throw new AppError('bad-request', `${request.body.nhsNumber} is not a valid NHS number.`);
      await requireCareRelationship(request, nhsNumber);
      await requireKnownPerson(request, options.people, nhsNumber);
      const plan = await plans.create(
        { nhsNumber, pathways: request.body.pathways ?? [], consent: request.body.consent },
        writerFor(request, 'create', nhsNumber),
      );
      return sendPlan(reply.code(201).header('Location', `/api/care-plans/${plan.ehrId}`), plan);
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
          'Save one section of the draft: FLAT merged into the section (null removes a field; nothing else is lost), or the whole section with mode "replace"; the answer lists what changed and what is still incomplete. Clinical sections need a clinician, ReSPECT/CPR a senior clinician',
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
        { baseRevision: baseRevision(request), changeSummary: request.body.changeSummary, mode: request.body.mode ?? 'merge' },
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
          'Submit the draft for approval: full template validation, a review date and the ReSPECT quality gates (422 naming each gap); quality warnings (e.g. no preferred place of death) are returned',
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

  app.post(
    '/care-plans/:ehr_id/death/correction',
    {
      // A decision-maker's act, like deleting a plan: it makes the plan current for every service again.
      config: { policy: { kind: 'person', action: 'approve', scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary: 'Correct a death recorded in error: the closed plan is current again; the death and its correction stay in the history',
        params: EhrParams,
        headers: IfMatchHeaders,
        body: DeathCorrectionBody,
        response: { 200: PlanSchema, ...writes },
      },
    },
    async (request, reply) =>
      sendPlan(
        reply,
        await plans.correctDeath(
          request.person.ehrId,
          { baseRevision: baseRevision(request), reason: request.body.reason },
          writerFor(request, 'update'),
        ),
      ),
  );

  app.post(
    '/care-plans/:ehr_id/subject/correction',
    {
      // A decision-maker's act, like deleting a plan: it takes the plan from every service's view of this person.
      config: { policy: { kind: 'person', action: 'approve', scope: 'plan:write' } },
      schema: {
        tags: [TAG],
        summary:
          'A plan recorded against the wrong person (wrong NHS number): withdrawn from them as entered in error (nothing erased); with rightNhsNumber, its content becomes a new draft plan of the right person',
        params: EhrParams,
        headers: IfMatchHeaders,
        body: WrongSubjectCorrectionBody,
        response: { 200: WrongSubjectCorrectionResult, ...writes },
      },
    },
    async (request, reply) => {
      // The withdrawal's writer first: opening the right person below makes them the request's person.
      const withdrawal = writerFor(request, 'delete');
      const wrong = request.person;
      const right = request.body.rightNhsNumber?.replace(/\s/g, '');
      // Everything the re-recording needs is checked before anything is withdrawn.
      let rightAccess: PersonAccess | undefined;
      if (right !== undefined) {
        if (!isValidNhsNumber(right)) throw new AppError('bad-request', `${request.body.rightNhsNumber} is not a valid NHS number.`);
        if (right === wrong.nhsNumber) {
          throw new AppError('unprocessable', 'The right person must be someone else: this plan is recorded against that NHS number.');
        }
        rightAccess = await requireCareRelationship(request, right);
        await requireKnownPerson(request, options.people, right);
        await plans.requireNoCurrentPlan(right);
      }
      const withdrawn = await plans.withdrawFromWrongSubject(
        wrong.ehrId,
        { baseRevision: baseRevision(request), reason: request.body.reason.trim() },
        withdrawal,
      );
      const reRecorded =
        right !== undefined && rightAccess
          ? await plans.reRecordForRightPerson(withdrawn, right, {
              create: writerFor(request, 'create', right),
              save: request.repository.writer(rightAccess, { action: 'update', recordType: 'care-plan', ownProjections: true }),
            })
          : null;
      return reply
        .header('ETag', `"${withdrawn.revision}"`)
        .send({ withdrawn: { ehrId: withdrawn.ehrId, revision: withdrawn.revision, status: 'deleted' as const }, reRecorded });
    },
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

/**
 * The person must be known to PDS before a plan is started: a typo that still has a valid check
 * digit is refused (404) and nothing is created; a merged number is refused naming the number
 * that replaced it. When PDS cannot be reached the record held is used, marked unverified (every
 * view of the person says so); with nothing held the answer is 503. Asked after the relationship
 * check, so that a caller without one learns nothing about whether PDS knows the number.
 */
async function requireKnownPerson(request: FastifyRequest, people: KnownPersonCheck, nhsNumber: string): Promise<void> {
  const person = await people.requireKnownPerson(nhsNumber, { correlationId: request.id, log: request.log });
  if (person.supersededBy !== null && person.supersededBy !== nhsNumber) {
    throw new AppError(
      'unprocessable',
      `The national demographics service (PDS) merged NHS number ${nhsNumber} into ${person.supersededBy}: start the plan under ${person.supersededBy}. Nothing was recorded.`,
    );
  }
  if (person.verification !== 'verified') {
    request.log.warn({ verification: person.verification }, 'plan started while PDS could not confirm the person: identity unverified');
  }
}

/**
 * Starting a plan needs a care relationship with the person that already exists (registered GP,
 * care team) or that the organisation declares first; it never creates one, and a refusal says
 * nothing about whether the person has a record or a plan.
 */
async function requireCareRelationship(request: FastifyRequest, nhsNumber: string): Promise<PersonAccess> {
  const clinical = request.caller?.permissions.has('plan:write-clinical') ?? false;
  try {
    return await request.openPerson({ nhsNumber }, clinical ? 'write-clinical' : 'write-non-clinical');
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 403) throw error;
    throw new AppError(
      'forbidden',
      `${error.detail} To start this person's plan, your organisation must be caring for them: declare the relationship first ` +
        `(POST /api/people/${nhsNumber}/care-team with your reason).`,
    );
  }
}

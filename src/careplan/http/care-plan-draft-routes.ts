import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { problemResponses } from '../../http/schemas.js';
import type { CarePlanService } from '../care-plan-service.js';
import type { PlanWriter } from '../plan-writer.js';
import { baseRevision, TAG, type PeopleNames } from './care-plan-http.js';
import {
  AwaitingAttentionSchema,
  DeclineBody,
  DraftListSchema,
  DraftModuleParams,
  DraftParams,
  DraftSaveBody,
  DraftSchema,
  MergeBody,
  MergeResultSchema,
  ProposeBody,
} from './care-plan-draft-schemas.js';
import { EhrParams, IfMatchHeaders } from './care-plan-schemas.js';

/** Holding a draft of one's own: the person, or any professional who may write the plan's non-clinical sections. */
const PROPOSE = { kind: 'person', action: 'propose', scope: 'plan:write' } as const;
/** Merging someone's draft into the plan, or declining the person's proposal: a professional who may write the plan. */
const WRITE = { kind: 'person', action: 'write-non-clinical', scope: 'plan:write' } as const;

/** The caller's writer for a draft of their own: audited as an update of the plan's drafts. */
function draftWriter(request: FastifyRequest): PlanWriter {
  return request.repository.writer(request.person, { action: 'update', recordType: 'care-plan-draft', ownProjections: true });
}

/**
 * Drafts of one's own (/api/care-plans/{ehr_id}/drafts): a professional working apart from the
 * plan's shared draft, or the person proposing a change to their own plan; each merged into the
 * plan field by field. Reads are audited here: the policy point audits only `read` routes.
 */
export const carePlanDraftRoutes: FastifyPluginAsyncTypebox<{ plans: CarePlanService; names: PeopleNames }> = async (
  app,
  { plans, names },
) => {
  const audited = async <T>(request: FastifyRequest, answer: T): Promise<T> => {
    await request.repository.auditRead(request.person, { status: 200 });
    return answer;
  };

  app.get(
    '/care-plans/awaiting-attention',
    {
      config: { policy: { kind: 'permission', permission: ['plan:write-clinical', 'plan:write-non-clinical'], scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary:
          "What waits for the caller's organisation: drafts submitted for approval and changes people proposed to their own plans, among the people the caller's queries reach (care team, registered GP), by NHS number and name",
        response: { 200: AwaitingAttentionSchema, ...problemResponses },
      },
    },
    async (request) => {
      const waiting = await plans.awaitingAttention(await request.repository.queryScope());
      const people = [...waiting.approvals, ...waiting.proposals];
      const held = await names.namesOf(people.map((entry) => entry.nhsNumber));
      await request.repository.auditPeopleRead(people, { route: 'awaiting-attention' });
      const named = <T extends { nhsNumber: string }>(entry: T) => ({ ...entry, name: held.get(entry.nhsNumber) ?? null });
      return { approvals: waiting.approvals.map(named), proposals: waiting.proposals.map(named) };
    },
  );

  app.get(
    '/care-plans/:ehr_id/drafts',
    {
      config: { policy: PROPOSE },
      schema: {
        tags: [TAG],
        summary: "The plan's drafts of one's own: who holds one and where it stands (the person sees only their own)",
        params: EhrParams,
        response: { 200: DraftListSchema, ...problemResponses },
      },
    },
    async (request) => audited(request, { drafts: await plans.drafts(request.person.ehrId, draftWriter(request)) }),
  );

  app.get(
    '/care-plans/:ehr_id/drafts/mine',
    {
      config: { policy: PROPOSE },
      schema: {
        tags: [TAG],
        summary: 'Your own draft of the plan: what you changed, what others changed since you started, and the fields both changed',
        params: EhrParams,
        response: { 200: DraftSchema, ...problemResponses },
      },
    },
    async (request) => audited(request, await plans.ownDraft(request.person.ehrId, draftWriter(request))),
  );

  app.put(
    '/care-plans/:ehr_id/drafts/mine/modules/:module_id',
    {
      config: { policy: PROPOSE },
      schema: {
        tags: [TAG],
        summary:
          'Save a section into your own draft (the first save starts it); If-Match names the plan revision you read. The plan itself is unchanged until the draft is merged. The person may change only the non-clinical sections',
        params: DraftModuleParams,
        headers: IfMatchHeaders,
        body: DraftSaveBody,
        response: { 200: DraftSchema, ...problemResponses },
      },
    },
    async (request) =>
      plans.saveToOwnDraft(
        request.person.ehrId,
        request.params.module_id,
        request.body.flat as Record<string, never>,
        baseRevision(request),
        draftWriter(request),
      ),
  );

  app.post(
    '/care-plans/:ehr_id/drafts/mine/propose',
    {
      config: { policy: PROPOSE },
      schema: {
        tags: [TAG],
        summary: 'The person hands their draft to the professionals caring for them, who merge it or decline it saying why',
        params: EhrParams,
        body: ProposeBody,
        response: { 200: DraftSchema, ...problemResponses },
      },
    },
    async (request) => plans.proposeOwnDraft(request.person.ehrId, request.body.note, draftWriter(request)),
  );

  app.post(
    '/care-plans/:ehr_id/drafts/mine/withdraw',
    {
      config: { policy: PROPOSE },
      schema: {
        tags: [TAG],
        summary: 'Withdraw your draft: it is kept, withdrawn, and you can start another',
        params: EhrParams,
        response: { 200: DraftSchema, ...problemResponses },
      },
    },
    async (request) => plans.withdrawOwnDraft(request.person.ehrId, draftWriter(request)),
  );

  app.get(
    '/care-plans/:ehr_id/drafts/:draft_id',
    {
      config: { policy: PROPOSE },
      schema: {
        tags: [TAG],
        summary: 'One draft of the plan, with what changed since it started and its conflicts (the person: only their own)',
        params: DraftParams,
        response: { 200: DraftSchema, ...problemResponses },
      },
    },
    async (request) => audited(request, await plans.draft(request.person.ehrId, request.params.draft_id, draftWriter(request))),
  );

  app.post(
    '/care-plans/:ehr_id/drafts/:draft_id/merge',
    {
      config: { policy: WRITE },
      schema: {
        tags: [TAG],
        summary:
          "Merge a draft into the plan's shared draft, field by field, all sections in one write: your own draft, or the person's proposal. Fields both changed need a resolution (409 names each). If-Match: the plan revision you read",
        params: DraftParams,
        headers: IfMatchHeaders,
        body: MergeBody,
        response: { 200: MergeResultSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await plans.mergeDraft(
        request.person.ehrId,
        request.params.draft_id,
        { baseRevision: baseRevision(request), resolutions: request.body.resolutions ?? {}, changeSummary: request.body.changeSummary },
        request.repository.writer(request.person, { action: 'update', recordType: 'care-plan', ownProjections: true }),
      );
      return reply.header('ETag', `"${result.plan.revision}"`).send(result);
    },
  );

  app.post(
    '/care-plans/:ehr_id/drafts/:draft_id/decline',
    {
      config: { policy: WRITE },
      schema: {
        tags: [TAG],
        summary: "Decline the person's proposal, saying why: it is kept, declined, with your reason for them to read",
        params: DraftParams,
        body: DeclineBody,
        response: { 200: DraftSchema, ...problemResponses },
      },
    },
    async (request) => plans.declineProposal(request.person.ehrId, request.params.draft_id, request.body.reason, draftWriter(request)),
  );
};

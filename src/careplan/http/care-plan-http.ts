import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import { loggableUrl } from '../../http/logging.js';
import { PROBLEM_JSON } from '../../http/problem-details.js';
import type { CarePlanService, PlanView, StalePlanError } from '../care-plan-service.js';
import type { PlanWriter } from '../plan-writer.js';
import type { CarePlanQueries } from '../queries/care-plan-queries.js';

/**
 * Who the person is, from the national demographics service (src/demographics, given by the
 * server): a plan is started only for a person it knows. Refuses an unknown number (404), and
 * when it cannot be reached with nothing held (503); with a held record it answers `unverified`.
 */
export interface KnownPersonCheck {
  requireKnownPerson(
    nhsNumber: string,
    options: { correlationId?: string; log?: { warn(object: object, message: string): void } },
  ): Promise<{ supersededBy: string | null; verification: string }>;
}

/** The names the demographics service holds (no call to PDS): reports and worklists show people by NHS number and name. */
export interface PeopleNames {
  namesOf(nhsNumbers: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

export interface CarePlanReadRoutesOptions {
  names: PeopleNames;
  plans: CarePlanService;
  /** The platform's own AQL queries over the plans (worklists and reports). */
  queries: CarePlanQueries;
  /** The generated form definitions by template id; by default those of templates/pathways, read once. */
  forms?: () => Promise<ReadonlyMap<string, unknown>>;
}

export interface CarePlanRoutesOptions extends CarePlanReadRoutesOptions {
  people: KnownPersonCheck;
}

export const TAG = 'care plans';

export function sendPlan(reply: FastifyReply, plan: PlanView): FastifyReply {
  return reply.header('ETag', `"${plan.revision}"`).send(plan);
}

/** The revision the writer read: If-Match is required on every change to a plan. */
export function baseRevision(request: FastifyRequest): number {
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
export function writerFor(request: FastifyRequest, action: 'create' | 'update' | 'delete', nhsNumberOfNewPlan?: string): PlanWriter {
  const access = action === 'create' ? undefined : request.person;
  return request.repository.writer(access, { action, recordType: 'care-plan', ownProjections: true }, nhsNumberOfNewPlan);
}

export function sendStale(request: FastifyRequest, reply: FastifyReply, error: StalePlanError): FastifyReply {
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

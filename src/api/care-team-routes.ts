import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Caller } from '../access/caller.js';
import { joinCareTeam, listCareTeam } from '../access/care-team-store.js';
import { readPersonAccessFacts } from '../access/person-access-facts.js';
import { checkRelationshipReason, RELATIONSHIP_REASONS } from '../access/relationship-reason.js';
import { appendAudit } from '../audit/audit-log.js';
import { auditRecordFor } from '../audit/audit-record.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber } from '../nhs/nhs-number.js';
import { problemResponses } from '../http/schemas.js';

export interface CareTeamRoutesOptions {
  db: Database;
}

const NhsNumberParams = Type.Object({ nhs_number: Type.String({ pattern: '^\\d{10}$' }) });
const Membership = Type.Object({
  odsCode: Type.String(),
  organisationName: Type.Union([Type.String(), Type.Null()]),
  kind: Type.Union([Type.Literal('care-team'), Type.Literal('registered-gp')]),
  basis: Type.String(),
  since: Type.String({ format: 'date-time' }),
  addedBy: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});
const CareTeam = Type.Object({ members: Type.Array(Membership) });
const Declaration = Type.Object(
  {
    reason: Type.String({
      maxLength: 600,
      description: `"<code>: <explanation>", the code one of ${Object.keys(RELATIONSHIP_REASONS).join(', ')}`,
    }),
  },
  { additionalProperties: false },
);

/**
 * A person's care team: who is in it, how each organisation joined, and the one way for an
 * organisation to join it — declaring a legitimate relationship with a stated reason. Starting or
 * publishing a plan never adds anyone; the declaration is audited in the person's access report
 * and listed for the organisation's auditors to follow up (`/api/audit?action=relationship-declared`).
 */
export const careTeamRoutes: FastifyPluginAsyncTypebox<CareTeamRoutesOptions> = async (app, { db }) => {
  app.get(
    '/people/:nhs_number/care-team',
    {
      config: { policy: { kind: 'person', action: 'read', by: 'nhs_number', scope: 'plan:read' } },
      schema: {
        tags: ['people'],
        summary: "A person's care team: each organisation, how and when it joined, who added it and why",
        params: NhsNumberParams,
        response: { 200: CareTeam, ...problemResponses },
      },
    },
    async (request) => ({ members: await listCareTeam(db, request.params.nhs_number) }),
  );

  app.post(
    '/people/:nhs_number/care-team',
    {
      config: { policy: { kind: 'permission', permission: ['plan:write-clinical', 'plan:write-non-clinical'], scope: 'plan:write' } },
      schema: {
        tags: ['people'],
        summary:
          "Declare a legitimate relationship: the caller's organisation joins the person's care team, with a stated reason (audited, followed up)",
        params: NhsNumberParams,
        body: Declaration,
        response: { 200: CareTeam, 201: CareTeam, ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = request.caller as Caller;
      const { nhs_number: nhsNumber } = request.params;
      if (!isValidNhsNumber(nhsNumber)) throw new AppError('bad-request', `${nhsNumber} is not a valid NHS number.`);
      const organisation = caller.organisation;
      if (!organisation) throw new AppError('forbidden', 'Only someone acting for an organisation can declare a relationship.');
      const reason = checkRelationshipReason(request.body.reason);
      if (!reason.ok) throw new AppError('bad-request', `The reason is not accepted: ${reason.problem}.`);
      // A self-declared relationship must not open the record of someone who withdrew consent to
      // share: only the registered practice and the organisations already caring for them see it.
      if (!(await readPersonAccessFacts(db, nhsNumber)).consentToShare) {
        throw new AppError(
          'conflict',
          'This person has withdrawn consent to share their plan: a relationship cannot be declared. Ask their GP practice.',
        );
      }
      const stated = `${reason.code}: ${reason.text}`;
      const joined = await db.transaction(async (tx) => {
        const added = await joinCareTeam(tx, {
          nhsNumber,
          odsCode: organisation.odsCode,
          basis: 'declared',
          addedBy: caller.displayName,
          reason: stated,
        });
        if (added) {
          await appendAudit(
            tx,
            auditRecordFor(caller, {
              action: 'relationship-declared',
              nhsNumber,
              resource: { type: 'care-team', id: organisation.odsCode },
              detail: { reason: stated },
            }),
          );
        }
        return added;
      });
      return reply.code(joined ? 201 : 200).send({ members: await listCareTeam(db, nhsNumber) });
    },
  );
};

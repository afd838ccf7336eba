import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RELATIONSHIP_REASONS } from '../access/relationship-reason.js';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber } from '../nhs/nhs-number.js';
import { problemResponses } from '../http/schemas.js';

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
export const careTeamRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
    async (request) => ({ members: await request.repository.careTeam(request.person) }),
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
      const { nhs_number: nhsNumber } = request.params;
      if (!isValidNhsNumber(nhsNumber)) throw new AppError('bad-request', `${nhsNumber} is not a valid NHS number.`);
      const declared = await request.repository.declareRelationship(nhsNumber, request.body.reason);
      return reply.code(declared.joined ? 201 : 200).send({ members: declared.members });
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.js';
import { refuseSeniorDecisionsWithoutApproval } from './senior-decision-check.js';
import type { ContributionService } from '../service/contribution-service.js';
import { contributionRepresentation } from '../service/audit-representation.js';
import { commitAudit, returnPreference } from './openehr-headers.js';
import { PERSON_READ, PERSON_WRITE } from './route-policies.js';
import { EhrIdParam, openEhrErrorResponses, PreferHeader, RmObject } from './rest-schemas.js';

export interface ContributionRoutesOptions {
  db: Database;
  contributions: ContributionService;
  baseUrl: string;
}

/** CONTRIBUTION resources: several versions committed together, all or none. */
export const contributionRoutes: FastifyPluginAsyncTypebox<ContributionRoutesOptions> = async (app, { db, contributions, baseUrl }) => {
  const tags = ['openEHR CONTRIBUTION'];

  app.post(
    '/ehr/:ehr_id/contribution',
    {
      config: { policy: PERSON_WRITE },
      schema: {
        tags,
        summary: 'Commit a contribution of COMPOSITION, EHR_STATUS and FOLDER versions in one transaction',
        params: Type.Object({ ehr_id: EhrIdParam }),
        headers: Type.Object({ prefer: PreferHeader }),
        body: RmObject,
        response: { 201: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const ehrId = request.params.ehr_id.toLowerCase();
      await refuseSeniorDecisionsWithoutApproval(db, request, request.body);
      const contribution = await contributions.commit(ehrId, request.body, commitAudit(request));
      reply
        .code(201)
        .header('Location', `${baseUrl}/ehr/${ehrId}/contribution/${contribution.contributionId}`)
        .header('ETag', `"${contribution.contributionId}"`);
      return returnPreference(request.headers.prefer) === 'representation' ? contributionRepresentation(contribution) : reply.send();
    },
  );

  app.get(
    '/ehr/:ehr_id/contribution/:contribution_uid',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'Read a contribution',
        params: Type.Object({ ehr_id: EhrIdParam, contribution_uid: Type.String() }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request) =>
      contributionRepresentation(await contributions.get(request.params.ehr_id.toLowerCase(), request.params.contribution_uid)),
  );
};

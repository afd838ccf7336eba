import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { contributionRepresentation } from '../service/audit-representation.js';
import { commitAudit, returnPreference } from './openehr-headers.js';
import { PERSON_READ, PERSON_WRITE } from './route-policies.js';
import { EhrIdParam, openEhrErrorResponses, PreferHeader, RmObject } from './rest-schemas.js';

export interface ContributionRoutesOptions {
  baseUrl: string;
}

/** CONTRIBUTION resources: several versions committed together, all or none. */
export const contributionRoutes: FastifyPluginAsyncTypebox<ContributionRoutesOptions> = async (app, { baseUrl }) => {
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
      const contribution = await request.repository.records(request.person).commitContribution(request.body, commitAudit(request));
      reply
        .code(201)
        .header('Location', `${baseUrl}/ehr/${contribution.ehrId}/contribution/${contribution.contributionId}`)
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
      contributionRepresentation(await request.repository.records(request.person).contribution(request.params.contribution_uid)),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import { callerOf } from './administered-change.js';
import type { OrganisationAdministration } from './organisation-administration.js';
import { ODS_CODE_PATTERN, OrganisationSchema } from './administration-schemas.js';

/** The organisations taking part: everyone may list them; platform administrators add and change them. */
export const organisationRoutes: FastifyPluginAsyncTypebox<{ organisations: OrganisationAdministration }> = async (
  app,
  { organisations },
) => {
  const tags = ['administration'];

  app.get(
    '/organisations',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: { tags, summary: 'The organisations taking part', response: { 200: Type.Array(OrganisationSchema), ...problemResponses } },
    },
    async () => organisations.list(),
  );

  app.put(
    '/organisations/:odsCode',
    {
      config: { policy: { kind: 'permission', permission: 'platform:admin', scope: 'admin' } },
      schema: {
        tags,
        summary: 'Add or update an organisation (its data-security status decides whether it may see plans)',
        params: Type.Object({ odsCode: Type.String({ pattern: ODS_CODE_PATTERN }) }),
        body: OrganisationSchema,
        response: { 200: OrganisationSchema, ...problemResponses },
      },
    },
    async (request) => {
      if (request.body.odsCode !== request.params.odsCode)
        throw new AppError('bad-request', 'The ODS code in the body must match the one in the path.');
      return organisations.put(callerOf(request), request.body);
    },
  );
};

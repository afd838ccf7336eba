import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { problemResponses } from '../../http/schemas.js';
import { listOrganisations, upsertOrganisation } from '../../organisations/organisation-store.js';
import { administer, callerOf } from './administered-change.js';
import { ODS_CODE_PATTERN, OrganisationSchema } from './administration-schemas.js';

/** The organisations taking part: everyone may list them; platform administrators add and change them. */
export const organisationRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const tags = ['administration'];

  app.get(
    '/organisations',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: { tags, summary: 'The organisations taking part', response: { 200: Type.Array(OrganisationSchema), ...problemResponses } },
    },
    async () => listOrganisations(db),
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
      return administer(db, callerOf(request), (tx) => upsertOrganisation(tx, request.body), {
        resource: { type: 'organisation', id: request.params.odsCode },
        attempted: 'organisation-upsert',
        detail: (organisation) => ({ dataSecurityStatus: organisation.dataSecurityStatus }),
      });
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import type { EhrView } from '../service/ehr-service.js';
import type { StoredVersion } from '../service/version-selection.js';
import type { Committer } from '../../repository/person-records.js';
import type { Repository } from '../../repository/repository.js';
import { originalVersion, revisionHistory, versionedObjectRepresentation } from '../service/audit-representation.js';
import { parseVersionAtTime, parseVersionReference } from '../service/version-selection.js';
import { ehrRepresentation } from './ehr-representation.js';
import { commitAudit, ifMatchVersion, returnPreference } from './openehr-headers.js';
import { ADMIN_OR_CLINICIAN_WRITE, PERSON_READ, PERSON_WRITE } from './route-policies.js';
import { EhrIdParam, openEhrErrorResponses, PreferHeader, RmObject, VersionAtTime } from './rest-schemas.js';

export interface EhrRoutesOptions {
  baseUrl: string;
}

/** EHR, EHR_STATUS and VERSIONED_EHR_STATUS resources (ITS-REST 1.0.3 EHR API). */
export const ehrRoutes: FastifyPluginAsyncTypebox<EhrRoutesOptions> = async (app, { baseUrl }) => {
  const tags = ['openEHR EHR'];
  const ehrLocation = (ehrId: string) => `${baseUrl}/ehr/${ehrId}`;

  const createEhr = async (
    repository: Repository,
    ehrId: string | undefined,
    body: unknown,
    committer: Committer,
    prefer: string | undefined,
  ): Promise<{ view: EhrView; representation: boolean }> => {
    const view = await repository.createEhr(
      { ...(ehrId ? { ehrId } : {}), ...(body !== undefined && body !== null ? { status: body } : {}) },
      committer,
    );
    return { view, representation: returnPreference(prefer) === 'representation' };
  };

  app.post(
    '/ehr',
    {
      config: { policy: ADMIN_OR_CLINICIAN_WRITE },
      schema: {
        tags,
        summary: 'Create an EHR (optionally with an EHR_STATUS)',
        headers: Type.Object({ prefer: PreferHeader }),
        // The body is optional (an EHR_STATUS); the service checks it, as a schema cannot allow "no body".
        response: { 201: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const { view, representation } = await createEhr(
        request.repository,
        undefined,
        request.body,
        commitAudit(request),
        request.headers.prefer,
      );
      reply.code(201).header('Location', ehrLocation(view.ehr.ehrId)).header('ETag', `"${view.ehr.ehrId}"`);
      return representation ? ehrRepresentation(view) : reply.send();
    },
  );

  app.put(
    '/ehr/:ehr_id',
    {
      config: { policy: ADMIN_OR_CLINICIAN_WRITE },
      schema: {
        tags,
        summary: 'Create an EHR with a given id',
        params: Type.Object({ ehr_id: EhrIdParam }),
        headers: Type.Object({ prefer: PreferHeader }),
        // The body is optional (an EHR_STATUS); the service checks it, as a schema cannot allow "no body".
        response: { 201: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const ehrId = request.params.ehr_id.toLowerCase();
      const { view, representation } = await createEhr(
        request.repository,
        ehrId,
        request.body,
        commitAudit(request),
        request.headers.prefer,
      );
      reply.code(201).header('Location', ehrLocation(view.ehr.ehrId)).header('ETag', `"${view.ehr.ehrId}"`);
      return representation ? ehrRepresentation(view) : reply.send();
    },
  );

  app.get(
    '/ehr/:ehr_id',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'Read an EHR',
        params: Type.Object({ ehr_id: EhrIdParam }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request) => ehrRepresentation(await request.repository.records(request.person).ehr()),
  );

  app.get(
    '/ehr',
    {
      config: { policy: { kind: 'permission', permission: ['plan:read', 'records:administer'], scope: 'openehr:read' } },
      schema: {
        tags,
        summary: 'Find the EHR of a subject (one index look-up)',
        querystring: Type.Object({
          subject_id: Type.String({ minLength: 1, description: 'e.g. an NHS number' }),
          subject_namespace: Type.String({ minLength: 1, description: 'e.g. https://fhir.nhs.uk/Id/nhs-number' }),
        }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request) =>
      ehrRepresentation(
        await request.repository.findEhrBySubject({ id: request.query.subject_id, namespace: request.query.subject_namespace }),
      ),
  );

  const statusReply = (version: StoredVersion, reply: { header(name: string, value: string): unknown }) => {
    reply.header('ETag', `"${version.versionUid}"`);
    reply.header('Last-Modified', new Date(version.timeCommitted).toUTCString());
    return version.data ?? {};
  };

  app.get(
    '/ehr/:ehr_id/ehr_status',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'Read the EHR_STATUS (latest, or at a time)',
        params: Type.Object({ ehr_id: EhrIdParam }),
        querystring: Type.Object({ version_at_time: VersionAtTime }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const atTime = request.query.version_at_time;
      const version = await request.repository.records(request.person).status(atTime ? { atTime: parseVersionAtTime(atTime) } : {});
      return statusReply(version, reply);
    },
  );

  app.get(
    '/ehr/:ehr_id/ehr_status/:version_uid',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'Read one version of the EHR_STATUS',
        params: Type.Object({ ehr_id: EhrIdParam, version_uid: Type.String() }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const records = request.repository.records(request.person);
      const uid = parseVersionReference(request.params.version_uid, 'version_uid');
      const version = await records.status({ version: uid.version });
      if (version.objectId !== uid.objectId)
        throw new AppError('not-found', `EHR ${records.ehrId} has no EHR_STATUS version ${request.params.version_uid}.`);
      return statusReply(version, reply);
    },
  );

  app.put(
    '/ehr/:ehr_id/ehr_status',
    {
      config: { policy: PERSON_WRITE },
      schema: {
        tags,
        summary: 'Update the EHR_STATUS (If-Match: the version you read)',
        params: Type.Object({ ehr_id: EhrIdParam }),
        headers: Type.Object({ prefer: PreferHeader, 'if-match': Type.Optional(Type.String()) }),
        body: RmObject,
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const preceding = ifMatchVersion(request.headers['if-match'], 'Updating the EHR_STATUS');
      const version = await request.repository.records(request.person).updateStatus(request.body, preceding, commitAudit(request));
      reply.header('Location', `${ehrLocation(version.ehrId)}/ehr_status/${version.versionUid}`);
      const body = statusReply(version, reply);
      if (returnPreference(request.headers.prefer) === 'representation') return body;
      return reply.code(204).send();
    },
  );

  app.get(
    '/ehr/:ehr_id/versioned_ehr_status',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'Read the VERSIONED_EHR_STATUS',
        params: Type.Object({ ehr_id: EhrIdParam }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request) => versionedObjectRepresentation(await request.repository.records(request.person).statusVersionedObject()),
  );

  app.get(
    '/ehr/:ehr_id/versioned_ehr_status/revision_history',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'Revision history of the EHR_STATUS',
        params: Type.Object({ ehr_id: EhrIdParam }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request) => revisionHistory(await request.repository.records(request.person).statusHistory()),
  );

  app.get(
    '/ehr/:ehr_id/versioned_ehr_status/version',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'The EHR_STATUS version current now or at a time, as an ORIGINAL_VERSION',
        params: Type.Object({ ehr_id: EhrIdParam }),
        querystring: Type.Object({ version_at_time: VersionAtTime }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request) => {
      const atTime = request.query.version_at_time;
      return originalVersion(await request.repository.records(request.person).status(atTime ? { atTime: parseVersionAtTime(atTime) } : {}));
    },
  );

  app.get(
    '/ehr/:ehr_id/versioned_ehr_status/version/:version_uid',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'One EHR_STATUS version as an ORIGINAL_VERSION',
        params: Type.Object({ ehr_id: EhrIdParam, version_uid: Type.String() }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request) => {
      const records = request.repository.records(request.person);
      const uid = parseVersionReference(request.params.version_uid, 'version_uid');
      const version = await records.status({ version: uid.version });
      if (version.objectId !== uid.objectId)
        throw new AppError('not-found', `EHR ${records.ehrId} has no EHR_STATUS version ${request.params.version_uid}.`);
      return originalVersion(version);
    },
  );
};

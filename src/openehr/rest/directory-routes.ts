import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { parseVersionAtTime } from '../service/version-selection.js';
import type { StoredVersion } from '../service/version-selection.js';
import { commitAudit, ifMatchVersion, returnPreference } from './openehr-headers.js';
import { PERSON_READ, PERSON_WRITE } from './route-policies.js';
import { EhrIdParam, openEhrErrorResponses, PreferHeader, RmObject, VersionAtTime } from './rest-schemas.js';

export interface DirectoryRoutesOptions {
  baseUrl: string;
}

/** DIRECTORY resources: the EHR's versioned folder tree. */
export const directoryRoutes: FastifyPluginAsyncTypebox<DirectoryRoutesOptions> = async (app, { baseUrl }) => {
  const tags = ['openEHR DIRECTORY'];
  const params = Type.Object({ ehr_id: EhrIdParam });

  const answer = (reply: FastifyReply, version: StoredVersion, prefer: string | undefined, status: number) => {
    reply
      .code(status)
      .header('Location', `${baseUrl}/ehr/${version.ehrId}/directory/${version.versionUid}`)
      .header('ETag', `"${version.versionUid}"`);
    if (returnPreference(prefer) === 'representation' && version.data) return reply.send(version.data);
    return reply.code(status === 201 ? 201 : 204).send();
  };

  app.post(
    '/ehr/:ehr_id/directory',
    {
      config: { policy: PERSON_WRITE },
      schema: {
        tags,
        summary: 'Create the directory',
        params,
        headers: Type.Object({ prefer: PreferHeader }),
        body: RmObject,
        response: { 201: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) =>
      answer(
        reply,
        await request.repository.records(request.person).createDirectory(request.body, commitAudit(request)),
        request.headers.prefer,
        201,
      ),
  );

  app.put(
    '/ehr/:ehr_id/directory',
    {
      config: { policy: PERSON_WRITE },
      schema: {
        tags,
        summary: 'Update the directory (If-Match: the version you read)',
        params,
        headers: Type.Object({ prefer: PreferHeader, 'if-match': Type.Optional(Type.String()) }),
        body: RmObject,
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const preceding = ifMatchVersion(request.headers['if-match'], 'Updating the directory');
      const version = await request.repository.records(request.person).updateDirectory(request.body, preceding, commitAudit(request));
      return answer(reply, version, request.headers.prefer, 200);
    },
  );

  app.delete(
    '/ehr/:ehr_id/directory',
    {
      config: { policy: PERSON_WRITE },
      schema: {
        tags,
        summary: 'Delete the directory (If-Match: the version you read)',
        params,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        response: { 204: Type.Null(), ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const preceding = ifMatchVersion(request.headers['if-match'], 'Deleting the directory');
      const version = await request.repository.records(request.person).deleteDirectory(preceding, commitAudit(request));
      reply.header('ETag', `"${version.versionUid}"`);
      return reply.code(204).send(null);
    },
  );

  const read = async (
    request: FastifyRequest,
    reply: FastifyReply,
    query: { version_at_time?: string; path?: string },
    versionUid?: string,
  ) => {
    const { version, folder } = await request.repository.records(request.person).directory({
      ...(versionUid ? { versionUid } : {}),
      ...(query.version_at_time ? { atTime: parseVersionAtTime(query.version_at_time) } : {}),
      ...(query.path ? { path: query.path } : {}),
    });
    reply.header('ETag', `"${version.versionUid}"`).header('Last-Modified', new Date(version.timeCommitted).toUTCString());
    // ITS-REST 1.0.3: reading a deleted directory answers 204 No Content.
    if (!folder) return reply.code(204).send();
    return folder;
  };
  const readQuery = Type.Object({
    version_at_time: VersionAtTime,
    path: Type.Optional(Type.String({ description: 'folder names separated by /' })),
  });

  app.get(
    '/ehr/:ehr_id/directory',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'Read the directory (latest or at a time), or one folder of it',
        params,
        querystring: readQuery,
        response: { 200: RmObject, 204: Type.Null(), ...openEhrErrorResponses },
      },
    },
    async (request, reply) => read(request, reply, request.query),
  );

  app.get(
    '/ehr/:ehr_id/directory/:version_uid',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'Read a version of the directory, or one folder of it',
        params: Type.Object({ ehr_id: EhrIdParam, version_uid: Type.String() }),
        querystring: readQuery,
        response: { 200: RmObject, 204: Type.Null(), ...openEhrErrorResponses },
      },
    },
    async (request, reply) => read(request, reply, request.query, request.params.version_uid),
  );
};

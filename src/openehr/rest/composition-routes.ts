import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { originalVersion, revisionHistory, versionedObjectRepresentation } from '../service/audit-representation.js';
import { parseVersionAtTime, parseVersionReference } from '../service/version-selection.js';
import type { StoredVersion } from '../service/version-selection.js';
import type { CompositionFormats } from './composition-formats.js';
import { commitAudit, ifMatchVersion, returnPreference, versionHeaders } from './openehr-headers.js';
import { PERSON_READ, PERSON_WRITE } from './route-policies.js';
import { EhrIdParam, openEhrErrorResponses, PreferHeader, RmObject, VersionAtTime } from './rest-schemas.js';

export interface CompositionRoutesOptions {
  formats: CompositionFormats;
  baseUrl: string;
}

/**
 * One name for the composition segment, as OpenAPI requires of paths that differ only in it; what
 * it must hold depends on the method (ITS-REST names them uid_based_id, versioned_object_uid and
 * preceding_version_uid).
 */
const CompositionUidParam = Type.String({
  description:
    'GET: composition id or version id; PUT: composition id (the version goes in If-Match); DELETE: the version id being deleted',
});

const FormatQuery = Type.Object({
  format: Type.Optional(Type.String({ description: 'JSON (canonical), XML, FLAT or STRUCTURED; overrides the media type' })),
  templateId: Type.Optional(Type.String({ description: 'the template of a FLAT or STRUCTURED body' })),
});

/** COMPOSITION and VERSIONED_COMPOSITION resources (ITS-REST 1.0.3 EHR API). */
export const compositionRoutes: FastifyPluginAsyncTypebox<CompositionRoutesOptions> = async (app, { formats, baseUrl }) => {
  const tags = ['openEHR COMPOSITION'];
  const location = (version: StoredVersion) => `${baseUrl}/ehr/${version.ehrId}/composition/${version.versionUid}`;

  /** ITS-REST: a refusal that names the latest version (its ETag) also says where it lives (Location). */
  const withLatestLocation = async <T>(ehrId: string, write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      const latest = error instanceof AppError ? /^"(.+)"$/.exec(error.headers.ETag ?? '')?.[1] : undefined;
      if (!(error instanceof AppError) || latest === undefined) throw error;
      throw new AppError(error.code, error.detail, {
        issues: error.issues,
        headers: { ...error.headers, Location: `${baseUrl}/ehr/${ehrId}/composition/${latest}` },
        cause: error.cause,
      });
    }
  };

  const sendVersion = async (
    reply: FastifyReply,
    version: StoredVersion,
    wanted: { accept: string | undefined; format: string | undefined; prefer: string | undefined; status: number },
  ) => {
    reply.code(wanted.status).header('Location', location(version)).header('ETag', `"${version.versionUid}"`);
    reply.header('Last-Modified', new Date(version.timeCommitted).toUTCString());
    if (returnPreference(wanted.prefer) !== 'representation' || !version.data) {
      return reply.code(wanted.status === 200 ? 204 : wanted.status).send();
    }
    const encoded = await formats.encode(version.data, wanted.accept, wanted.format);
    return reply.type(encoded.contentType).send(encoded.body);
  };

  app.post(
    '/ehr/:ehr_id/composition',
    {
      config: { policy: PERSON_WRITE },
      schema: {
        tags,
        summary: 'Commit a new composition (canonical JSON or XML, FLAT, STRUCTURED)',
        params: Type.Object({ ehr_id: EhrIdParam }),
        querystring: FormatQuery,
        headers: Type.Object({ prefer: PreferHeader }),
        response: { 201: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const composition = await formats.decode(request.body, request.headers['content-type'], request.query);
      const records = request.repository.records(request.person);
      const version = await records.createComposition(composition, commitAudit(request), versionHeaders(request.headers));
      return sendVersion(reply, version, {
        accept: request.headers.accept,
        format: request.query.format,
        prefer: request.headers.prefer,
        status: 201,
      });
    },
  );

  app.put(
    '/ehr/:ehr_id/composition/:composition_uid',
    {
      config: { policy: PERSON_WRITE },
      schema: {
        tags,
        summary: 'Update a composition (If-Match: the version you read)',
        params: Type.Object({ ehr_id: EhrIdParam, composition_uid: CompositionUidParam }),
        querystring: FormatQuery,
        headers: Type.Object({ prefer: PreferHeader, 'if-match': Type.Optional(Type.String()) }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const ehrId = request.params.ehr_id.toLowerCase();
      if (request.params.composition_uid.includes('::')) {
        throw new AppError(
          'bad-request',
          'PUT takes the composition id (versioned object uid) in the URL; the version you read goes in If-Match.',
        );
      }
      const preceding = ifMatchVersion(request.headers['if-match'], 'Updating a composition');
      const composition = await formats.decode(request.body, request.headers['content-type'], request.query);
      const objectId = request.params.composition_uid;
      const version = await withLatestLocation(ehrId, () =>
        request.repository
          .records(request.person)
          .updateComposition(objectId, composition, preceding, commitAudit(request), versionHeaders(request.headers)),
      );
      return sendVersion(reply, version, {
        accept: request.headers.accept,
        format: request.query.format,
        prefer: request.headers.prefer,
        status: 200,
      });
    },
  );

  app.delete(
    '/ehr/:ehr_id/composition/:composition_uid',
    {
      config: { policy: PERSON_WRITE },
      schema: {
        tags,
        summary: 'Delete a composition (a new version with lifecycle state deleted)',
        params: Type.Object({ ehr_id: EhrIdParam, composition_uid: CompositionUidParam }),
        response: { 204: Type.Null(), ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const ehrId = request.params.ehr_id.toLowerCase();
      const version = await withLatestLocation(ehrId, () =>
        request.repository.records(request.person).deleteComposition(request.params.composition_uid, commitAudit(request)),
      );
      reply.header('Location', location(version)).header('ETag', `"${version.versionUid}"`);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/ehr/:ehr_id/composition/:composition_uid',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'Read a composition by id (latest or at a time) or by version id',
        params: Type.Object({ ehr_id: EhrIdParam, composition_uid: CompositionUidParam }),
        querystring: Type.Object({ version_at_time: VersionAtTime, format: Type.Optional(Type.String()) }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request, reply) => {
      const atTime = request.query.version_at_time;
      const version = await request.repository
        .records(request.person)
        .composition(request.params.composition_uid, atTime ? { atTime: parseVersionAtTime(atTime) } : {});
      reply.header('ETag', `"${version.versionUid}"`).header('Last-Modified', new Date(version.timeCommitted).toUTCString());
      if (!version.data) {
        // The openEHR REST API answers a deleted composition with 204 and where its last version lives.
        return reply.code(204).header('Location', location(version)).send();
      }
      const encoded = await formats.encode(version.data, request.headers.accept, request.query.format);
      return reply.type(encoded.contentType).send(encoded.body);
    },
  );

  app.get(
    '/ehr/:ehr_id/versioned_composition/:versioned_object_uid',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'Read a VERSIONED_COMPOSITION',
        params: Type.Object({ ehr_id: EhrIdParam, versioned_object_uid: Type.String() }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request) =>
      versionedObjectRepresentation(
        await request.repository.records(request.person).versionedComposition(request.params.versioned_object_uid),
      ),
  );

  app.get(
    '/ehr/:ehr_id/versioned_composition/:versioned_object_uid/revision_history',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'Revision history of a composition',
        params: Type.Object({ ehr_id: EhrIdParam, versioned_object_uid: Type.String() }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request) =>
      revisionHistory(await request.repository.records(request.person).compositionHistory(request.params.versioned_object_uid)),
  );

  app.get(
    '/ehr/:ehr_id/versioned_composition/:versioned_object_uid/version',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'The composition version current now or at a time, as an ORIGINAL_VERSION',
        params: Type.Object({ ehr_id: EhrIdParam, versioned_object_uid: Type.String() }),
        querystring: Type.Object({ version_at_time: VersionAtTime }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request) => {
      const atTime = request.query.version_at_time;
      const version = await request.repository
        .records(request.person)
        .composition(request.params.versioned_object_uid, atTime ? { atTime: parseVersionAtTime(atTime) } : {});
      return originalVersion(version);
    },
  );

  app.get(
    '/ehr/:ehr_id/versioned_composition/:versioned_object_uid/version/:version_uid',
    {
      config: { policy: PERSON_READ },
      schema: {
        tags,
        summary: 'One composition version as an ORIGINAL_VERSION',
        params: Type.Object({ ehr_id: EhrIdParam, versioned_object_uid: Type.String(), version_uid: Type.String() }),
        response: { 200: RmObject, ...openEhrErrorResponses },
      },
    },
    async (request) => {
      const uid = parseVersionReference(request.params.version_uid, 'version_uid');
      const objectId = request.params.versioned_object_uid.toLowerCase();
      if (uid.objectId !== objectId) {
        throw new AppError('bad-request', `Version ${request.params.version_uid} is not a version of ${objectId}.`);
      }
      return originalVersion(await request.repository.records(request.person).composition(request.params.version_uid));
    },
  );
};

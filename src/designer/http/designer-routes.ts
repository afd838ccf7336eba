import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors/app-error.js';
import { callerOf } from '../../api/administration/administered-change.js';
import type { RoutePolicy } from '../../http/route-policy.js';
import { problemResponses } from '../../http/schemas.js';
import type { PathwayDesignService } from '../pathway-design-service.js';
import {
  CopyBody,
  DiffSchema,
  DraftBody,
  ReviewBody,
  SummaryListSchema,
  VersionListSchema,
  VersionViewSchema,
} from './designer-schemas.js';

const tags = ['designer'];
const Key = Type.String({ pattern: '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$', maxLength: 64, description: 'the pathway id (kebab-case)' });
const KeyParams = Type.Object({ key: Key });
const VersionParams = Type.Object({ key: Key, version: Type.Integer({ minimum: 1 }) });

/**
 * The designer's API over pathway versions: list, read, draft, edit, submit, review, publish,
 * roll back, retire and compare. Every route needs `pathway:design` (tokens: the `admin` scope);
 * every change is audited by the service with the change.
 */
export const designerRoutes: FastifyPluginAsyncTypebox<{ design: PathwayDesignService }> = async (app, { design }) => {
  const config = { policy: { kind: 'permission', permission: 'pathway:design', scope: 'admin' } satisfies RoutePolicy };
  const created = { 201: VersionViewSchema, ...problemResponses };
  const changed = { 200: VersionViewSchema, ...problemResponses };

  app.get(
    '/designer/pathways',
    {
      config,
      schema: {
        tags,
        summary: 'Every pathway with its published, latest and open version',
        response: { 200: SummaryListSchema, ...problemResponses },
      },
    },
    async () => ({ pathways: await design.list() }),
  );

  app.post(
    '/designer/pathways',
    {
      config,
      schema: { tags, summary: 'Draft a new pathway from a definition (its id is the pathway key)', body: DraftBody, response: created },
    },
    async (request, reply) => {
      const id = (request.body.definition as { id?: unknown } | null)?.id;
      const key = typeof id === 'string' && /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(id) ? id : undefined;
      if (key === undefined)
        throw new AppError('unprocessable', 'The definition needs an id (kebab-case): it is the pathway key.', {
          issues: [{ path: '/definition/id', message: 'missing or not kebab-case' }],
        });
      const draft = await design.createDraft(callerOf(request), key, request.body);
      reply.code(201);
      return draft;
    },
  );

  app.get(
    '/designer/pathways/:key',
    {
      config,
      schema: {
        tags,
        summary: "A pathway's versions, newest first",
        params: KeyParams,
        response: { 200: VersionListSchema, ...problemResponses },
      },
    },
    async (request) => ({ key: request.params.key, versions: await design.versions(request.params.key) }),
  );

  app.post(
    '/designer/pathways/:key/versions',
    {
      config,
      schema: {
        tags,
        summary: 'A new draft of a pathway: a copy of one of its versions (fromVersion), or a definition',
        params: KeyParams,
        body: Type.Union([CopyBody, DraftBody]),
        response: created,
      },
    },
    async (request, reply) => {
      const draft = await design.createDraft(callerOf(request), request.params.key, request.body);
      reply.code(201);
      return draft;
    },
  );

  app.get(
    '/designer/pathways/:key/versions/:version',
    {
      config,
      schema: {
        tags,
        summary: 'One version, with the problems that would stop it being submitted or published',
        params: VersionParams,
        response: changed,
      },
    },
    async (request) => design.version(request.params.key, request.params.version),
  );

  app.put(
    '/designer/pathways/:key/versions/:version',
    {
      config,
      schema: {
        tags,
        summary: "Replace a draft's definition and safety notes (its author only)",
        params: VersionParams,
        body: DraftBody,
        response: changed,
      },
    },
    async (request) => design.updateDraft(callerOf(request), request.params.key, request.params.version, request.body),
  );

  app.post(
    '/designer/pathways/:key/versions/:version/submit',
    {
      config,
      schema: { tags, summary: 'Send a sound draft, with its clinical safety notes, for review', params: VersionParams, response: changed },
    },
    async (request) => design.submit(callerOf(request), request.params.key, request.params.version),
  );

  app.post(
    '/designer/pathways/:key/versions/:version/review',
    {
      config,
      schema: {
        tags,
        summary: 'Approve a version, or return it to its author with a note; never by its author',
        params: VersionParams,
        body: ReviewBody,
        response: changed,
      },
    },
    async (request) => design.review(callerOf(request), request.params.key, request.params.version, request.body),
  );

  app.post(
    '/designer/pathways/:key/versions/:version/publish',
    {
      config,
      schema: {
        tags,
        summary: 'Publish an approved version: in force for every user at once; the version it replaces is retired',
        params: VersionParams,
        response: changed,
      },
    },
    async (request) => design.publish(callerOf(request), request.params.key, request.params.version),
  );

  app.post(
    '/designer/pathways/:key/rollback',
    {
      config,
      schema: {
        tags,
        summary: 'Publish again, as a new version, the definition the current version replaced',
        params: KeyParams,
        response: created,
      },
    },
    async (request, reply) => {
      const restored = await design.rollBack(callerOf(request), request.params.key);
      reply.code(201);
      return restored;
    },
  );

  app.post(
    '/designer/pathways/:key/retire',
    {
      config,
      schema: {
        tags,
        summary: 'Retire the published version: no new plan takes the pathway; plans that have it still read',
        params: KeyParams,
        response: changed,
      },
    },
    async (request) => design.retire(callerOf(request), request.params.key),
  );

  app.get(
    '/designer/pathways/:key/diff',
    {
      config,
      schema: {
        tags,
        summary: 'What changed between two versions, field by field (for the reviewer)',
        params: KeyParams,
        querystring: Type.Object({
          from: Type.Integer({ minimum: 0, description: 'The version compared from; 0 is the pathway before its first version (nothing)' }),
          to: Type.Integer({ minimum: 1 }),
        }),
        response: { 200: DiffSchema, ...problemResponses },
      },
    },
    async (request) => design.diff(request.params.key, request.query.from, request.query.to),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MAX_AUDIT_PAGE_SIZE, type AuditQuery } from '../audit/audit-query.js';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../audit/audit-record.js';
import { toFhirAuditEvent } from '../audit/fhir-audit-event.js';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber } from '../nhs/nhs-number.js';
import { literals, problemResponses } from '../http/schemas.js';

export interface AuditRoutesOptions {
  systemId: string;
}

const FHIR_JSON = 'application/fhir+json';

const AuditQueryString = Type.Object({
  nhsNumber: Type.Optional(Type.String({ description: 'the person the entries are about' })),
  actorId: Type.Optional(Type.String({ description: 'the user or client who acted' })),
  action: Type.Optional(literals(AUDIT_ACTIONS)),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AUDIT_PAGE_SIZE, default: 100 })),
  cursor: Type.Optional(Type.String()),
});

const AuditPageSchema = Type.Object({
  entries: Type.Array(Type.Object({}, { additionalProperties: true })),
  nextCursor: Type.Optional(Type.String()),
});

/** What a report shows of an entry: everything but the chain's hashes. */
function reportEntry(entry: AuditEntry) {
  const { prevHash: _prevHash, hash: _hash, ...shown } = entry;
  return shown;
}

/**
 * Audit reports. An auditor (Caldicott guardian, privacy officer) sees what was done by or
 * within their own organisation — including every break-glass, their flag to follow up — and the
 * full access report of any person for a subject access request; a person sees their own.
 */
export const auditRoutes: FastifyPluginAsyncTypebox<AuditRoutesOptions> = async (app, { systemId }) => {
  app.get(
    '/audit',
    {
      config: { policy: { kind: 'permission', permission: 'audit:read', scope: 'admin' } },
      schema: {
        tags: ['audit'],
        summary: "The audit trail of the auditor's organisation, newest first (JSON, or a FHIR Bundle of AuditEvents)",
        querystring: AuditQueryString,
        response: { 200: AuditPageSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { caller } = request.repository;
      if (!caller.organisation) throw new AppError('forbidden', 'An auditor acts for an organisation; this caller acts for none.');
      const { nhsNumber } = request.query;
      if (nhsNumber !== undefined && !isValidNhsNumber(nhsNumber))
        throw new AppError('bad-request', `${nhsNumber} is not a valid NHS number.`);
      const page = await request.repository.auditReport({
        ...toQuery(request.query),
        ...(nhsNumber ? { nhsNumber } : {}),
        odsCode: caller.organisation.odsCode,
      });
      return send(reply, request.headers.accept, page.entries, page.nextCursor, systemId);
    },
  );

  app.get(
    '/people/:nhsNumber/access-report',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        tags: ['audit'],
        summary: "Who read or changed a person's record, and who was refused: for the person, or an auditor",
        params: Type.Object({ nhsNumber: Type.String({ pattern: '^\\d{10}$' }) }),
        querystring: Type.Omit(AuditQueryString, ['nhsNumber', 'actorId']),
        response: { 200: AuditPageSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { caller } = request.repository;
      const { nhsNumber } = request.params;
      if (!isValidNhsNumber(nhsNumber)) throw new AppError('bad-request', `${nhsNumber} is not a valid NHS number.`);
      const isThePerson = caller.ownNhsNumber === nhsNumber;
      if (!isThePerson && !caller.permissions.has('audit:read')) {
        throw new AppError('forbidden', "A person's access report is for that person or an auditor.");
      }
      // An auditor sees what their own organisation did, unless trusted with a wider scope.
      const wider = caller.scopes?.includes('audit:all-organisations') === true;
      const odsCode = isThePerson || wider ? undefined : caller.organisation?.odsCode;
      if (!isThePerson && !wider && odsCode === undefined) {
        throw new AppError('forbidden', 'An auditor acts for an organisation; this caller acts for none.');
      }
      const page = await request.repository.auditReport({ ...toQuery(request.query), nhsNumber, ...(odsCode ? { odsCode } : {}) });
      return send(reply, request.headers.accept, page.entries, page.nextCursor, systemId);
    },
  );
};

function toQuery(query: {
  actorId?: string;
  action?: AuditAction;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}): AuditQuery {
  return {
    limit: query.limit ?? 100,
    ...(query.actorId ? { actorId: query.actorId } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.from ? { from: new Date(query.from) } : {}),
    ...(query.to ? { to: new Date(query.to) } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
  };
}

function send(
  reply: { type(type: string): { send(body: unknown): unknown } },
  accept: string | undefined,
  entries: AuditEntry[],
  nextCursor: string | undefined,
  systemId: string,
) {
  if (accept?.includes(FHIR_JSON)) {
    // Sent as text: the route's response schema describes the JSON report, not a FHIR Bundle.
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: entries.length,
      entry: entries.map((entry) => ({ resource: toFhirAuditEvent(entry, { systemId }) })),
    };
    return reply.type(FHIR_JSON).send(JSON.stringify(bundle));
  }
  return reply.type('application/json').send({ entries: entries.map(reportEntry), ...(nextCursor ? { nextCursor } : {}) });
}

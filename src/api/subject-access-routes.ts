import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appendAuditNow } from '../audit/audit-log.js';
import { auditRecordFor } from '../audit/audit-record.js';
import type { CarePlanService } from '../careplan/care-plan-service.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber } from '../nhs/nhs-number.js';
import { problemResponses } from '../http/schemas.js';
import { subjectAccessExport } from './subject-access-export.js';

export interface SubjectAccessRoutesOptions {
  db: Database;
  plans: CarePlanService;
}

/**
 * A subject access request: everything held about one person in one download — the openEHR EHR
 * extract, the FHIR resources, and the whole audit trail about them. For the person themselves,
 * or for an auditor trusted with every organisation (`audit:all-organisations`: the information
 * governance team that answers requests for the platform). Every export is audited.
 */
export const subjectAccessRoutes: FastifyPluginAsyncTypebox<SubjectAccessRoutesOptions> = async (app, { db, plans }) => {
  app.get(
    '/people/:nhsNumber/subject-access-export',
    {
      config: { policy: { kind: 'authenticated' } },
      schema: {
        tags: ['audit'],
        summary: 'Everything held about a person (openEHR EHR extract, FHIR Bundle, audit trail): for the person, or a trusted auditor',
        params: Type.Object({ nhsNumber: Type.String({ pattern: '^\\d{10}$' }) }),
        response: { 200: Type.Object({}, { additionalProperties: true }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const caller = request.caller;
      if (!caller) throw new AppError('unauthenticated', 'Sign in first.');
      const { nhsNumber } = request.params;
      if (!isValidNhsNumber(nhsNumber)) throw new AppError('bad-request', `${nhsNumber} is not a valid NHS number.`);
      const isThePerson = caller.ownNhsNumber === nhsNumber;
      const trustedAuditor = caller.permissions.has('audit:read') && caller.scopes?.includes('audit:all-organisations') === true;
      if (!isThePerson && !trustedAuditor) {
        throw new AppError(
          'forbidden',
          'A subject access export is for the person, or an auditor trusted with every organisation (audit:all-organisations).',
        );
      }
      const exported = await subjectAccessExport(db, plans, nhsNumber);
      await appendAuditNow(
        db,
        auditRecordFor(caller, {
          action: 'read',
          nhsNumber,
          ...(exported.openehr ? { ehrId: exported.openehr.ehrId } : {}),
          resource: { type: 'subject-access-export', id: nhsNumber },
          detail: {
            versions: exported.openehr?.versions.length ?? 0,
            fhirResources: exported.fhir.entry?.length ?? 0,
            auditEntries: exported.access.length,
          },
        }),
      );
      return reply
        .header('content-disposition', `attachment; filename="subject-access-${nhsNumber}.json"`)
        .header('cache-control', 'no-store')
        .send(exported);
    },
  );
};

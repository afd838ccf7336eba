import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber } from '../nhs/nhs-number.js';
import { problemResponses } from '../http/schemas.js';
import type { SubjectAccessExporter } from './subject-access-export.js';

export interface SubjectAccessRoutesOptions {
  exporter: SubjectAccessExporter;
}

/**
 * A subject access request: everything held about one person in one download — the openEHR EHR
 * extract, the FHIR resources, and the whole audit trail about them. For the person themselves,
 * or for an auditor trusted with every organisation (`audit:all-organisations`: the information
 * governance team that answers requests for the platform). Every export is audited.
 */
export const subjectAccessRoutes: FastifyPluginAsyncTypebox<SubjectAccessRoutesOptions> = async (app, { exporter }) => {
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
      const { nhsNumber } = request.params;
      if (!isValidNhsNumber(nhsNumber)) throw new AppError('bad-request', `${nhsNumber} is not a valid NHS number.`);
      const exported = await exporter.export(request.repository, nhsNumber);
      return reply
        .header('content-disposition', `attachment; filename="subject-access-${nhsNumber}.json"`)
        .header('cache-control', 'no-store')
        .send(exported);
    },
  );
};

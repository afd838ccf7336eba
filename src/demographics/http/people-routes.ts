import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../../http/schemas.js';
import type { DemographicsService } from '../demographics-service.js';
import { identityOf } from '../person-identity.js';
import { personView } from './person-view.js';
import { RegisteredGpCorrectionRefused } from '../registered-gp-correction.js';
import { NhsNumberParams, PeopleSearchQuery, PeopleSearchResult, PersonSchema, RegisteredGpCorrectionBody } from './people-schemas.js';

export interface PeopleRoutesOptions {
  demographics: DemographicsService;
}

const TAG = 'people';

/**
 * The people API (/api/people): a person's identity from the national demographics service.
 * Thin by design: the policy point decides access (by the NHS number in the path) and audits the
 * read; the service does the rest.
 */
export const peopleRoutes: FastifyPluginAsyncTypebox<PeopleRoutesOptions> = async (app, { demographics }) => {
  app.get(
    '/people/:nhs_number',
    {
      config: { policy: { kind: 'person', action: 'read', by: 'nhs_number', scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary: "A person's identity: name, date of birth, gender, address, contacts, registered GP, death, and where their plan is",
        params: NhsNumberParams,
        response: { 200: PersonSchema, ...problemResponses },
      },
    },
    async (request) => {
      const person = await demographics.lookup(request.person.nhsNumber || request.params.nhs_number, {
        correlationId: request.id,
        log: request.log,
      });
      return personView(identityOf(person), 'read');
    },
  );

  app.get(
    '/people',
    {
      config: { policy: { kind: 'permission', permission: 'plan:read', scope: 'plan:read' } },
      schema: {
        tags: [TAG],
        summary: 'Find a person by name and date of birth (identity only; audited as a search)',
        querystring: PeopleSearchQuery,
        response: { 200: PeopleSearchResult, ...problemResponses },
      },
    },
    async (request) => {
      const { family, given, birthdate, gender, postcode } = request.query;
      const answer = await demographics.search(
        request.repository.caller,
        { family, given, birthDate: birthdate, gender, postcode },
        { correlationId: request.id, log: request.log },
      );
      return { people: answer.people.map((person) => personView(person, 'search')) };
    },
  );

  app.post(
    '/people/:nhs_number/registered-gp/correction',
    {
      // Who may is decided on the practice the record names now (access/registered-gp-correction-right.ts).
      config: { policy: { kind: 'permission', permission: ['org:manage-users', 'platform:admin'], scope: 'admin' } },
      schema: {
        tags: [TAG],
        summary:
          "Correct a wrong registered GP practice, with a reason: a new demographics version, the registered-GP relationship moves (audited in the person's access report)",
        params: NhsNumberParams,
        body: RegisteredGpCorrectionBody,
        response: { 200: PersonSchema, ...problemResponses },
      },
    },
    async (request) => {
      const nhsNumber = request.params.nhs_number;
      const { repository } = request;
      try {
        const person = await demographics.correctRegisteredGp(
          repository.caller,
          { nhsNumber, odsCode: request.body.odsCode, reason: request.body.reason.trim() },
          { correlationId: request.id, log: request.log },
        );
        return personView(identityOf(person), 'read');
      } catch (error) {
        if (error instanceof RegisteredGpCorrectionRefused) {
          return repository.refuse(error.explanation, { ehrId: '', nhsNumber, breakGlassPossible: false });
        }
        throw error;
      }
    },
  );
};

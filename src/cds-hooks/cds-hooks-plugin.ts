import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../errors/app-error.js';
import type { SystemTokenVerifier } from '../integration/registered-systems.js';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '../nhs/nhs-number.js';
import type { Repositories } from '../repository/repository.js';
import type { EmergencySummaryLookup } from './emergency-summary-lookup.js';
import type { RegisteredSystemCallers } from './registered-system-callers.js';
import { patientViewCard, planExistsCard, type CdsCard } from './patient-view-cards.js';

export interface CdsHooksOptions {
  publicUrl: string;
  verifier: SystemTokenVerifier;
  /** The caller a verified record system acts as. */
  callers: RegisteredSystemCallers;
  /** The door to people's data, bound to that caller: the access decision and its audit. */
  repositories: Repositories;
  lookup: EmergencySummaryLookup;
}

export const PATIENT_VIEW_SERVICE = 'ucp-patient-view';
const TAGS = ['CDS Hooks'];
const PUBLIC = { kind: 'public', reason: 'CDS Hooks: discovery is public; services verify the caller’s own signed JWT' } as const;

const HookRequest = Type.Object(
  {
    hook: Type.Literal('patient-view'),
    hookInstance: Type.String(),
    fhirServer: Type.Optional(Type.String()),
    context: Type.Object(
      { userId: Type.String(), patientId: Type.String(), encounterId: Type.Optional(Type.String()) },
      { additionalProperties: true },
    ),
    prefetch: Type.Optional(Type.Object({ patient: Type.Optional(Type.Any()) }, { additionalProperties: true })),
  },
  { additionalProperties: true },
);
const Card = Type.Object({}, { additionalProperties: true });

/**
 * CDS Hooks 2.0 at /cds-services: discovery, and `patient-view` — when a record system opens a
 * person, it gets a card if that person has a published plan. The caller is a registered system
 * authenticated by the JWT it signs (keys from its JWKS URL); the person is found by the NHS
 * number of the prefetched Patient (or a patientId that is one), and the access decision and
 * audit apply to the system as to any caller.
 */
export const cdsHooksPlugin: FastifyPluginAsyncTypebox<CdsHooksOptions> = async (app, options) => {
  const { publicUrl } = options;
  const origin = `POST /cds-services/${PATIENT_VIEW_SERVICE}`;
  const serviceUrl = `${publicUrl}/cds-services`;
  app.get(
    '/cds-services',
    {
      config: { policy: PUBLIC },
      schema: { tags: TAGS, summary: 'CDS Hooks discovery', response: { 200: Type.Object({ services: Type.Array(Card) }) } },
    },
    async () => ({
      services: [
        {
          hook: 'patient-view',
          id: PATIENT_VIEW_SERVICE,
          title: 'Urgent care plan',
          description:
            'Shows whether the person has an urgent care plan: the CPR recommendation, the focus of care, and a link that opens the plan.',
          prefetch: { patient: 'Patient/{{context.patientId}}' },
        },
      ],
    }),
  );

  app.post(
    `/cds-services/${PATIENT_VIEW_SERVICE}`,
    {
      config: { policy: PUBLIC },
      schema: {
        tags: TAGS,
        summary: 'patient-view: a card when the person has an urgent care plan',
        body: HookRequest,
        response: { 200: Type.Object({ cards: Type.Array(Card) }) },
      },
    },
    async (request) => {
      const token = /^Bearer +(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!token)
        throw new AppError(
          'unauthenticated',
          'Send the signed JWT of your registered system as Authorization: Bearer <jwt> (CDS Hooks 2.0).',
          { headers: { 'www-authenticate': 'Bearer realm="ucp"' } },
        );
      const verified = await options.verifier.verify(token, 'cds-hooks', `${serviceUrl}/${PATIENT_VIEW_SERVICE}`);
      const caller = await options.callers.callerFor(verified, request.ip);
      const nhsNumber = nhsNumberOf(request.body.prefetch?.patient, request.body.context.patientId);
      if (!nhsNumber) return { cards: [] };
      const repository = options.repositories.forCaller(caller, { origin });
      const person = await repository.decide({ nhsNumber }, 'read');
      const summary = await options.lookup.byEhrId(person.ehrId);
      if (!summary) return { cards: [] };
      const links = {
        smartLaunchUrl: `${publicUrl}/smart/launch`,
        planUrl: `${publicUrl}/people/${nhsNumber}`,
        serviceUrl,
      };
      let cards: CdsCard[] = [];
      if (person.decision.allowed) cards = [patientViewCard(summary, links)];
      else if (person.decision.breakGlassPossible) cards = [planExistsCard(links, person.ehrId)];
      await repository.auditDecision(
        person,
        { type: 'cds-hooks', id: PATIENT_VIEW_SERVICE },
        { hookInstance: request.body.hookInstance, userId: request.body.context.userId.slice(0, 200), cards: cards.length },
      );
      return { cards };
    },
  );
};

function nhsNumberOf(patient: unknown, patientId: string): string | undefined {
  const identifiers = (patient as { identifier?: { system?: string; value?: string }[] } | undefined)?.identifier ?? [];
  const fromPrefetch = identifiers.find((identifier) => identifier.system === NHS_NUMBER_SYSTEM)?.value?.replace(/\s/g, '');
  if (fromPrefetch && isValidNhsNumber(fromPrefetch)) return fromPrefetch;
  return isValidNhsNumber(patientId) ? patientId : undefined;
}

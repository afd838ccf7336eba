import type { Static } from 'typebox';
import type { EmbeddedFormSchema } from '../../../src/careplan/http/care-plan-schemas';
import type { FormDefinition } from './care-plan-api';
import { getJson } from './http';

type ServedEmbeddedForm = Static<typeof EmbeddedFormSchema>;
type ServedModule = ServedEmbeddedForm['pathway']['modules'][number];

/**
 * An embedded form (GET /api/embed/people/:nhs_number/pathways/:pathway; src/careplan/http/care-plan-embed-routes.ts),
 * typed by its schema; `plan` is the person's current plan, its sections of this pathway only (null when they have none).
 * The schema serves each form as unknown: it is the server's FormDefinition (as care-plan-api's Pathway reads it).
 */
export type EmbeddedForm = Omit<ServedEmbeddedForm, 'pathway'> & {
  pathway: Omit<ServedEmbeddedForm['pathway'], 'modules'> & { modules: (Omit<ServedModule, 'form'> & { form: FormDefinition })[] };
};

/**
 * Read through the embedded session's own cookie, which the record system's launch set: a 401
 * means the launch is over, not that the web app's session ended.
 */
export function embeddedForm(pathway: string, nhsNumber: string): Promise<EmbeddedForm> {
  return getJson<EmbeddedForm>(`/api/embed/people/${encodeURIComponent(nhsNumber)}/pathways/${encodeURIComponent(pathway)}`, {
    expectUnauthenticated: true,
  });
}

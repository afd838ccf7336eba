import type { FormDefinition, PlanView } from './care-plan-api';
import { getJson } from './http';
import type { FormRule } from '../plan-form/form-rules';

/** An embedded form (GET /api/embed/people/:nhs_number/pathways/:pathway; src/careplan/http/care-plan-embed-routes.ts). */
export interface EmbeddedForm {
  nhsNumber: string;
  pathway: {
    id: string;
    title: string;
    modules: { id: string; title: string; templateId: string; form: FormDefinition; rules: FormRule[] }[];
  };
  /** The person's current plan, its sections of this pathway only; null when they have none. */
  plan: PlanView | null;
}

/**
 * Read through the embedded session's own cookie, which the record system's launch set: a 401
 * means the launch is over, not that the web app's session ended.
 */
export function embeddedForm(pathway: string, nhsNumber: string): Promise<EmbeddedForm> {
  return getJson<EmbeddedForm>(`/api/embed/people/${encodeURIComponent(nhsNumber)}/pathways/${encodeURIComponent(pathway)}`, {
    expectUnauthenticated: true,
  });
}

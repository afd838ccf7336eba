import type { FormDefinition } from './care-plan-api';
import { getJson, request } from './http';

/**
 * The template composer's API (/api/designer/templates and /api/designer/archetypes, permission
 * pathway:design), typed as its schemas (src/designer/http/template-composer-routes.ts) give it.
 */

export interface TemplateRevision {
  templateId: string;
  version: number;
  concept: string;
  current: boolean;
  createdAt: string;
  uploadedBy: { id: string; name: string } | null;
}

export interface TemplateTreeNode {
  path: string;
  name: string;
  rmType: string;
  nodeId?: string;
  min: number;
  /** -1: unbounded. */
  max: number;
  valueType?: string;
  children: TemplateTreeNode[];
}

export interface CatalogueNode {
  key: string;
  rmType: string;
  text: string;
  description: string;
  valueType?: string;
  occurrences: string;
  children?: CatalogueNode[];
  /** The node as a template description holds it: what an `add` edit adds. */
  definition: Record<string, unknown>;
}

export interface CatalogueArchetype {
  archetypeId: string;
  rmType: string;
  text: string;
  description: string;
  local: boolean;
  usedBy: string[];
  nodes: CatalogueNode[];
  definition: Record<string, unknown>;
}

export type TemplateEdit =
  | { op: 'rename'; path: string; name: string }
  | { op: 'occurrences'; path: string; occurrences: string }
  | { op: 'remove'; path: string }
  | { op: 'add'; parent: string; node: Record<string, unknown> };

export interface NewTemplate {
  templateId: string;
  name: string;
  purpose: string;
  composition: string;
  entries: { archetypeId: string; nodes?: string[] }[];
}

const base = '/api/designer/templates';
const path = (templateId: string) => `${base}/${encodeURIComponent(templateId)}`;

export async function composerTemplates(): Promise<TemplateRevision[]> {
  return (await getJson<{ templates: TemplateRevision[] }>(base)).templates;
}

export async function templateRevisions(templateId: string): Promise<TemplateRevision[]> {
  return (await getJson<{ revisions: TemplateRevision[] }>(`${path(templateId)}/revisions`)).revisions;
}

export function templateTree(templateId: string): Promise<{ version: number; composable: boolean; tree: TemplateTreeNode }> {
  return getJson(`${path(templateId)}/tree`);
}

export async function archetypeCatalogue(): Promise<CatalogueArchetype[]> {
  return (await getJson<{ archetypes: CatalogueArchetype[] }>('/api/designer/archetypes')).archetypes;
}

export async function reviseTemplate(templateId: string, edits: TemplateEdit[]): Promise<TemplateRevision> {
  return (await request<{ revision: TemplateRevision }>(`${path(templateId)}/revisions`, { method: 'POST', body: { edits } })).body
    .revision;
}

export async function createTemplate(template: NewTemplate): Promise<TemplateRevision> {
  return (await request<{ revision: TemplateRevision }>(base, { method: 'POST', body: template })).body.revision;
}

/** The form a template generates (no overrides): for a pathway draft on a template no published pathway uses yet. */
export async function templateForm(templateId: string): Promise<FormDefinition> {
  return (await getJson<{ form: FormDefinition }>(`${path(templateId)}/form`)).form;
}

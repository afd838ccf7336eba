import type { Static } from 'typebox';
import type {
  CatalogueArchetype as CatalogueArchetypeSchema,
  CatalogueNode as CatalogueNodeSchema,
  CreatedTemplateSchema,
  Edit,
  NewTemplateBody,
  ReviseBody,
  RevisedTemplateSchema,
  Revision,
  RevisionListSchema,
  TemplateListSchema,
  TemplateTreeSchema,
  TreeNode,
} from '../../../src/designer/http/template-composer-schemas';
import type { FormDefinition } from './care-plan-api';
import { getJson, request } from './http';

/**
 * The template composer's API (/api/designer/templates and /api/designer/archetypes, permission
 * pathway:design), typed as its schemas (src/designer/http/template-composer-schemas.ts) give it.
 */

export type TemplateRevision = Static<typeof Revision>;

// The schemas give a node's children as unknown (the tree nests without end, which they do not
// spell out); they are nodes of the same shape, so the web types them so.
export type TemplateTreeNode = Omit<Static<typeof TreeNode>, 'children'> & { children: TemplateTreeNode[] };
export type CatalogueNode = Omit<Static<typeof CatalogueNodeSchema>, 'children'> & { children?: CatalogueNode[] };
export type CatalogueArchetype = Omit<Static<typeof CatalogueArchetypeSchema>, 'nodes'> & { nodes: CatalogueNode[] };

export type TemplateEdit = Static<typeof Edit>;

export type NewTemplate = Static<typeof NewTemplateBody>;

const base = '/api/designer/templates';
const path = (templateId: string) => `${base}/${encodeURIComponent(templateId)}`;

export async function composerTemplates(): Promise<TemplateRevision[]> {
  return (await getJson<Static<typeof TemplateListSchema>>(base)).templates;
}

export async function templateRevisions(templateId: string): Promise<TemplateRevision[]> {
  return (await getJson<Static<typeof RevisionListSchema>>(`${path(templateId)}/revisions`)).revisions;
}

export function templateTree(templateId: string): Promise<Omit<Static<typeof TemplateTreeSchema>, 'tree'> & { tree: TemplateTreeNode }> {
  return getJson(`${path(templateId)}/tree`);
}

export async function archetypeCatalogue(): Promise<CatalogueArchetype[]> {
  return (await getJson<{ archetypes: CatalogueArchetype[] }>('/api/designer/archetypes')).archetypes;
}

export async function reviseTemplate(templateId: string, edits: TemplateEdit[]): Promise<TemplateRevision> {
  const body: Static<typeof ReviseBody> = { edits };
  return (await request<Static<typeof RevisedTemplateSchema>>(`${path(templateId)}/revisions`, { method: 'POST', body })).body.revision;
}

export async function createTemplate(template: NewTemplate): Promise<TemplateRevision> {
  return (await request<Static<typeof CreatedTemplateSchema>>(base, { method: 'POST', body: template })).body.revision;
}

/**
 * The form a template generates (no overrides): for a pathway draft on a template no published pathway uses yet.
 * The schema serves it as unknown; it is the server's FormDefinition (as care-plan-api's Pathway reads it).
 */
export async function templateForm(templateId: string): Promise<FormDefinition> {
  return (await getJson<{ form: FormDefinition }>(`${path(templateId)}/form`)).form;
}

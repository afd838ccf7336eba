import { readdir, readFile } from 'node:fs/promises';
import { AppError } from '../../errors/app-error.js';
import type { TemplateService } from '../../openehr/service/template-service.js';
import type { PlanCatalogue } from './plan-catalogue.js';

/**
 * Where the operational templates of the plan are kept: the project's templates first, then the
 * published templates carried with the openEHR fixtures (ReSPECT, the IDCR lists).
 */
export const CARE_PLAN_TEMPLATE_DIRECTORIES: readonly URL[] = [
  new URL('../../../templates/opt/', import.meta.url),
  new URL('../../../test/fixtures/openehr/respect-nes/Templates/', import.meta.url),
  new URL('../../../test/fixtures/openehr/ehrbase-server/', import.meta.url),
  new URL('../../../test/fixtures/openehr/ehrbase-openEHR_SDK/operationaltemplate/', import.meta.url),
];

const TEMPLATE_ID = /<template_id>\s*<value>([^<]+)<\/value>/;

/** Template id → OPT file, the first directory that has it winning. */
export async function indexTemplateFiles(directories: readonly URL[] = CARE_PLAN_TEMPLATE_DIRECTORIES): Promise<Map<string, URL>> {
  const found = new Map<string, URL>();
  for (const directory of directories) {
    let files: string[];
    try {
      files = await readdir(directory);
    } catch {
      continue;
    }
    for (const file of files.filter((name) => name.endsWith('.opt')).sort()) {
      const url = new URL(encodeURIComponent(file), directory);
      const id = TEMPLATE_ID.exec(await readFile(url, 'utf8'))?.[1]?.trim();
      if (id && !found.has(id)) found.set(id, url);
    }
  }
  return found;
}

/**
 * Uploads every template the plan catalogue needs that the repository does not have yet, so a
 * fresh installation can hold plans at once. Returns the ids uploaded; a template that is nowhere
 * to be found is an error (the plan could not be written).
 */
export async function installCarePlanTemplates(templates: TemplateService, catalogue: PlanCatalogue, directories?: readonly URL[]): Promise<string[]> {
  const missing: string[] = [];
  for (const templateId of catalogue.templateIds()) {
    if (!(await templates.find(templateId))) missing.push(templateId);
  }
  if (missing.length === 0) return [];
  const files = await indexTemplateFiles(directories);
  const uploaded: string[] = [];
  for (const templateId of missing) {
    const file = files.get(templateId);
    if (!file) throw new Error(`care plan template ${templateId} is not installed and no OPT file has it`);
    try {
      await templates.upload(await readFile(file, 'utf8'));
      uploaded.push(templateId);
    } catch (error) {
      // Another instance uploaded it at the same moment.
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    }
  }
  return uploaded;
}

import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { AppError } from '../../errors/app-error.js';
import { buildExampleFlat } from '../../openehr/example/index.js';
import { createCompositionValidator } from '../../openehr/service/composition-validator.js';
import { TemplateService } from '../../openehr/service/template-service.js';
import { compileTemplate } from '../../openehr/template-builder/index.js';
import type { FormField, FormSection } from './form-definition.js';
import { loadPathways, loadUcpTemplates } from './load-pathways.js';
import { UCP_TEMPLATES_ROOT } from './compile-template-descriptions.js';

const NOW = '2026-12-04T10:00:00Z';

function fields(items: readonly (FormField | FormSection)[]): FormField[] {
  return items.flatMap((item) => (item.kind === 'field' ? [item] : fields(item.children)));
}

/** A copy of templates/ in a temporary folder, to add to or break. */
async function copyOfTemplates(): Promise<{ root: URL; folder: string }> {
  const folder = await mkdtemp(join(tmpdir(), 'ucp-templates-'));
  await cp(new URL('opt/', UCP_TEMPLATES_ROOT), join(folder, 'opt'), { recursive: true });
  await cp(new URL('pathways/', UCP_TEMPLATES_ROOT), join(folder, 'pathways'), { recursive: true });
  return { root: pathToFileURL(`${folder}/`), folder };
}

async function problemsOf(root: URL): Promise<string> {
  try {
    await loadPathways(root);
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
  return '';
}

describe('loadPathways', () => {
  it('loads the core pathway and the three pathway modules, with a form for every template', async () => {
    const loaded = await loadPathways();
    expect(loaded.core.id).toBe('end-of-life');
    expect(loaded.core.headerTemplateId).toBe('UCP - Plan.v1');
    expect(loaded.pathways.map((pathway) => pathway.id).sort()).toEqual([
      'end-of-life',
      'frailty',
      'learning-disability-autism',
      'sickle-cell',
    ]);
    expect(loaded.core.modules.map((module) => module.templateId)).toEqual([
      'UCP - About me.v1',
      'UCP - Support.v1',
      'ReSPECT-3.v0',
      'IDCR - End of Life Patient Preferences.v0',
      'IDCR - Relevant contacts.v0',
      'Adverse Reaction List.v1',
      'IDCR - Problem List.v1',
      'IDCR - Medication Statement List.v0',
    ]);
    // The ReSPECT form is a decision as a whole; the preferences module holds the person's wishes, its
    // CPR and advance decisions guarded entry by entry (the repository's senior-decision rule).
    expect(loaded.core.modules.filter((module) => module.seniorDecision).map((module) => module.id)).toEqual(['respect']);
    // Every template has a form, but the one of the demo's designer-made pathway (src/demo/demo-pathways.ts): it is not shipped as a file.
    const designerMade = ['UCP - Mental health crisis plan.v1'];
    expect([...loaded.forms.keys()].sort()).toEqual([...loaded.templates.keys()].filter((id) => !designerMade.includes(id)).sort());
  });

  it('generates a usable form for every template: labelled fields on FLAT paths the template has, options for every choice', async () => {
    const loaded = await loadPathways();
    for (const [templateId, form] of loaded.forms) {
      const template = loaded.templates.get(templateId);
      if (template === undefined) throw new Error(`no template ${templateId}`);
      const keys = Object.keys(buildExampleFlat(template.webTemplate, { now: NOW }));
      const all = fields(form.sections);
      expect(form.sections.length, templateId).toBeGreaterThan(0);
      expect(all.length, templateId).toBeGreaterThan(2);
      for (const field of all) {
        expect(field.label.trim(), field.path).not.toBe('');
        expect(field.path.startsWith(`${form.root}/`), field.path).toBe(true);
        if (field.input === 'select' || field.input === 'ordinal') expect(field.options?.length ?? 0, field.path).toBeGreaterThan(0);
        if (field.input === 'quantity') expect(field.units?.length ?? 0, field.path).toBeGreaterThan(0);
      }
      // Every field is a node the FLAT format writes: the example composition (built independently from the web template) has it.
      const unwritten = all.filter(
        (field) => !keys.some((key) => key === field.path || key.startsWith(`${field.path}|`) || key.startsWith(`${field.path}/`)),
      );
      expect(
        unwritten.map((field) => field.path),
        templateId,
      ).toEqual([]);
    }
  });

  it('gives the form of the plan header its coded options and required fields', async () => {
    const form = (await loadPathways()).forms.get('UCP - Plan.v1');
    const status = fields(form?.sections ?? []).find((field) => field.path === 'urgent_care_plan/plan_status/status');
    expect(status).toMatchObject({ input: 'select', required: true, repeatable: false });
    expect(status?.options?.map((option) => option.label)).toEqual(['Draft', 'Awaiting approval', 'Published', 'Closed']);
    const consent = fields(form?.sections ?? []).find((field) => field.path === 'urgent_care_plan/consent_to_share/consent_status');
    expect(consent?.options?.map((option) => `${option.terminology}::${option.value}`)).toContain('SNOMED-CT::882921000000109');
  });

  it('applies form overrides: labels, help, hidden fields and section order', async () => {
    const { root, folder } = await copyOfTemplates();
    try {
      const file = join(folder, 'pathways', 'frailty.json');
      const pathway = JSON.parse(await readFile(file, 'utf8')) as { modules: Record<string, unknown>[] };
      pathway.modules[0] = {
        ...pathway.modules[0],
        form: {
          labels: { 'frailty/falls_history/falls_in_the_last_12_months': 'Falls this year' },
          help: { 'frailty/falls_history/falls_alarm': 'A pendant alarm or similar.' },
          hidden: ['frailty/delirium_risk', 'frailty/falls_history/falls_history'],
          order: ['frailty/frailty_response_plan'],
        },
      };
      await writeFile(file, JSON.stringify(pathway));
      const form = (await loadPathways(root)).forms.get('UCP - Frailty.v1');
      expect(form?.sections.map((section) => section.path)).toEqual([
        'frailty/frailty_response_plan',
        'frailty/clinical_frailty_scale',
        'frailty/falls_history',
        'frailty/mobility',
      ]);
      const falls = fields(form?.sections ?? []).filter((field) => field.path.startsWith('frailty/falls_history/'));
      expect(falls.find((field) => field.path.endsWith('/falls_in_the_last_12_months'))?.label).toBe('Falls this year');
      expect(falls.find((field) => field.path.endsWith('/falls_alarm'))?.help).toBe('A pendant alarm or similar.');
      expect(falls.some((field) => field.path.endsWith('/falls_history'))).toBe(false);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('adds a pathway from a JSON file and an OPT alone', async () => {
    const { root, folder } = await copyOfTemplates();
    try {
      const description = {
        templateId: 'UCP - Heart failure.v1',
        concept: 'UCP - Heart failure',
        language: 'en',
        description: { purpose: 'A test pathway module.', author: { name: 'Test', date: '2026-12-04' } },
        localArchetypes: ['openEHR-EHR-EVALUATION.ucp_heart_failure.v0'],
        root: {
          archetypeId: 'openEHR-EHR-COMPOSITION.care_plan.v0',
          text: 'Care plan',
          description: 'A written plan of care for a person.',
          rename: 'Heart failure',
          category: 'persistent',
          content: [
            {
              rmType: 'EVALUATION',
              archetypeId: 'openEHR-EHR-EVALUATION.ucp_heart_failure.v0',
              text: 'Heart failure plan',
              description: 'What to do when breathless.',
              data: { code: 'at0001' },
              items: [
                {
                  rmType: 'ELEMENT',
                  code: 'at0002',
                  text: 'Dry weight',
                  description: 'Usual weight.',
                  value: { type: 'DV_QUANTITY', units: [{ units: 'kg', min: 20, max: 300 }] },
                },
                {
                  rmType: 'ELEMENT',
                  code: 'at0003',
                  text: 'Diuretic plan',
                  description: 'Extra diuretic when weight rises.',
                  value: { type: 'DV_TEXT' },
                },
                {
                  rmType: 'ELEMENT',
                  code: 'at0004',
                  text: 'Lives with a device',
                  description: 'Pacemaker or ICD.',
                  value: { type: 'DV_BOOLEAN' },
                },
              ],
            },
          ],
        },
      };
      await writeFile(join(folder, 'opt', 'UCP - Heart failure.v1.opt'), compileTemplate(description));
      await writeFile(
        join(folder, 'pathways', 'heart-failure.json'),
        JSON.stringify({
          id: 'heart-failure',
          title: 'Heart failure',
          description: 'For a person with heart failure.',
          approval: 'clinician',
          modules: [
            { id: 'heart-failure', title: 'Heart failure', templateId: 'UCP - Heart failure.v1', kind: 'clinical', seniorDecision: false },
          ],
        }),
      );
      const loaded = await loadPathways(root);
      const pathway = loaded.pathways.find((candidate) => candidate.id === 'heart-failure');
      expect(pathway?.reviewMaxMonths).toBe(12);
      const form = loaded.forms.get('UCP - Heart failure.v1');
      expect(fields(form?.sections ?? []).map((field) => `${field.path} ${field.input}`)).toEqual([
        'heart_failure/heart_failure_plan/dry_weight quantity',
        'heart_failure/heart_failure_plan/diuretic_plan text',
        'heart_failure/heart_failure_plan/lives_with_a_device boolean',
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses unsound definitions, listing every problem with its file', async () => {
    const { root, folder } = await copyOfTemplates();
    try {
      const core = JSON.parse(await readFile(join(folder, 'pathways', 'end-of-life.json'), 'utf8')) as {
        modules: Record<string, unknown>[];
      };
      core.modules = core.modules.map((module) =>
        module['id'] === 'respect'
          ? { ...module, seniorDecision: false }
          : module['id'] === 'contacts'
            ? { ...module, templateId: 'Nowhere.v1' }
            : module,
      );
      core.modules.push({
        id: 'about-me',
        title: 'Twice',
        templateId: 'UCP - Frailty.v1',
        kind: 'clinical',
        seniorDecision: false,
        form: { hidden: ['frailty/no_such_section'] },
      });
      await writeFile(join(folder, 'pathways', 'end-of-life.json'), JSON.stringify(core));
      await writeFile(join(folder, 'pathways', 'broken.json'), JSON.stringify({ id: 'Broken Id', title: '', modules: [] }));
      const message = await problemsOf(root);
      expect(message).toContain('broken.json/id: ');
      expect(message).toContain('broken.json/modules: ');
      expect(message).toContain(
        'end-of-life.json/modules/2: ReSPECT-3.v0 records a ReSPECT form, whose recommendations are a senior decision, so the module must be one',
      );
      expect(message).toContain('end-of-life.json/modules/4: template Nowhere.v1 is not in templates/opt');
      expect(message).toContain('end-of-life.json/modules/8: module id about-me is already used by pathway end-of-life');
      expect(message).toContain('end-of-life.json/modules/8/form: frailty/no_such_section is not a section or field of UCP - Frailty.v1');
      expect(message).toContain('frailty.json/modules/0: template UCP - Frailty.v1 is already a module of another pathway');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('loadUcpTemplates', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.drop();
  });

  it('uploads every template the repository lacks, once; each then compiles and validates through the template service', async () => {
    const service = new TemplateService(test.db, createCompositionValidator);
    const loaded = await loadPathways();
    const first = await loadUcpTemplates(service);
    expect(first.sort()).toEqual([...loaded.templates.keys()].sort());
    expect(await loadUcpTemplates(service)).toEqual([]);
    for (const templateId of first) {
      const compiled = await service.get(templateId);
      expect(compiled.webTemplate.templateId).toBe(templateId);
    }
  });

  it('installs a changed file as a revision of its template and leaves the others alone', async () => {
    const service = new TemplateService(test.db, createCompositionValidator);
    await loadUcpTemplates(service);
    const { root, folder } = await copyOfTemplates();
    try {
      const [file] = (await readdir(join(folder, 'opt'))).filter((name) => name.endsWith('.opt')).sort();
      if (!file) throw new Error('templates/opt is empty');
      const path = join(folder, 'opt', file);
      await writeFile(path, `${await readFile(path, 'utf8')}\n<!-- revised -->\n`);
      const revised = await loadUcpTemplates(service, root);
      expect(revised).toHaveLength(1);
      const [templateId] = revised;
      const current = await service.list();
      expect(current.length).toBeGreaterThan(1);
      for (const template of current)
        expect([template.templateId, template.version]).toEqual([template.templateId, template.templateId === templateId ? 2 : 1]);
      expect(await loadUcpTemplates(service, root)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

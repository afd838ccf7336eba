import { describe, expect, it } from 'vitest';
import { readUcpTemplates } from '../careplan/pathway/index.js';
import { coreCatalogue } from '../careplan/catalogue/core-catalogue.js';
import { flatToComposition, skippedNodesFromTemplate } from '../openehr/flat/index.js';
import type { OperationalTemplate, WebTemplate } from '../openehr/template/index.js';
import { validateComposition } from '../openehr/validation/index.js';
import { syntheticLondoners } from './synthetic-londoners.js';
import { SYNTHETIC_PLAN_MODULES, syntheticPlans, type SyntheticModuleId } from './synthetic-plans.js';

const TODAY = '2026-12-04';
const people = syntheticLondoners(300, 20_260_401);
const plans = syntheticPlans(people, { seed: 7, today: TODAY });

interface LoadedTemplate {
  opt: OperationalTemplate;
  webTemplate: WebTemplate;
  skippedNode: ReturnType<typeof skippedNodesFromTemplate>;
}

async function loadTemplates(): Promise<Map<SyntheticModuleId, LoadedTemplate>> {
  const templates = await readUcpTemplates();
  const loaded = new Map<SyntheticModuleId, LoadedTemplate>();
  for (const [moduleId, templateId] of Object.entries(SYNTHETIC_PLAN_MODULES) as [SyntheticModuleId, string][]) {
    const template = templates.get(templateId);
    if (!template) throw new Error(`no OPT file holds template ${templateId}`);
    loaded.set(moduleId, { opt: template.opt, webTemplate: template.webTemplate, skippedNode: skippedNodesFromTemplate(template.opt) });
  }
  return loaded;
}

describe('synthetic care plans', () => {
  it('is deterministic: the same people, seed and day give the same plans, another seed others', () => {
    expect(syntheticPlans(people, { seed: 7, today: TODAY })).toEqual(plans);
    expect(syntheticPlans(people, { seed: 8, today: TODAY })).not.toEqual(plans);
  });

  it('gives most people a plan, with realistic shares of pathways, states, overdue reviews and CPR recommendations', () => {
    const share = (count: number) => count / plans.length;
    expect(plans.length / people.length).toBeGreaterThan(0.7);
    expect(plans.length / people.length).toBeLessThan(0.95);
    const byStatus = (status: string) => plans.filter((plan) => plan.status === status).length;
    expect(share(byStatus('published'))).toBeGreaterThan(0.65);
    for (const status of ['draft', 'awaiting-approval', 'closed']) expect(byStatus(status), status).toBeGreaterThan(2);
    for (const pathway of ['sickle-cell', 'frailty', 'learning-disability-autism']) {
      expect(plans.filter((plan) => plan.pathways.includes(pathway as never)).length, pathway).toBeGreaterThan(4);
    }
    const overdue = plans.filter((plan) => plan.status === 'published' && plan.reviewDate < TODAY).length;
    expect(overdue).toBeGreaterThan(5);
    expect(share(overdue)).toBeLessThan(0.25);
    const notForCpr = plans.filter((plan) => plan.cpr.snomed === '450476008').length;
    expect(share(notForCpr)).toBeGreaterThan(0.3);
    expect(share(notForCpr)).toBeLessThan(0.9);
    expect(new Set(plans.map((plan) => plan.author.odsCode)).size).toBeGreaterThanOrEqual(4);
  });

  it('keeps every plan consistent: closed plans have a death before today, approvers are seniors, the CPR code matches ReSPECT', () => {
    for (const plan of plans) {
      expect(plan.death !== undefined, plan.nhsNumber).toBe(plan.status === 'closed');
      if (plan.death) expect(plan.death.date < TODAY && plan.death.date > plan.authoredOn).toBe(true);
      // A plan is submitted with a review date ahead of it and at most a year ahead.
      expect(plan.authoredOn < plan.reviewDate && plan.authoredOn <= TODAY, plan.nhsNumber).toBe(true);
      expect(Date.parse(plan.reviewDate) - Date.parse(plan.authoredOn)).toBeLessThanOrEqual(365 * 86_400_000);
      if (plan.approver) expect(plan.approver.senior).toBe(true);
      expect(plan.approver === undefined).toBe(plan.status === 'draft');
      const cprCode = Object.entries(plan.modules.respect ?? {}).find(([key]) => key.endsWith('/cpr_decision/cpr_decision|code'))?.[1];
      expect(cprCode).toBe(plan.cpr.recommended ? 'at0004' : 'at0005');
      expect(people.some((person) => person.nhsNumber === plan.nhsNumber)).toBe(true);
    }
  });

  it('names only modules the plan catalogue knows, on the templates it names', () => {
    const catalogue = coreCatalogue();
    for (const moduleId of Object.keys(SYNTHETIC_PLAN_MODULES) as SyntheticModuleId[]) {
      const module = catalogue.module(
        catalogue.pathways.map((pathway) => pathway.id),
        moduleId,
      );
      // About me joins the catalogue when its template is installed; the others are core modules.
      if (module) expect(module.templateId).toBe(SYNTHETIC_PLAN_MODULES[moduleId]);
      else expect(moduleId).toBe('about-me');
    }
  });

  // The generator can never drift from the templates: every module of every plan goes through
  // the same FLAT pipeline and validator as a write through the care plan service.
  it('writes every module of every plan as FLAT its template accepts', async () => {
    const templates = await loadTemplates();
    const problems: string[] = [];
    let checked = 0;
    for (const plan of plans) {
      for (const [moduleId, flat] of Object.entries(plan.modules) as [SyntheticModuleId, Record<string, unknown>][]) {
        const template = templates.get(moduleId);
        if (!template) throw new Error(`no template for ${moduleId}`);
        const context = {
          'ctx/language': 'en',
          'ctx/territory': 'GB',
          'ctx/composer_name': plan.author.name,
          'ctx/health_care_facility|name': 'Demo',
          'ctx/health_care_facility|id': plan.author.odsCode,
        };
        try {
          const composition = flatToComposition({ ...context, ...flat }, template.webTemplate, {
            now: `${TODAY}T09:00:00Z`,
            skippedNode: template.skippedNode,
          });
          for (const issue of validateComposition(composition, template.opt))
            problems.push(`${plan.nhsNumber} ${moduleId} ${issue.path}: ${issue.message}`);
        } catch (error) {
          problems.push(
            `${plan.nhsNumber} ${moduleId}: ${error instanceof Error ? `${error.message} ${JSON.stringify((error as { issues?: unknown }).issues ?? '')}` : String(error)}`,
          );
        }
        checked++;
      }
    }
    expect([...new Set(problems.map((problem) => problem.replace(/^\d+ /, '')))].slice(0, 20)).toEqual([]);
    expect(checked).toBeGreaterThan(plans.length * 6);
  }, 120_000);
});

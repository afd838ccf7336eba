import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { flatToComposition, skippedNodesFromTemplate } from '../../openehr/flat/index.js';
import { buildWebTemplate, parseOperationalTemplate } from '../../openehr/template/index.js';
import { compileTemplateValidator } from '../../openehr/validation/index.js';
import type { PlanHeader } from '../care-plan-store.js';
import { planHeaderFlat } from './plan-header-flat.js';

const author = { id: 'u-1', name: 'Dr Ada Lovelace', odsCode: 'HOSP1', organisation: 'Thames Hospice' };

async function headerTemplate() {
  const opt = parseOperationalTemplate(await readFile(new URL('../../../templates/opt/UCP - Plan.v1.opt', import.meta.url), 'utf8'));
  return { opt, webTemplate: buildWebTemplate(opt), validator: compileTemplateValidator(opt), skippedNode: skippedNodesFromTemplate(opt) };
}

describe('the plan header as a UCP - Plan.v1 composition', () => {
  it('writes every state the lifecycle knows, valid against the template', async () => {
    const template = await headerTemplate();
    const headers: PlanHeader[] = [
      {
        status: 'draft',
        pathways: [],
        changeSummary: 'Plan started',
        author,
        approver: undefined,
        approvedAt: undefined,
        reviewDate: undefined,
        consent: { toShare: true, route: 'explicit' },
        death: undefined,
        deletion: undefined,
      },
      {
        status: 'published',
        pathways: ['sickle-cell'],
        changeSummary: 'First plan',
        author,
        approver: author,
        approvedAt: '2026-12-04T10:00:00Z',
        reviewDate: '2027-06-01',
        consent: { toShare: true, route: 'lpa' },
        death: undefined,
        deletion: undefined,
      },
      {
        status: 'closed',
        pathways: [],
        changeSummary: 'Death',
        author,
        approver: author,
        approvedAt: '2026-12-04T10:00:00Z',
        reviewDate: '2027-06-01',
        consent: { toShare: false, route: 'withdrawn' },
        death: { date: '2026-12-04', place: 'Hospital', placeDiffersReason: 'Acute admission', recordedBy: author },
        deletion: undefined,
      },
      {
        status: 'deleted',
        pathways: [],
        changeSummary: 'Deleted',
        author,
        approver: undefined,
        approvedAt: undefined,
        reviewDate: undefined,
        consent: undefined,
        death: undefined,
        deletion: { at: '2026-12-04T10:00:00Z', by: author, reason: 'Wrong person' },
      },
    ];
    for (const header of headers) {
      const flat = planHeaderFlat(header, {
        corePathwayId: 'end-of-life',
        pathwayTitle: (id) => `Pathway ${id}`,
        now: '2026-12-04T10:00:00Z',
      });
      const composition = flatToComposition(
        { 'ctx/language': 'en', 'ctx/territory': 'GB', 'ctx/composer_name': 'Dr Ada Lovelace', ...flat },
        template.webTemplate,
        { now: '2026-12-04T10:00:00Z', skippedNode: template.skippedNode },
      );
      expect(template.validator.validate(composition), header.status).toEqual([]);
    }
    const closed = planHeaderFlat(headers[2] as PlanHeader, {
      corePathwayId: 'end-of-life',
      pathwayTitle: (id) => id,
      now: '2026-12-04T10:00:00Z',
    });
    expect(closed).toMatchObject({
      'urgent_care_plan/plan_status/status|code': 'at0006',
      'urgent_care_plan/death/place_of_death_type|code': '10',
      'urgent_care_plan/consent_to_share/consent_status|code': '882941000000102',
    });
  });
});

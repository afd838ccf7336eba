import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebTemplate } from '../../src/openehr/template/index.js';
import { renderPlanPdf } from '../../src/careplan/pdf/plan-pdf.js';
import { pdfText } from '../support/pdf-text.js';
import { AMBULANCE, createPlanTestKit, publishedPlan, STRANGER, type PlanTestKit } from './care-plan-test-kit.js';

describe('the plan as a PDF', () => {
  let kit: PlanTestKit;
  let ehrId: string;

  beforeAll(async () => {
    kit = await createPlanTestKit();
    ({ ehrId } = await publishedPlan(kit, '9990000018'));
  });
  afterAll(() => kit.close());

  it('is served to whoever may read the plan, as an attachment, and audited as a read', async () => {
    const crew = await kit.as(['viewer'], AMBULANCE);
    const response = await crew({ method: 'GET', url: `/api/care-plans/${ehrId}/pdf` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="urgent-care-plan-9990000018-v1\.pdf"$/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // Served compressed, it still reads as the plan: the CPR recommendation first.
    expect(response.rawPayload.toString('latin1')).toContain('/FlateDecode');
    expect(pdfText(response.rawPayload)).toContain('NOT FOR CPR');
    const audit = await kit.test.database.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE ehr_id = $1 AND resource_id = 'GET /api/care-plans/:ehr_id/pdf' ORDER BY seq DESC LIMIT 1",
      [ehrId],
    );
    expect(audit.rows[0]?.action).toBe('read');
  });

  it('is refused to a reader with no relationship, like the plan itself', async () => {
    const stranger = await kit.as(['viewer'], STRANGER);
    const response = await stranger({ method: 'GET', url: `/api/care-plans/${ehrId}/pdf` });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('puts the CPR recommendation first, then the person, the sections and a printed date on every page', async () => {
    const plan = await kit.test.services.carePlans.readPublished(ehrId);
    const summary = await kit.test.services.carePlans.emergencySummary(ehrId);
    const webTemplates = new Map<string, WebTemplate>();
    for (const module of plan.modules)
      webTemplates.set(module.templateId, (await kit.test.services.carePlans.webTemplateOf(module.templateId)) as WebTemplate);
    const pdf = await renderPlanPdf({
      plan,
      summary,
      webTemplates,
      person: { name: 'Mrs Jane Ann SMITH', birthDate: '1941-03-02' },
      printedAt: new Date('2026-12-07T10:00:00Z'),
      compress: false,
    });
    const text = pdfText(pdf);
    expect(text).toContain('Mrs Jane Ann SMITH');
    expect(text).toContain('NHS number 999 000 0018, born 2 March 1941');
    expect(text).toContain('NOT FOR CPR');
    expect(text.indexOf('NOT FOR CPR')).toBeLessThan(text.indexOf('Who to call'));
    expect(text).toContain('Prioritise comfort');
    expect(text).toMatch(/Printed 7 December 2026/);
  });
});

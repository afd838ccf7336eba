import type PDFDocument from 'pdfkit';
import type { JsonValue } from '../../openehr/flat/index.js';
import type { WebTemplate } from '../../openehr/template/index.js';
import { flatFields, labelOfFlatPath } from '../diff/flat-fields.js';
import type { PlanView } from '../plan-model.js';
import type { EmergencySummary } from '../summary/emergency-summary.js';

/** Who the plan is for, when the people service knows (name and date of birth); the NHS number is always there. */
export interface PdfPerson {
  name?: string;
  birthDate?: string;
}

export interface PlanPdfInput {
  plan: PlanView;
  summary: EmergencySummary;
  webTemplates: ReadonlyMap<string, WebTemplate>;
  person?: PdfPerson;
  printedAt: Date;
  /** Compress the page streams (the default); tests read the text of an uncompressed one. */
  compress?: boolean;
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

function date(value: string | null | undefined): string {
  if (!value) return '';
  const parsed = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value);
  return Number.isNaN(parsed.getTime()) ? value : LONG_DATE.format(parsed);
}

function nhsNumber(value: string): string {
  return /^\d{10}$/.test(value) ? `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}` : value;
}

/** The PDF's standard fonts speak Windows-1252: typographic marks become their plain forms. */
function plain(text: string): string {
  return text
    .replace(/›/g, '>')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\t\n\r\x20-\x7E\xA0-\xFF]/g, '?');
}

/**
 * The plan on paper for a care home's file: who it is for, the CPR recommendation first and large,
 * what matters, who to call, then every section's recorded answers with the template's labels,
 * and on every page when it was printed and that the live plan is the one to trust. Made on the
 * server with pdfkit (no browser); the same content for every reader.
 */
export async function renderPlanPdf(input: PlanPdfInput): Promise<Buffer> {
  const { plan, person } = input;
  // Loaded on the first print, not at start-up: pdfkit and its fonts are over 100 ms and 25 MB.
  const { default: PdfDocument } = await import('pdfkit');
  const doc = new PdfDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    compress: input.compress ?? true,
    info: {
      Title: `Urgent care plan – ${person?.name ?? `NHS number ${nhsNumber(plan.nhsNumber)}`}`,
      Subject: 'Urgent care plan',
      Creator: 'Urgent Care Plan',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const page = pageWriter(doc);
  writeIdentity(doc, input);
  writeCprBox(doc, input.summary.cpr);
  writeEmergencyFacts(page, input.summary);
  writeSections(page, input);
  writeFooters(doc, plan.nhsNumber, input.printedAt);
  doc.end();
  return done;
}

type Doc = InstanceType<typeof PDFDocument>;

interface PageWriter {
  doc: Doc;
  heading(text: string, size?: number): void;
  line(label: string, value: string): void;
}

function pageWriter(doc: Doc): PageWriter {
  return {
    doc,
    heading: (text, size = 14) => {
      doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).fillColor('#212b32').text(plain(text));
    },
    line: (label, value) => {
      doc
        .font('Helvetica-Bold')
        .fontSize(10.5)
        .text(`${plain(label)}: `, { continued: true })
        .font('Helvetica')
        .text(plain(value));
    },
  };
}

/** Who the plan is for, which version, who approved it and when to review it. */
function writeIdentity(doc: Doc, { plan, summary, person }: PlanPdfInput): void {
  doc.font('Helvetica-Bold').fontSize(20).fillColor('#005eb8').text('Urgent care plan');
  doc
    .moveDown(0.3)
    .fillColor('#212b32')
    .fontSize(16)
    .text(plain(person?.name ?? `NHS number ${nhsNumber(plan.nhsNumber)}`));
  doc
    .font('Helvetica')
    .fontSize(11)
    .text(
      [`NHS number ${nhsNumber(plan.nhsNumber)}`, person?.birthDate ? `born ${date(person.birthDate)}` : undefined]
        .filter(Boolean)
        .join(', '),
    );
  doc.text(
    plain(
      [
        `Version ${plan.planVersion}`,
        plan.header.approver ? `approved by ${plan.header.approver.name}` : undefined,
        plan.header.approvedAt ? `on ${date(plan.header.approvedAt)}` : undefined,
        plan.reviewDate ? `review by ${date(plan.reviewDate)}` : undefined,
      ]
        .filter(Boolean)
        .join(', '),
    ),
  );
  if (summary.death)
    doc
      .moveDown(0.3)
      .font('Helvetica-Bold')
      .text(`This person died on ${date(summary.death.date)}. The plan is closed.`);
}

/** CPR first, in a box a reader cannot miss. */
function writeCprBox(doc: Doc, cpr: EmergencySummary['cpr']): void {
  const boxTop = doc.y + 10;
  doc.rect(56, boxTop, doc.page.width - 112, 58).fill(cpr?.notForCpr ? '#d5281b' : '#005eb8');
  doc
    .fillColor('#ffffff')
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(cpr ? (cpr.notForCpr ? 'NOT FOR CPR' : 'FOR CPR') : 'NO CPR RECOMMENDATION RECORDED', 68, boxTop + 10);
  doc
    .font('Helvetica')
    .fontSize(10.5)
    .text(
      plain(cpr ? `${cpr.recommendation}${cpr.decidedOn ? ` Decided on ${date(cpr.decidedOn)}.` : ''}` : 'Follow usual clinical guidance.'),
      68,
      boxTop + 32,
    );
  doc.fillColor('#212b32').text('', 56, boxTop + 68);
}

function writeEmergencyFacts({ doc, heading, line }: PageWriter, summary: EmergencySummary): void {
  if (summary.focusOfCare) line('Focus of care', summary.focusOfCare);
  if (summary.ceilingOfTreatment) line('Ceiling of treatment', summary.ceilingOfTreatment);
  if (summary.whatMattersMost.length > 0) {
    heading('What matters most to them');
    for (const item of summary.whatMattersMost) line(item.label.split(' › ').at(-1) ?? item.label, item.value);
  }
  if (summary.whoToCallFirst.length > 0) {
    heading('Who to call first');
    for (const contact of summary.whoToCallFirst)
      line(
        contact.name,
        [contact.relationship, contact.telephone, contact.nextOfKin ? 'next of kin' : undefined].filter(Boolean).join(', '),
      );
  }
  heading('Allergies');
  doc.font('Helvetica').fontSize(10.5);
  if (summary.allergies.length === 0) doc.text(summary.noKnownAllergies ? 'No known allergies.' : 'Not recorded.');
  for (const allergy of summary.allergies)
    line(allergy.substance, [allergy.reaction, allergy.criticality].filter(Boolean).join(', ') || 'recorded');
}

/** Every section's recorded answers, with the template's labels. */
function writeSections({ heading, line }: PageWriter, { plan, webTemplates }: PlanPdfInput): void {
  for (const module of plan.modules) {
    if (!module.flat) continue;
    const webTemplate = webTemplates.get(module.templateId);
    const fields = [...flatFields(module.flat as Record<string, JsonValue>)];
    if (fields.length === 0) continue;
    heading(module.title, 13);
    for (const [path, value] of fields) {
      const label = webTemplate ? labelOfFlatPath(webTemplate, path).split(' › ').slice(-2).join(' > ') : path;
      line(label, value);
    }
  }
}

/** Every page says when it was printed and where the current plan is. */
function writeFooters(doc: Doc, nhs: string, printedAt: Date): void {
  const pages = doc.bufferedPageRange();
  for (let index = pages.start; index < pages.start + pages.count; index++) {
    doc.switchToPage(index);
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .fillColor('#4c6272')
      .text(
        `NHS number ${nhsNumber(nhs)}. Printed ${date(printedAt.toISOString())}. A printed plan is out of date as soon as the plan changes: check the live plan. Page ${index - pages.start + 1} of ${pages.count}.`,
        56,
        doc.page.height - 48,
        { width: doc.page.width - 112, lineBreak: true, height: 30 },
      );
  }
}

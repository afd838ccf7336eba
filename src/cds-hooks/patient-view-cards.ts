import { createHash } from 'node:crypto';
import type { EmergencySummary } from '../careplan/summary/emergency-summary.js';

/** A CDS Hooks 2.0 card, as far as the platform fills one. */
export interface CdsCard {
  uuid: string;
  summary: string;
  detail?: string;
  indicator: 'info' | 'warning' | 'critical';
  source: { label: string; url?: string; topic?: { system: string; code: string; display: string } };
  links?: { label: string; url: string; type: 'absolute' | 'smart'; appContext?: string }[];
}

export interface CardLinks {
  /** Where the web app starts a SMART launch (the EHR adds iss and launch). */
  smartLaunchUrl: string;
  /** The plan in the web app, for a user already signed in. */
  planUrl: string;
  serviceUrl: string;
}

const SUMMARY_LIMIT = 140;

/**
 * The card a record system shows when it opens a person who has a plan: the CPR recommendation
 * and the focus of care in the summary (at most 140 characters, as the specification asks),
 * `critical` when CPR is not to be attempted — the one thing a crew must not miss — `warning`
 * when the plan limits treatment or its review is overdue, `info` otherwise; and a SMART link
 * that opens the plan. Pure: the same summary always gives the same card (its uuid included).
 */
export function patientViewCard(summary: EmergencySummary, links: CardLinks): CdsCard {
  const cpr = summary.cpr ? (summary.cpr.notForCpr ? 'Not for CPR' : 'For CPR') : undefined;
  const parts = ['Urgent care plan', cpr, summary.focusOfCare ? `focus: ${summary.focusOfCare}` : undefined].filter(Boolean);
  const indicator = summary.cpr?.notForCpr ? 'critical' : summary.ceilingOfTreatment || summary.reviewOverdue ? 'warning' : 'info';
  const detail = [
    summary.cpr ? `**CPR:** ${summary.cpr.recommendation}` : undefined,
    summary.focusOfCare ? `**Focus of care:** ${summary.focusOfCare}` : undefined,
    summary.ceilingOfTreatment ? `**Ceiling of treatment:** ${summary.ceilingOfTreatment}` : undefined,
    summary.whoToCallFirst[0]
      ? `**Call first:** ${[summary.whoToCallFirst[0].name, summary.whoToCallFirst[0].relationship, summary.whoToCallFirst[0].telephone].filter(Boolean).join(', ')}`
      : undefined,
    summary.reviewOverdue ? `**Review overdue** since ${summary.reviewDate ?? ''}` : undefined,
    `Plan version ${summary.planVersion}, updated ${summary.lastUpdated.slice(0, 10)}.`,
  ].filter(Boolean);
  return {
    uuid: cardId(summary),
    summary: truncate(parts.join(' — ')),
    detail: detail.join('\n\n'),
    indicator,
    source: {
      label: 'Urgent Care Plan',
      url: links.serviceUrl,
      topic: { system: 'http://snomed.info/sct', code: '734163000', display: 'Care plan' },
    },
    links: [
      {
        label: 'Open the urgent care plan',
        url: links.smartLaunchUrl,
        type: 'smart',
        appContext: JSON.stringify({ ehrId: summary.ehrId }),
      },
      { label: 'Open the urgent care plan (signed-in browser)', url: links.planUrl, type: 'absolute' },
    ],
  };
}

/** For a caller who may not see the plan without breaking the glass: that a plan exists, nothing of it. */
export function planExistsCard(links: CardLinks, ehrId: string): CdsCard {
  return {
    uuid: createHash('sha256')
      .update(`exists:${ehrId}`)
      .digest('hex')
      .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
    summary: 'This person has an urgent care plan',
    detail: 'Open it to see it; without a care relationship you will be asked for your reason, and the access is audited.',
    indicator: 'info',
    source: { label: 'Urgent Care Plan', url: links.serviceUrl },
    links: [{ label: 'Open the urgent care plan', url: links.smartLaunchUrl, type: 'smart', appContext: JSON.stringify({ ehrId }) }],
  };
}

function cardId(summary: EmergencySummary): string {
  const hex = createHash('sha256').update(`${summary.ehrId}:${summary.planVersion}:${summary.lastUpdated}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function truncate(text: string): string {
  return text.length <= SUMMARY_LIMIT ? text : `${text.slice(0, SUMMARY_LIMIT - 1)}…`;
}

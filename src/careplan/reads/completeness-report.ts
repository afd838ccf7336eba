import { listPublishedPlansOf } from '../care-plan-store.js';
import { qualityGateOutcomes } from '../lifecycle/quality-gates.js';
import { QUALITY_GATES, type QualityGateId } from '../pathway/quality-gate-paths.js';
import type { PlanContext } from '../plan-context.js';
import { planView } from './plan-reads.js';

/** How one quality gate fares across an organisation's plans to which it applies. */
export interface GateCompleteness {
  gate: QualityGateId;
  section: string;
  /** Plans the gate applies to (a plan counts once, whichever of its sections the gate reads). */
  applicable: number;
  met: number;
  /** met / applicable, 0 to 1; null when it applies to none. */
  share: number | null;
}

export interface PlanCompleteness {
  ehrId: string;
  nhsNumber: string;
  reviewDate: string | null;
  overdue: boolean;
  /** The gates the published plan does not meet (one published before a gate existed may miss some). */
  missing: QualityGateId[];
}

export interface CompletenessReport {
  odsCode: string;
  today: string;
  /** Published plans the organisation authored or approved. */
  plans: number;
  /** Of those, plans holding a ReSPECT or CPR recommendation the gates apply to. */
  gated: number;
  gates: GateCompleteness[];
  /** Published plans whose review date has passed. */
  overdueReviews: number;
  /** Each plan that misses a gate or is overdue. */
  needingAttention: PlanCompleteness[];
}

/**
 * The quality of an organisation's published plans against the ReSPECT quality gates, and the
 * reviews it has let pass (SCCI1580 req. 19–20; a London hospice audit found half the plans not
 * updated at discharge). Read from the published compositions, as a crew would see them.
 */
export async function completenessReport(context: PlanContext, odsCode: string): Promise<CompletenessReport> {
  const today = context.today();
  const rows = await listPublishedPlansOf(context.db, odsCode);
  const counts = new Map<QualityGateId, { applicable: number; met: number }>(
    QUALITY_GATES.map((gate) => [gate.id, { applicable: 0, met: 0 }]),
  );
  const needingAttention: PlanCompleteness[] = [];
  let gated = 0;
  for (const row of rows) {
    const view = await planView(context, row, 'published');
    const outcomes = qualityGateOutcomes({ modules: view.modules, reviewDate: view.reviewDate });
    const byGate = new Map<QualityGateId, boolean>();
    for (const outcome of outcomes) byGate.set(outcome.gate.id, (byGate.get(outcome.gate.id) ?? true) && outcome.met);
    if (byGate.size > 0) gated += 1;
    for (const [gate, met] of byGate) {
      const count = counts.get(gate);
      if (!count) continue;
      count.applicable += 1;
      if (met) count.met += 1;
    }
    const missing = [...byGate].filter(([, met]) => !met).map(([gate]) => gate);
    const overdue = row.reviewDate !== null && row.reviewDate < today;
    if (missing.length > 0 || overdue)
      needingAttention.push({ ehrId: row.ehrId, nhsNumber: row.nhsNumber, reviewDate: row.reviewDate, overdue, missing });
  }
  return {
    odsCode,
    today,
    plans: rows.length,
    gated,
    gates: [...counts].map(([gate, { applicable, met }]) => ({
      gate,
      section: QUALITY_GATES.find((candidate) => candidate.id === gate)?.section ?? gate,
      applicable,
      met,
      share: applicable === 0 ? null : met / applicable,
    })),
    overdueReviews: needingAttention.filter((plan) => plan.overdue).length,
    needingAttention,
  };
}

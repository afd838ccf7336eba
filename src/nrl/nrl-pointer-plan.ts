import { CAREPLAN_CLOSED_TOPIC, CAREPLAN_DELETED_TOPIC, CAREPLAN_PUBLISHED_TOPIC } from '../careplan/care-plan-service.js';
import type { OutboxEvent } from '../events/outbox.js';
import { NRL_TYPES, type NrlType } from './nrl-client.js';

/** What the locator should say about one person after a plan event: each type, and its status. */
export interface PointerChange {
  nhsNumber: string;
  ehrId: string;
  planVersion: number;
  /** Types the plan now has, which must be current. */
  current: NrlType[];
  /** The status every other pointer of this plan takes (types the plan no longer has, or all when it ended). */
  others: 'superseded' | 'entered-in-error';
}

/** The shipped condition pathways, listed as an emergency health care plan when their definition names no record type of its own. */
const CONDITION_PATHWAYS = new Set(['sickle-cell', 'frailty', 'learning-disability-autism']);

interface PlanEventPayload {
  ehrId?: unknown;
  nhsNumber?: unknown;
  planVersion?: unknown;
  pathways?: unknown;
  modules?: unknown;
  recordTypes?: unknown;
}

/**
 * The pointers a plan event calls for, as a pure function of the event: every published plan is
 * an end of life care coordination summary; with a ReSPECT section also a ReSPECT form; with
 * preferences and advance decisions an advance care plan; and for each pathway of the plan the
 * record type its definition names (`recordType`, carried in the event as `recordTypes` by
 * pathway id: a mental health crisis plan is listed under 736253002), or, for a condition pathway
 * (sickle cell, frailty, learning disability and autism) naming none, an emergency health care
 * plan. A closed plan's pointers are superseded, a deleted plan's entered in error. Other events
 * call for none.
 */
export function pointerChangeFor(event: OutboxEvent): PointerChange | undefined {
  const payload = (event.payload ?? {}) as PlanEventPayload;
  if (typeof payload.ehrId !== 'string' || typeof payload.nhsNumber !== 'string') return undefined;
  const base = { nhsNumber: payload.nhsNumber, ehrId: payload.ehrId, planVersion: Number(payload.planVersion ?? 0) };
  switch (event.topic) {
    case CAREPLAN_PUBLISHED_TOPIC: {
      const modules = typeof payload.modules === 'object' && payload.modules !== null ? (payload.modules as Record<string, unknown>) : {};
      const pathways = Array.isArray(payload.pathways) ? payload.pathways.filter((p): p is string => typeof p === 'string') : [];
      const current: NrlType[] = [NRL_TYPES.endOfLifeCareCoordinationSummary];
      if (modules['respect']) current.push(NRL_TYPES.respectForm);
      if (modules['preferences']) current.push(NRL_TYPES.advanceCarePlan);
      const declared = recordTypesOf(payload.recordTypes);
      for (const pathway of pathways) {
        const type = declared.get(pathway) ?? (CONDITION_PATHWAYS.has(pathway) ? NRL_TYPES.emergencyHealthCarePlan : undefined);
        if (type && !current.some((known) => known.code === type.code)) current.push(type);
      }
      return { ...base, current, others: 'superseded' };
    }
    case CAREPLAN_CLOSED_TOPIC:
      return { ...base, current: [], others: 'superseded' };
    case CAREPLAN_DELETED_TOPIC:
      return { ...base, current: [], others: 'entered-in-error' };
    default:
      return undefined;
  }
}

/** The event's record types by pathway id, each a SNOMED CT code and its display; anything else is left out. */
function recordTypesOf(value: unknown): Map<string, NrlType> {
  const types = new Map<string, NrlType>();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return types;
  for (const [pathway, type] of Object.entries(value)) {
    const { code, display } = (type ?? {}) as { code?: unknown; display?: unknown };
    if (typeof code === 'string' && code !== '' && typeof display === 'string') types.set(pathway, { code, display });
  }
  return types;
}

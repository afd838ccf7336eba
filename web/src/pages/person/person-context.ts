import { useOutletContext } from 'react-router';
import type { AccessHeaders } from '../../api/care-plan-api';
import type { IdentityLookup } from '../../api/people-api';

/** What every page about a person shares: who they are, where their record is, and how it may be read. */
export interface PersonContext {
  nhsNumber: string;
  /** undefined while it is looked up; null when the person has no record here. */
  ehrId: string | null | undefined;
  identity: IdentityLookup | undefined;
  /** Goes up each time someone publishes while the page is open: pages load again when it changes. */
  liveVersion: number;
  /** The break-glass reason, once stated, travels with every request about the person. */
  accessHeaders: AccessHeaders;
  /** A page whose read was refused with a break-glass option says so; the layout asks for the reason. */
  refused(error: unknown): void;
  /** What the page learnt about the plan, for the banner. */
  showPlan(plan: {
    status: string;
    reviewDate: string | null;
    reviewOverdue?: boolean;
    consent?: { toShare: boolean; route: string };
  }): void;
}

export function usePerson(): PersonContext {
  return useOutletContext<PersonContext>();
}

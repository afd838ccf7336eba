import type { Caller } from '../access/caller.js';
import type { PartyIdentified } from '../openehr/rm/common.js';
import type { CommitAudit } from '../openehr/store/version-store.js';
import type { PlanActor } from './care-plan-store.js';

/**
 * Who is changing a plan, as the service needs it: the caller, how to refuse them (audited, by
 * the policy point) and how to record the write in the audit trail inside its transaction.
 */
export interface PlanWriter {
  caller: Caller;
  /** Refuses the write, audited as an access refusal; never returns. */
  refuse(explanation: string): Promise<never>;
  /** Appends the platform audit record of a committed write, in the write's transaction. */
  trail: NonNullable<CommitAudit['trail']>;
}

export function actorOf(caller: Caller): PlanActor {
  return {
    id: caller.id,
    name: caller.displayName,
    odsCode: caller.organisation?.odsCode ?? null,
    organisation: caller.organisation?.name ?? null,
  };
}

/** The committer of a plan write: the person (or client) by name and id, for the version's audit. */
export function committerOf(caller: Caller): PartyIdentified {
  return {
    _type: 'PARTY_IDENTIFIED',
    name: caller.displayName,
    external_ref: {
      _type: 'PARTY_REF',
      id: { _type: 'GENERIC_ID', value: caller.id, scheme: 'ucp' },
      namespace: caller.kind === 'user' ? 'ucp-users' : 'ucp-clients',
      type: caller.kind === 'user' ? 'PERSON' : 'SOFTWARE',
    },
  };
}

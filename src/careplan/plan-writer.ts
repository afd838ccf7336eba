import type { Caller } from '../access/caller.js';
import type { PartyIdentified } from '../openehr/rm/common.js';
import type { RecordWriter } from '../repository/repository.js';
import type { PlanActor } from './care-plan-store.js';

/**
 * Who is changing a plan, as the service needs it: the caller's repository's writer (the caller,
 * audited refusals, the senior-decision rule, the audit trail inside the write's transaction).
 */
export type PlanWriter = RecordWriter;

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

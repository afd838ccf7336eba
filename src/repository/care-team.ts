import type { Caller } from '../access/caller.js';
import { joinCareTeam, listCareTeam, type CareTeamMembership } from '../access/care-team-store.js';
import { readPersonAccessFacts } from '../access/person-access-facts.js';
import { checkRelationshipReason } from '../access/relationship-reason.js';
import { appendAudit } from '../audit/audit-log.js';
import { auditRecordFor } from '../audit/audit-record.js';
import type { Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';

export type { CareTeamMembership };

/** What a declaration did: whether the organisation joined now (false: it was in already), and the team as it stands. */
export interface Declared {
  joined: boolean;
  members: CareTeamMembership[];
}

/**
 * The caller's organisation joins the person's care team with the stated reason ("<code>:
 * <explanation>", checked here), and the
 * declaration is audited in the same transaction (a join without its audit record cannot exist).
 * Joining again changes nothing and is not audited again.
 */
export async function declareRelationship(db: Database, caller: Caller, nhsNumber: string, reasonText: string): Promise<Declared> {
  const organisation = caller.organisation;
  if (!organisation) throw new AppError('forbidden', 'Only someone acting for an organisation can declare a relationship.');
  const reason = checkRelationshipReason(reasonText);
  if (!reason.ok) throw new AppError('bad-request', `The reason is not accepted: ${reason.problem}.`);
  // A self-declared relationship must not open the record of someone who withdrew consent to
  // share: only the registered practice and the organisations already caring for them see it.
  if (!(await readPersonAccessFacts(db, nhsNumber)).consentToShare) {
    throw new AppError(
      'conflict',
      'This person has withdrawn consent to share their plan: a relationship cannot be declared. Ask their GP practice.',
    );
  }
  const statedReason = `${reason.code}: ${reason.text}`;
  const joined = await db.transaction(async (tx) => {
    const added = await joinCareTeam(tx, {
      nhsNumber,
      odsCode: organisation.odsCode,
      basis: 'declared',
      addedBy: caller.displayName,
      reason: statedReason,
    });
    if (added) {
      await appendAudit(
        tx,
        auditRecordFor(caller, {
          action: 'relationship-declared',
          nhsNumber,
          resource: { type: 'care-team', id: organisation.odsCode },
          detail: { reason: statedReason },
        }),
      );
    }
    return added;
  });
  return { joined, members: await listCareTeam(db, nhsNumber) };
}

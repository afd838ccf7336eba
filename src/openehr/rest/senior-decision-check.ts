import type { FastifyRequest } from 'fastify';
import { mayRecordSeniorDecisions, seniorDecisionsIn } from '../../access/senior-decisions.js';
import type { Database } from '../../db/database.js';
import { refuseAccess } from '../../server/access-control.js';
import { collectArchetypeIds } from '../store/archetype-index.js';

/**
 * A CPR recommendation is a senior clinician's decision, whatever route it arrives by (a single
 * composition or a contribution of several): refused, and audited, for anyone who may not make it.
 */
export async function refuseSeniorDecisionsWithoutApproval(db: Database, request: FastifyRequest, document: unknown): Promise<void> {
  const decisions = seniorDecisionsIn(collectArchetypeIds(document));
  if (decisions.length > 0 && request.caller && !mayRecordSeniorDecisions(request.caller)) {
    await refuseAccess(
      db,
      request,
      `recording ${decisions.join(', ')} (a CPR recommendation) needs plan:approve, which a senior clinician has`,
    );
  }
}

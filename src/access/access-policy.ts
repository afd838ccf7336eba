import { BREAK_GLASS_REASONS, checkBreakGlassReason } from './break-glass-reason.js';
import { URGENT_CARE_KINDS, type Caller } from './caller.js';
import type { Permission } from './roles.js';

/**
 * What a caller wants to do with one person's plan. `propose` is holding a draft of one's own
 * (merged by someone who may write the plan): the person themselves, or any professional who may
 * write its non-clinical sections.
 */
export type PersonAction = 'read' | 'propose' | 'write-non-clinical' | 'write-clinical' | 'approve';

const ACTION_PERMISSION: Readonly<Record<PersonAction, Permission>> = {
  read: 'plan:read',
  propose: 'plan:write-non-clinical',
  'write-non-clinical': 'plan:write-non-clinical',
  'write-clinical': 'plan:write-clinical',
  approve: 'plan:approve',
};

/**
 * The recorded relationships between an organisation and a person that open the person's plan to
 * the organisation: the same data decide a single read (below) and a query's scope (ehr-scope.ts).
 */
export const RELATIONSHIP_KINDS = ['care-team', 'registered-gp'] as const;
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number];

/** What the system knows about the person whose plan it is, for deciding access. */
export interface PersonAccessFacts {
  nhsNumber: string;
  /** ODS codes of the organisations in the person's care team (those that hold the plan among them). */
  careTeamOdsCodes: ReadonlySet<string>;
  /** ODS code of the person's registered GP practice, if known. */
  registeredGpOdsCode: string | undefined;
  /** False when the person has withdrawn consent to share beyond the care team. */
  consentToShare: boolean;
}

/** Why access was allowed: every decision names its basis, and the audit records it. */
export type AccessBasis = 'self' | 'administration' | 'care-team' | 'registered-gp' | 'launch-context' | 'emergency-access' | 'break-glass';

export type AccessDecision =
  { allowed: true; basis: AccessBasis; explanation: string } | { allowed: false; explanation: string; breakGlassPossible: boolean };

/**
 * Decides whether `caller` may do `action` on the plan of the person described by `facts`.
 * Deny by default: access needs the permission for the action, an organisation that meets the
 * data-security standards, and a legitimate relationship the system can see — or, for reading,
 * a stated break-glass reason. Pure: the same inputs always give the same decision.
 */
export function decidePersonAccess(caller: Caller, action: PersonAction, facts: PersonAccessFacts): AccessDecision {
  if (caller.embeddedNhsNumber !== undefined && caller.embeddedNhsNumber !== facts.nhsNumber) {
    return {
      allowed: false,
      explanation: 'an embedded session reaches only the person it was launched for',
      breakGlassPossible: false,
    };
  }
  if (caller.ownNhsNumber !== undefined) {
    const own = caller.ownNhsNumber === facts.nhsNumber;
    if (own && action === 'read' && caller.permissions.has('plan:read-own')) {
      return { allowed: true, basis: 'self', explanation: 'a person reading their own plan' };
    }
    if (own && action === 'propose' && caller.permissions.has('plan:propose-own')) {
      return { allowed: true, basis: 'self', explanation: 'a person proposing a change to their own plan' };
    }
    return {
      allowed: false,
      explanation: 'a person may read only their own plan, and propose changes to it; a professional merges them',
      breakGlassPossible: false,
    };
  }
  // Integration engines and data migration act on many people's records; people never do
  // without a relationship, whatever their role.
  if (caller.kind === 'client' && caller.permissions.has('records:administer')) {
    return { allowed: true, basis: 'administration', explanation: 'record administration by an integration client, audited' };
  }
  const permission = ACTION_PERMISSION[action];
  if (!caller.permissions.has(permission)) {
    return {
      allowed: false,
      explanation: `the role(s) ${caller.roles.join(', ') || '(none)'} do not grant ${permission}`,
      breakGlassPossible: false,
    };
  }
  const organisation = caller.organisation;
  if (!organisation) {
    return { allowed: false, explanation: 'the caller acts for no organisation', breakGlassPossible: false };
  }
  if (organisation.dataSecurityStatus !== 'standards-met') {
    return {
      allowed: false,
      explanation: `${organisation.name} (${organisation.odsCode}) does not meet the data security standards (${organisation.dataSecurityStatus})`,
      breakGlassPossible: false,
    };
  }

  if (facts.careTeamOdsCodes.has(organisation.odsCode)) {
    return { allowed: true, basis: 'care-team', explanation: `${organisation.odsCode} is in the person's care team` };
  }
  if (facts.registeredGpOdsCode === organisation.odsCode) {
    return { allowed: true, basis: 'registered-gp', explanation: `${organisation.odsCode} is the person's registered GP practice` };
  }
  if (!facts.consentToShare) {
    return {
      allowed: false,
      explanation: 'the person has withdrawn consent to share their plan beyond their care team',
      breakGlassPossible: false,
    };
  }
  if (caller.launchContextNhsNumber === facts.nhsNumber) {
    return { allowed: true, basis: 'launch-context', explanation: "launched in this person's context from a trusted record system" };
  }
  if (action === 'read' && URGENT_CARE_KINDS.has(organisation.kind)) {
    return { allowed: true, basis: 'emergency-access', explanation: `${organisation.kind} has standing emergency access to read plans` };
  }
  const reason = checkBreakGlassReason(caller.breakGlassReason);
  if (action === 'read' && reason.ok) {
    return { allowed: true, basis: 'break-glass', explanation: `break-glass (${reason.code}): ${reason.text}` };
  }
  const stated = caller.breakGlassReason !== undefined && !reason.ok ? `; the reason given is not accepted: ${reason.problem}` : '';
  return {
    allowed: false,
    explanation:
      action === 'read'
        ? `no legitimate relationship between ${organisation.odsCode} and this person; to break the glass, state a reason as "<code>: <explanation>" with a code from ${Object.keys(BREAK_GLASS_REASONS).join(', ')}${stated}`
        : `no legitimate relationship between ${organisation.odsCode} and this person`,
    breakGlassPossible: action === 'read',
  };
}

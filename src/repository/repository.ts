import { decidePersonAccess, type AccessDecision, type PersonAccessFacts, type PersonAction } from '../access/access-policy.js';
import type { Caller } from '../access/caller.js';
import { readEhrAccessFacts, readPersonAccessFacts } from '../access/person-access-facts.js';
import { decideQueryScope, type AllowedQueryScope } from '../access/query-scope.js';
import { mayRecordSeniorDecisions } from '../access/senior-decisions.js';
import { appendAudit, appendAuditNow, appendAuditRecords } from '../audit/audit-log.js';
import { queryAudit, type AuditPage, type AuditQuery } from '../audit/audit-query.js';
import { auditRecordFor, type AuditAction, type AuditDetail, type AuditRecord } from '../audit/audit-record.js';
import {
  listBreakGlass,
  reviewBreakGlass,
  type BreakGlassAccess,
  type BreakGlassReview,
  type ReviewFilter,
  type ReviewOutcome,
} from '../audit/break-glass-review.js';
import { listCareTeam } from '../access/care-team-store.js';
import type { Database, Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '../nhs/nhs-number.js';
import type { OpenEhrServices } from '../openehr/service/openehr-services.js';
import type { EhrView } from '../openehr/service/ehr-service.js';
import { readEhrStatusFacts } from '../openehr/service/ehr-status.js';
import { findEhrBySubject, type SubjectRef } from '../openehr/store/ehr-store.js';
import type { CommitAudit } from '../openehr/store/version-store.js';
import { isUuid } from '../shared/uuid.js';
import { declareRelationship, type CareTeamMembership, type Declared } from './care-team.js';
import { PersonRecords, type Committer } from './person-records.js';
import { readEhrExtract, readPersonAuditTrail, requireSubjectAccessRight, type SubjectAccessRecords } from './subject-access.js';
import { describeSeniorDecisionChange, touchesSeniorDecisions, type SeniorDecisionChange } from './senior-decision-rule.js';

/** A person's record, named by their EHR id or their NHS number. */
export type PersonRef = { ehrId: string } | { nhsNumber: string };

/** A person the caller was allowed to act on, and why: what every read and write of theirs is audited with. */
export interface PersonAccess {
  /** Empty when the person has no EHR yet (a plan not started) or the id named none. */
  ehrId: string;
  /** Empty when the EHR has no NHS number as its subject. */
  nhsNumber: string;
  action: PersonAction;
  decision: Extract<AccessDecision, { allowed: true }>;
}

export type { AllowedQueryScope, CareTeamMembership, Declared, SubjectAccessRecords };

/** An access decision about a person, with both their ids ('' when unknown), not yet acted on. */
export interface PersonDecision {
  ehrId: string;
  nhsNumber: string;
  decision: AccessDecision;
}

/** The stores a repository reads and writes through; made once per process. */
export interface RepositoryStorage {
  db: Database;
  openehr: OpenEhrServices;
  /**
   * Projections kept in step with every commit to a person's record, in the commit's transaction
   * (the care plan's emergency summary when an openEHR write changes a published section). A
   * writer that keeps its own projections (the care plan's steps) is not called back.
   */
  projections?: readonly RecordProjection[];
}

export type RecordProjection = (tx: Queryable, write: { ehrId: string; versionUids: readonly string[] }) => Promise<void>;

/** Where the work comes from, for the audit: a route (`GET /api/…`) or a job. */
export interface RepositoryContext {
  origin: string;
  /** How this caller states a break-glass reason (an HTTP header, say), for the refusal to tell them. */
  breakGlassHint?: string;
}

/** How a write is recorded in the platform's audit trail. */
export interface WriteAudit {
  action: Extract<AuditAction, 'create' | 'update' | 'delete'>;
  /**
   * The resource type the audit record names, with the EHR id, when the write committed no
   * contribution (a care plan step that changed only its projections); otherwise the contribution.
   */
  recordType?: string;
  /** The writer keeps the projections itself, in its own step (the care plan): the repository's are not run. */
  ownProjections?: true;
}

/**
 * What a service that writes people's records (the care plan) needs of the caller's repository:
 * who writes, how to refuse them (audited), the senior-decision rule and the audit trail.
 */
export interface RecordWriter {
  readonly caller: Caller;
  /** Refuses the write, audited as an access refusal; never returns. */
  refuse(explanation: string): Promise<never>;
  /** Refuses (audited) a change to senior decision content the caller may not make. */
  requireSeniorDecisionRight(change: SeniorDecisionChange): Promise<void>;
  /** Appends the audit record of a committed write, in the write's transaction. */
  readonly trail: NonNullable<CommitAudit['trail']>;
}

/**
 * The one door to people's data, bound to one caller. Built once per request from the caller the
 * policy point authenticated (and, for jobs, from a system caller). It owns the person-access
 * decision (src/access policy, applied here), the audit of every read and write of personal data,
 * and the write rules (senior decisions, the EHR's subject, validation per lifecycle state), so
 * every API — openEHR REST, the care plan, AQL, event streams, FHIR — shares one gate.
 */
export class Repository {
  constructor(
    readonly caller: Caller,
    private readonly storage: RepositoryStorage,
    private readonly context: RepositoryContext,
  ) {}

  /** The same repository for a caller who stated a break-glass reason with this request. */
  withBreakGlassReason(reason: string | undefined): Repository {
    const trimmed = reason?.trim();
    if (!trimmed) return this;
    return new Repository({ ...this.caller, breakGlassReason: trimmed }, this.storage, this.context);
  }

  /**
   * Decides whether the caller may do `action` on the person's record; refuses (audited, 403) when
   * not. An unknown EHR or NHS number is allowed through as an empty access so that the handler
   * gives its own 404 — a caller without rights learns nothing more than one with them. Breaking
   * the glass is audited at once.
   */
  async openPerson(ref: PersonRef, action: PersonAction): Promise<PersonAccess> {
    const { ehrId, nhsNumber, facts } = await this.#resolve(ref);
    const decision = decidePersonAccess(this.caller, action, facts);
    if (!decision.allowed) {
      return this.refuse(decision.explanation, { ehrId, nhsNumber, breakGlassPossible: decision.breakGlassPossible });
    }
    if (decision.basis === 'break-glass') {
      await appendAuditNow(
        this.storage.db,
        auditRecordFor(this.caller, {
          action: 'break-glass',
          ...(ehrId ? { ehrId } : {}),
          ...(nhsNumber ? { nhsNumber } : {}),
          detail: { explanation: decision.explanation },
        }),
      );
    }
    return { ehrId, nhsNumber, decision, action };
  }

  /**
   * The access decision about a person, neither refused nor audited: for a caller who answers a
   * refusal with less rather than with an error (a CDS Hooks card), and then records what it did
   * with `auditDecision`. Everything else opens the person with `openPerson`.
   */
  async decide(ref: PersonRef, action: PersonAction): Promise<PersonDecision> {
    const { ehrId, nhsNumber, facts } = await this.#resolve(ref);
    return { ehrId, nhsNumber, decision: decidePersonAccess(this.caller, action, facts) };
  }

  /**
   * Audits, durably and before the answer leaves, what was done with a decision from `decide`: a
   * read (or, for a standing grant made on it — a subscription, an app launch — its creation), or a refusal.
   */
  async auditDecision(
    person: PersonDecision,
    resource: { type: string; id: string },
    detail: AuditDetail,
    allowedAction: Extract<AuditAction, 'read' | 'create'> = 'read',
  ): Promise<void> {
    const { decision } = person;
    await appendAuditNow(
      this.storage.db,
      auditRecordFor(this.caller, {
        action: decision.allowed ? allowedAction : 'access-denied',
        outcome: decision.allowed ? 'success' : 'denied',
        nhsNumber: person.nhsNumber,
        ehrId: person.ehrId,
        resource,
        detail: { explanation: decision.explanation, ...detail },
      }),
    );
  }

  /** Refuses the caller, audited as an access refusal naming what was refused (the route, unless given); never returns. */
  async refuse(
    explanation: string,
    person?: { ehrId: string; nhsNumber: string; breakGlassPossible: boolean },
    resource: { type: string; id: string } = { type: 'route', id: this.context.origin },
  ): Promise<never> {
    await appendAuditNow(
      this.storage.db,
      auditRecordFor(this.caller, {
        action: 'access-denied',
        outcome: 'denied',
        ...(person?.nhsNumber ? { nhsNumber: person.nhsNumber } : {}),
        ...(person?.ehrId ? { ehrId: person.ehrId } : {}),
        resource,
        detail: { explanation },
      }),
    );
    const hint = person?.breakGlassPossible && this.context.breakGlassHint ? ` ${this.context.breakGlassHint}` : '';
    throw new AppError('forbidden', `Access refused: ${explanation}.${hint}`);
  }

  /** Audits a read of one person's record, durably, before the answer leaves (fail closed). */
  async auditRead(access: PersonAccess, detail: AuditDetail = {}): Promise<void> {
    await appendAuditNow(this.storage.db, this.readRecord(access, detail));
  }

  /**
   * The audit record of a read of `access`: what `auditRead` appends, for a read that commits
   * it in the statement that reads (the emergency summary) instead.
   */
  readRecord(access: PersonAccess, detail: AuditDetail = {}): AuditRecord {
    return auditRecordFor(this.caller, {
      action: 'read',
      ...(access.nhsNumber ? { nhsNumber: access.nhsNumber } : {}),
      ...(access.ehrId ? { ehrId: access.ehrId } : {}),
      resource: { type: 'route', id: this.context.origin },
      detail: { basis: access.decision.basis, explanation: access.decision.explanation, ...detail },
    });
  }

  /**
   * Audits a read that returned personal data of people the caller reached without a per-person
   * decision (a look-up by NHS number, an event stream, an audit report): one record per person
   * named, in one transaction, before the answer leaves.
   */
  async auditPeopleRead(
    people: readonly { nhsNumber?: string | undefined; ehrId?: string | undefined }[],
    detail: AuditDetail,
  ): Promise<void> {
    const records = people.map((person) =>
      auditRecordFor(this.caller, {
        action: 'read',
        ...(person.nhsNumber ? { nhsNumber: person.nhsNumber } : {}),
        ...(person.ehrId ? { ehrId: person.ehrId } : {}),
        resource: { type: 'route', id: this.context.origin },
        detail,
      }),
    );
    if (records.length === 0) return;
    await this.storage.db.transaction((tx) => appendAuditRecords(tx, records));
  }

  /**
   * Audits a read that returned data about people in general rather than named ones (a stream of
   * every plan's events, say): one record of what was asked, before the answer leaves.
   */
  async auditPopulationRead(detail: AuditDetail): Promise<void> {
    await appendAuditNow(
      this.storage.db,
      auditRecordFor(this.caller, { action: 'read', resource: { type: 'route', id: this.context.origin }, detail }),
    );
  }

  /**
   * A page of the audit trail. Audit records name people, so reading them is itself a read of
   * personal data: audited with each person the page names (or once, if it names nobody).
   */
  async auditReport(query: AuditQuery): Promise<AuditPage> {
    const page = await queryAudit(this.storage.db, query);
    const people = [...new Set(page.entries.flatMap((entry) => (entry.nhsNumber ? [entry.nhsNumber] : [])))];
    const detail = { report: 'audit trail', entries: page.entries.length };
    if (people.length === 0) await this.auditPopulationRead(detail);
    else
      await this.auditPeopleRead(
        people.map((nhsNumber) => ({ nhsNumber })),
        detail,
      );
    return page;
  }

  /** The person's care team: each organisation, how and when it joined, who added it and why. */
  careTeam(access: PersonAccess): Promise<CareTeamMembership[]> {
    return listCareTeam(this.storage.db, access.nhsNumber);
  }

  /**
   * The caller's organisation declares a legitimate relationship with the person (a valid NHS
   * number) and joins their care team, with a reason "<code>: <explanation>" (checked): refused
   * while the person withholds consent to share;
   * joined and audited (`relationship-declared`) in one transaction.
   */
  declareRelationship(nhsNumber: string, reason: string): Promise<Declared> {
    return declareRelationship(this.storage.db, this.caller, nhsNumber, reason);
  }

  /**
   * The break-glass accesses of the caller's organisation (an auditor's follow-up list), newest
   * first. The list names people: reading it is audited.
   */
  async breakGlassAccesses(
    filter: ReviewFilter,
    limit: number,
    beforeSeq?: number,
  ): Promise<{ accesses: BreakGlassAccess[]; nextCursor: string | undefined }> {
    const odsCode = this.caller.organisation?.odsCode;
    if (!odsCode) throw new AppError('forbidden', 'An auditor acts for an organisation; this caller acts for none.');
    const page = await listBreakGlass(this.storage.db, odsCode, filter, limit, beforeSeq);
    await appendAuditNow(
      this.storage.db,
      auditRecordFor(this.caller, { action: 'read', resource: { type: 'break-glass-list', id: odsCode }, detail: { status: filter } }),
    );
    return page;
  }

  /** The caller's review of one break-glass access of their organisation: once, not their own, audited with it. */
  reviewBreakGlass(seq: number, review: { outcome: ReviewOutcome; note: string }): Promise<BreakGlassReview> {
    return reviewBreakGlass(this.storage.db, this.caller, seq, review);
  }

  /**
   * What the platform's stores hold about a person for a subject access request: their EHR
   * extract and the audit trail about them. Only for the person, or an auditor trusted with every
   * organisation; the export is audited once assembled (`auditSubjectAccessExport`).
   */
  async subjectAccessRecords(nhsNumber: string): Promise<SubjectAccessRecords> {
    requireSubjectAccessRight(this.caller, nhsNumber);
    const openehr = await readEhrExtract(this.storage.db, nhsNumber);
    return { openehr, access: await readPersonAuditTrail(this.storage.db, nhsNumber) };
  }

  /** Audits a subject access export, durably, before it leaves: what it held, in counts. */
  async auditSubjectAccessExport(
    nhsNumber: string,
    ehrId: string | undefined,
    held: { versions: number; fhirResources: number; auditEntries: number },
  ): Promise<void> {
    await appendAuditNow(
      this.storage.db,
      auditRecordFor(this.caller, {
        action: 'read',
        nhsNumber,
        ...(ehrId ? { ehrId } : {}),
        resource: { type: 'subject-access-export', id: nhsNumber },
        detail: held,
      }),
    );
  }

  /**
   * Records a write in the platform's audit trail inside the write's own transaction, so a change
   * and its audit record exist together or not at all.
   */
  writeTrail(access: PersonAccess | undefined, write: WriteAudit, nhsNumberOfNewRecord?: string): NonNullable<CommitAudit['trail']> {
    return async (tx, committed) => {
      const ehrId = access?.ehrId || committed.ehrId;
      const nhsNumber = access?.nhsNumber || nhsNumberOfNewRecord;
      await appendAudit(
        tx,
        auditRecordFor(this.caller, {
          action: write.action,
          ...(nhsNumber ? { nhsNumber } : {}),
          ...(ehrId ? { ehrId } : {}),
          resource:
            committed.contributionId !== undefined
              ? { type: 'CONTRIBUTION', id: committed.contributionId }
              : { type: write.recordType ?? 'EHR', id: ehrId ?? '' },
          detail: {
            versions: [...committed.versionUids],
            route: this.context.origin,
            ...(access ? { basis: access.decision.basis, explanation: access.decision.explanation } : {}),
          },
        }),
      );
      if (write.ownProjections || !ehrId || committed.versionUids.length === 0) return;
      for (const project of this.storage.projections ?? []) await project(tx, { ehrId, versionUids: committed.versionUids });
    };
  }

  /** A writer for a service's write of `access` (or of a record not yet made, named by `nhsNumberOfNewRecord`). */
  writer(access: PersonAccess | undefined, write: WriteAudit, nhsNumberOfNewRecord?: string): RecordWriter {
    const person = access ? { ehrId: access.ehrId, nhsNumber: access.nhsNumber, breakGlassPossible: false } : undefined;
    return {
      caller: this.caller,
      refuse: (explanation) => this.refuse(explanation, person),
      requireSeniorDecisionRight: (change) => this.requireSeniorDecisionRight(change, access),
      trail: this.writeTrail(access, write, nhsNumberOfNewRecord),
    };
  }

  /**
   * Whose records the caller's queries may range over; refused (audited, naming the stored query
   * when there is one) when none.
   */
  async queryScope(stored?: { name: string; version: string }): Promise<AllowedQueryScope> {
    const scope = decideQueryScope(this.caller);
    if (!scope.allowed) {
      return this.refuse(
        scope.explanation,
        undefined,
        stored ? { type: 'stored-query', id: `${stored.name}/${stored.version}` } : undefined,
      );
    }
    return scope;
  }

  /**
   * The senior-decision rule, for every route that writes: creating, changing or removing a CPR
   * recommendation needs a caller who may record senior decisions.
   */
  async requireSeniorDecisionRight(change: SeniorDecisionChange, access?: PersonAccess): Promise<void> {
    if (!touchesSeniorDecisions(change) || mayRecordSeniorDecisions(this.caller)) return;
    await this.refuse(
      `${describeSeniorDecisionChange(change)} (a CPR recommendation) needs plan:approve, which a senior clinician has`,
      access ? { ehrId: access.ehrId, nhsNumber: access.nhsNumber, breakGlassPossible: false } : undefined,
    );
  }

  /** A new EHR (optionally with its EHR_STATUS naming the subject), audited as a creation in its transaction. */
  async createEhr(input: { ehrId?: string; status?: unknown }, committer: Committer): Promise<EhrView> {
    const subject = subjectNhsNumber(input.status);
    return this.storage.openehr.ehrs.create(input, {
      ...committer,
      trail: this.writeTrail(undefined, { action: 'create' }, subject),
    });
  }

  /** The EHR of a subject (one index look-up), audited as a read of that person's record. */
  async findEhrBySubject(subject: SubjectRef): Promise<EhrView> {
    const view = await this.storage.openehr.ehrs.findBySubject(subject);
    await this.auditPeopleRead([{ ehrId: view.ehr.ehrId, nhsNumber: view.ehr.subject?.id }], {
      lookup: 'EHR by subject',
      namespace: subject.namespace,
    });
    return view;
  }

  /** The openEHR records of one person the caller was allowed to act on, with the write rules applied. */
  records(access: PersonAccess): PersonRecords {
    return new PersonRecords(this, this.storage.openehr, access);
  }

  /** Both ids of the person and the facts the decision needs; by EHR (most routes) in one round trip. */
  async #resolve(ref: PersonRef): Promise<{ ehrId: string; nhsNumber: string; facts: PersonAccessFacts }> {
    const { db } = this.storage;
    if ('nhsNumber' in ref) {
      const nhsNumber = isValidNhsNumber(ref.nhsNumber) ? ref.nhsNumber : '';
      const ehr = nhsNumber ? await findEhrBySubject(db, { namespace: NHS_NUMBER_SYSTEM, id: nhsNumber }) : undefined;
      return { ehrId: ehr?.ehrId ?? '', nhsNumber, facts: await readPersonAccessFacts(db, nhsNumber) };
    }
    const ehrId = ref.ehrId.toLowerCase();
    if (!isUuid(ehrId)) return { ehrId, nhsNumber: '', facts: await readPersonAccessFacts(db, '') };
    return { ehrId, ...(await readEhrAccessFacts(db, ehrId)) };
  }
}

/** Makes the repository of each caller over the process's stores. */
export class Repositories {
  constructor(private readonly storage: RepositoryStorage) {}

  forCaller(caller: Caller, context: RepositoryContext): Repository {
    return new Repository(caller, this.storage, context);
  }
}

/** The NHS number an EHR_STATUS names as its subject, if it names one. */
function subjectNhsNumber(status: unknown): string | undefined {
  if (status === undefined || status === null) return undefined;
  const checked = readEhrStatusFacts(status);
  const subject = 'facts' in checked ? checked.facts.subject : undefined;
  return subject?.namespace === NHS_NUMBER_SYSTEM ? subject.id : undefined;
}

import { randomUUID } from 'node:crypto';

/** The national record locator's document types for the plans this platform holds (SNOMED CT). */
export const NRL_TYPES = {
  respectForm: { code: '1382601000000107', display: 'ReSPECT (Recommended Summary Plan for Emergency Care and Treatment) form' },
  endOfLifeCareCoordinationSummary: { code: '861421000000109', display: 'End of life care coordination summary' },
  advanceCarePlan: { code: '736366004', display: 'Advance care plan' },
  emergencyHealthCarePlan: { code: '887701000000100', display: 'Emergency health care plan' },
} as const;
export const NRL_CATEGORY = { code: '734163000', display: 'Care plan' } as const;

/** A document type the locator lists a pointer under: one of NRL_TYPES, or a pathway's own (`recordType`). */
export interface NrlType {
  readonly code: string;
  readonly display: string;
}

/** A pointer as this platform asks the locator to keep it (an NRL DocumentReference, reduced to what varies). */
export interface NrlPointer {
  /**
   * Stable for one plan and type (`<ehr id>/<type code>`): the locator refuses a second pointer
   * with the same master identifier, so a create repeated after a crash cannot duplicate one.
   */
  masterIdentifier: string;
  nhsNumber: string;
  type: NrlType;
  status: 'current' | 'superseded' | 'entered-in-error';
  /** ODS code of the organisation that holds the document: this service. */
  custodianOdsCode: string;
  /** Where a consumer retrieves the document. */
  url: string;
  contentType: string;
  /** When the document last changed. */
  date: string;
  /** The plan version it points at. */
  version: number;
}

/**
 * The national record locator as this platform uses it: create a pointer, replace one (a new
 * version of the same document), and change its status (superseded, entered in error). The real
 * client speaks NRL's FHIR API through the NHS API platform; the stub keeps pointers in memory.
 */
export interface NrlClient {
  create(pointer: NrlPointer): Promise<string>;
  update(id: string, pointer: NrlPointer): Promise<void>;
}

/** For demonstrations and tests: pointers in memory, each change recorded in order. */
export class StubNrlClient implements NrlClient {
  readonly pointers = new Map<string, NrlPointer>();
  readonly log: { action: 'create' | 'update'; id: string; pointer: NrlPointer }[] = [];
  /** Tests set it to make the locator fail, as an unreachable national service would. */
  failing: Error | undefined;

  async create(pointer: NrlPointer): Promise<string> {
    if (this.failing) throw this.failing;
    const existing = [...this.pointers].find(([, stored]) => stored.masterIdentifier === pointer.masterIdentifier);
    if (existing) return existing[0];
    const id = `stub-${randomUUID()}`;
    this.pointers.set(id, pointer);
    this.log.push({ action: 'create', id, pointer });
    return id;
  }

  async update(id: string, pointer: NrlPointer): Promise<void> {
    if (this.failing) throw this.failing;
    if (!this.pointers.has(id)) throw new Error(`the stub locator has no pointer ${id}`);
    this.pointers.set(id, pointer);
    this.log.push({ action: 'update', id, pointer });
  }
}

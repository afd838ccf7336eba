/**
 * RM common package (archetyped, generic, change_control, directory), typed as in canonical JSON
 * (conventions: see support.ts).
 */
import type {
  AnyDvText,
  AnyDvUri,
  DvCodedText,
  DvDateTime,
  DvEhrUri,
  DvEncapsulated,
  DvIdentifier,
  DvInterval,
  DvMultimedia,
} from './data-types.js';
import type { ItemStructure } from './data-structures.js';
import type { AnyObjectRef, ArchetypeId, HierObjectId, ObjectVersionId, PartyRef, TemplateId, UidBasedId } from './support.js';

export interface Archetyped {
  _type?: 'ARCHETYPED';
  archetype_id: ArchetypeId;
  template_id?: TemplateId;
  rm_version: string;
}

export interface Link {
  _type?: 'LINK';
  meaning: AnyDvText;
  type: AnyDvText;
  target: DvEhrUri;
}

export interface FeederAuditDetails {
  _type?: 'FEEDER_AUDIT_DETAILS';
  system_id: string;
  location?: AnyPartyIdentified;
  provider?: AnyPartyIdentified;
  subject?: PartyProxy;
  time?: DvDateTime;
  version_id?: string;
  other_details?: ItemStructure;
}

export interface FeederAudit {
  _type?: 'FEEDER_AUDIT';
  originating_system_item_ids?: DvIdentifier[];
  feeder_system_item_ids?: DvIdentifier[];
  original_content?: DvEncapsulated;
  originating_system_audit: FeederAuditDetails;
  feeder_system_audit?: FeederAuditDetails;
}

/** Fields every LOCATABLE has; `Locatable` (ehr.ts) is the union of the concrete locatables. */
export interface LocatableBase {
  archetype_node_id: string;
  name: AnyDvText;
  uid?: UidBasedId;
  links?: Link[];
  archetype_details?: Archetyped;
  feeder_audit?: FeederAudit;
}

interface PartyProxyBase {
  external_ref?: PartyRef;
}

export interface PartySelf extends PartyProxyBase {
  _type?: 'PARTY_SELF';
}

interface PartyIdentifiedBase extends PartyProxyBase {
  name?: string;
  identifiers?: DvIdentifier[];
}

export interface PartyIdentified extends PartyIdentifiedBase {
  _type?: 'PARTY_IDENTIFIED';
}

export interface PartyRelated extends PartyIdentifiedBase {
  _type?: 'PARTY_RELATED';
  relationship: DvCodedText;
}

export type AnyPartyIdentified = PartyIdentified | PartyRelated;
export type PartyProxy = PartySelf | AnyPartyIdentified;

export interface Participation {
  _type?: 'PARTICIPATION';
  function: AnyDvText;
  performer: PartyProxy;
  time?: DvInterval<DvDateTime>;
  mode?: DvCodedText;
}

interface AuditDetailsBase {
  system_id: string;
  committer: PartyProxy;
  time_committed: DvDateTime;
  change_type: DvCodedText;
  description?: AnyDvText;
}

export interface AuditDetails extends AuditDetailsBase {
  _type?: 'AUDIT_DETAILS';
}

export interface Attestation extends AuditDetailsBase {
  _type?: 'ATTESTATION';
  attested_view?: DvMultimedia;
  proof?: string;
  items?: AnyDvUri[];
  reason: AnyDvText;
  is_pending: boolean;
}

export type AnyAuditDetails = AuditDetails | Attestation;

export interface RevisionHistoryItem {
  _type?: 'REVISION_HISTORY_ITEM';
  version_id: ObjectVersionId;
  audits: AnyAuditDetails[];
}

export interface RevisionHistory {
  _type?: 'REVISION_HISTORY';
  items: RevisionHistoryItem[];
}

interface VersionBase {
  contribution: AnyObjectRef;
  commit_audit: AnyAuditDetails;
  signature?: string;
}

export interface OriginalVersion<T = unknown> extends VersionBase {
  _type?: 'ORIGINAL_VERSION';
  uid: ObjectVersionId;
  /** Absent when the version records a deletion. */
  data?: T;
  preceding_version_uid?: ObjectVersionId;
  other_input_version_uids?: ObjectVersionId[];
  attestations?: Attestation[];
  lifecycle_state: DvCodedText;
}

export interface ImportedVersion<T = unknown> extends VersionBase {
  _type?: 'IMPORTED_VERSION';
  item: OriginalVersion<T>;
}

export type Version<T = unknown> = OriginalVersion<T> | ImportedVersion<T>;

interface VersionedObjectBase {
  uid: HierObjectId;
  owner_id: AnyObjectRef;
  time_created: DvDateTime;
}

export interface VersionedObject extends VersionedObjectBase {
  _type?: 'VERSIONED_OBJECT';
}

export interface VersionedComposition extends VersionedObjectBase {
  _type?: 'VERSIONED_COMPOSITION';
}

export interface VersionedEhrStatus extends VersionedObjectBase {
  _type?: 'VERSIONED_EHR_STATUS';
}

export interface VersionedEhrAccess extends VersionedObjectBase {
  _type?: 'VERSIONED_EHR_ACCESS';
}

export interface VersionedFolder extends VersionedObjectBase {
  _type?: 'VERSIONED_FOLDER';
}

export interface Contribution {
  _type?: 'CONTRIBUTION';
  uid: HierObjectId;
  versions: AnyObjectRef[];
  audit: AnyAuditDetails;
}

export interface Folder extends LocatableBase {
  _type?: 'FOLDER';
  folders?: Folder[];
  items?: AnyObjectRef[];
  details?: ItemStructure;
}

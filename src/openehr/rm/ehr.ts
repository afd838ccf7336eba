/** RM ehr package and the union of every LOCATABLE, typed as in canonical JSON (conventions: see support.ts). */
import type { Folder, LocatableBase, PartySelf } from './common.js';
import type { Activity, Composition, ContentItem } from './composition.js';
import type { DvDateTime } from './data-types.js';
import type { DataStructure, Event, Item, ItemStructure } from './data-structures.js';
import type { AnyObjectRef, HierObjectId } from './support.js';

export interface EhrStatus extends LocatableBase {
  _type?: 'EHR_STATUS';
  subject: PartySelf;
  is_queryable: boolean;
  is_modifiable: boolean;
  other_details?: ItemStructure;
}

/** ACCESS_CONTROL_SETTINGS has no concrete subtype in RM 1.1.0; any object with a `_type`. */
export interface AccessControlSettings {
  _type: string;
  [attribute: string]: unknown;
}

export interface EhrAccess extends LocatableBase {
  _type?: 'EHR_ACCESS';
  settings?: AccessControlSettings;
}

export interface Ehr {
  _type?: 'EHR';
  system_id: HierObjectId;
  ehr_id: HierObjectId;
  time_created: DvDateTime;
  contributions: AnyObjectRef[];
  ehr_access: AnyObjectRef;
  ehr_status: AnyObjectRef;
  directory?: AnyObjectRef;
  folders?: AnyObjectRef[];
  compositions?: AnyObjectRef[];
}

export type Locatable = Composition | ContentItem | Activity | DataStructure | Event | Item | Folder | EhrStatus | EhrAccess;

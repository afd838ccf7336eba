/** RM composition and content packages, typed as in canonical JSON (conventions: see support.ts). */
import type { AnyPartyIdentified, LocatableBase, Participation, PartyProxy } from './common.js';
import type { AnyDvText, CodePhrase, DvCodedText, DvDateTime, DvParsable } from './data-types.js';
import type { History, ItemStructure, ItemTree } from './data-structures.js';
import type { AnyObjectRef, LocatableRef } from './support.js';

export interface EventContext {
  _type?: 'EVENT_CONTEXT';
  start_time: DvDateTime;
  end_time?: DvDateTime;
  location?: string;
  setting: DvCodedText;
  other_context?: ItemStructure;
  health_care_facility?: AnyPartyIdentified;
  participations?: Participation[];
}

export interface Composition extends LocatableBase {
  _type?: 'COMPOSITION';
  language: CodePhrase;
  territory: CodePhrase;
  category: DvCodedText;
  composer: PartyProxy;
  context?: EventContext;
  content?: ContentItem[];
}

export interface Section extends LocatableBase {
  _type?: 'SECTION';
  items?: ContentItem[];
}

export interface GenericEntry extends LocatableBase {
  _type?: 'GENERIC_ENTRY';
  data: ItemTree;
}

interface EntryBase extends LocatableBase {
  language: CodePhrase;
  encoding: CodePhrase;
  subject: PartyProxy;
  provider?: PartyProxy;
  other_participations?: Participation[];
  workflow_id?: AnyObjectRef;
}

interface CareEntryBase extends EntryBase {
  protocol?: ItemStructure;
  guideline_id?: AnyObjectRef;
}

export interface AdminEntry extends EntryBase {
  _type?: 'ADMIN_ENTRY';
  data: ItemStructure;
}

export interface Observation extends CareEntryBase {
  _type?: 'OBSERVATION';
  data: History;
  state?: History;
}

export interface Evaluation extends CareEntryBase {
  _type?: 'EVALUATION';
  data: ItemStructure;
}

export interface Activity extends LocatableBase {
  _type?: 'ACTIVITY';
  description: ItemStructure;
  timing?: DvParsable;
  action_archetype_id: string;
}

export interface Instruction extends CareEntryBase {
  _type?: 'INSTRUCTION';
  narrative: AnyDvText;
  expiry_time?: DvDateTime;
  wf_definition?: DvParsable;
  activities?: Activity[];
}

export interface IsmTransition {
  _type?: 'ISM_TRANSITION';
  current_state: DvCodedText;
  transition?: DvCodedText;
  careflow_step?: DvCodedText;
  reason?: AnyDvText[];
}

export interface InstructionDetails {
  _type?: 'INSTRUCTION_DETAILS';
  instruction_id: LocatableRef;
  activity_id: string;
  wf_details?: ItemStructure;
}

export interface Action extends CareEntryBase {
  _type?: 'ACTION';
  time: DvDateTime;
  description: ItemStructure;
  ism_transition: IsmTransition;
  instruction_details?: InstructionDetails;
}

export type CareEntry = Observation | Evaluation | Instruction | Action;
export type Entry = AdminEntry | CareEntry;
export type ContentItem = Section | GenericEntry | Entry;

/**
 * Identifiers and references (BASE base_types, formerly the RM support package), typed as in
 * canonical JSON.
 *
 * Conventions for all RM type files:
 * - an interface per concrete class, named as the spec names the class in PascalCase;
 * - `_type` is optional on concrete classes, since canonical JSON may omit it where the declared
 *   type is that very class; where the declared type is abstract or has subtypes the value must
 *   carry it, which these types cannot express (the structure checker does);
 * - an abstract class name is the union of its concrete descendants (`ObjectId`, `PartyProxy`),
 *   so values can be narrowed on `_type`; the shared fields live in a `…Base` interface;
 * - `Any…` names a concrete class together with its subtypes (`AnyObjectRef`), for attributes
 *   declared with a concrete class that has subtypes.
 */

interface ObjectIdBase {
  value: string;
}

export interface HierObjectId extends ObjectIdBase {
  _type?: 'HIER_OBJECT_ID';
}

export interface ObjectVersionId extends ObjectIdBase {
  _type?: 'OBJECT_VERSION_ID';
}

export interface ArchetypeId extends ObjectIdBase {
  _type?: 'ARCHETYPE_ID';
}

export interface TemplateId extends ObjectIdBase {
  _type?: 'TEMPLATE_ID';
}

export interface TerminologyId extends ObjectIdBase {
  _type?: 'TERMINOLOGY_ID';
}

export interface GenericId extends ObjectIdBase {
  _type?: 'GENERIC_ID';
  scheme: string;
}

export type UidBasedId = HierObjectId | ObjectVersionId;

export type ObjectId = UidBasedId | ArchetypeId | TemplateId | TerminologyId | GenericId;

interface ObjectRefBase {
  id: ObjectId;
  namespace: string;
  type: string;
}

export interface ObjectRef extends ObjectRefBase {
  _type?: 'OBJECT_REF';
}

export interface PartyRef extends ObjectRefBase {
  _type?: 'PARTY_REF';
}

export interface AccessGroupRef extends ObjectRefBase {
  _type?: 'ACCESS_GROUP_REF';
}

export interface LocatableRef extends ObjectRefBase {
  _type?: 'LOCATABLE_REF';
  id: UidBasedId;
  path?: string;
}

export type AnyObjectRef = ObjectRef | PartyRef | AccessGroupRef | LocatableRef;

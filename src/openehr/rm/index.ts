/** The openEHR Reference Model: types, run-time metadata, ISO 8601, structure check, canonical XML. */
export type * from './support.js';
export type * from './data-types.js';
export type * from './data-structures.js';
export type * from './common.js';
export type * from './composition.js';
export type * from './ehr.js';

export {
  RM_ANY_TYPE,
  RmTypeError,
  formatRmType,
  getRmAncestors,
  getRmAttribute,
  getRmClass,
  isRmClass,
  isRmPrimitiveType,
  isSubtypeOf,
  listRmAttributes,
  listRmClasses,
  listRmSubtypes,
  parseRmType,
  resolveRmObjectType,
  rmBaseTypeName,
  specialiseRmType,
} from './rm-info.js';
export type { RmAttributeInfo, RmClassInfo, RmGenericParameter, RmTypeReference } from './rm-info.js';

export { parseIso8601, parseIso8601Date, parseIso8601DateTime, parseIso8601Duration, parseIso8601Time } from './iso8601.js';
export type {
  Iso8601Date,
  Iso8601DateTime,
  Iso8601Duration,
  Iso8601Kind,
  Iso8601Precision,
  Iso8601Result,
  Iso8601Time,
  Iso8601Timezone,
} from './iso8601.js';

export { checkRmStructure } from './rm-structure-check.js';
export type { RmIssue, RmIssueCode } from './rm-structure-check.js';

export { withExplicitRmTypes } from './rm-explicit-types.js';
export { coerceRmPrimitives } from './rm-primitive-coercion.js';

export { CanonicalXmlError, OPENEHR_XML_NAMESPACE, parseCanonicalXml, toCanonicalXml } from './canonical-xml.js';
export type { ParseCanonicalXmlOptions, ToCanonicalXmlOptions } from './canonical-xml.js';

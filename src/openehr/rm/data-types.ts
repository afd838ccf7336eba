/** RM data_types package, typed as in canonical JSON (conventions: see support.ts). */
import type { TerminologyId } from './support.js';

export interface CodePhrase {
  _type?: 'CODE_PHRASE';
  terminology_id: TerminologyId;
  code_string: string;
  preferred_term?: string;
}

export interface TermMapping {
  _type?: 'TERM_MAPPING';
  /** One of `=`, `<`, `>`, `?`. */
  match: string;
  purpose?: DvCodedText;
  target: CodePhrase;
}

export interface DvBoolean {
  _type?: 'DV_BOOLEAN';
  value: boolean;
}

export interface DvIdentifier {
  _type?: 'DV_IDENTIFIER';
  issuer?: string;
  assigner?: string;
  id: string;
  type?: string;
}

export interface DvState {
  _type?: 'DV_STATE';
  value: DvCodedText;
  is_terminal: boolean;
}

interface DvTextBase {
  value: string;
  hyperlink?: AnyDvUri;
  formatting?: string;
  mappings?: TermMapping[];
  language?: CodePhrase;
  encoding?: CodePhrase;
}

export interface DvText extends DvTextBase {
  _type?: 'DV_TEXT';
}

export interface DvCodedText extends DvTextBase {
  _type?: 'DV_CODED_TEXT';
  defining_code: CodePhrase;
}

export type AnyDvText = DvText | DvCodedText;

export interface DvParagraph {
  _type?: 'DV_PARAGRAPH';
  items: AnyDvText[];
}

export interface DvInterval<T extends DvOrdered = DvOrdered> {
  _type?: 'DV_INTERVAL';
  lower?: T;
  upper?: T;
  lower_included?: boolean;
  upper_included?: boolean;
  lower_unbounded: boolean;
  upper_unbounded: boolean;
}

export interface ReferenceRange<T extends DvOrdered = DvOrdered> {
  _type?: 'REFERENCE_RANGE';
  meaning: AnyDvText;
  range: DvInterval<T>;
}

interface DvOrderedBase<T extends DvOrdered = DvOrdered> {
  normal_range?: DvInterval<T>;
  other_reference_ranges?: ReferenceRange<T>[];
  normal_status?: CodePhrase;
}

interface DvQuantifiedBase<T extends DvOrdered = DvOrdered> extends DvOrderedBase<T> {
  /** One of `=`, `<`, `>`, `<=`, `>=`, `~`. */
  magnitude_status?: string;
}

interface DvAmountBase<T extends DvOrdered = DvOrdered> extends DvQuantifiedBase<T> {
  accuracy?: number;
  accuracy_is_percent?: boolean;
}

interface DvTemporalBase extends DvQuantifiedBase {
  accuracy?: DvDuration;
}

export interface DvQuantity extends DvAmountBase<DvQuantity> {
  _type?: 'DV_QUANTITY';
  magnitude: number;
  units: string;
  precision?: number;
  units_system?: string;
  units_display_name?: string;
  property?: CodePhrase;
}

export interface DvCount extends DvAmountBase<DvCount> {
  _type?: 'DV_COUNT';
  magnitude: number;
}

/** PROPORTION_KIND: 0 ratio, 1 unitary, 2 percent, 3 fraction, 4 integer fraction. */
export type ProportionKind = 0 | 1 | 2 | 3 | 4;

export interface DvProportion extends DvAmountBase<DvProportion> {
  _type?: 'DV_PROPORTION';
  numerator: number;
  denominator: number;
  type: ProportionKind;
  precision?: number;
}

export interface DvOrdinal extends DvOrderedBase {
  _type?: 'DV_ORDINAL';
  value: number;
  symbol: DvCodedText;
}

export interface DvScale extends DvOrderedBase {
  _type?: 'DV_SCALE';
  value: number;
  symbol: DvCodedText;
}

export interface DvDuration extends DvAmountBase {
  _type?: 'DV_DURATION';
  /** ISO 8601 duration, e.g. `P1Y3M`, `-P2W`. */
  value: string;
}

export interface DvDate extends DvTemporalBase {
  _type?: 'DV_DATE';
  /** ISO 8601 date, possibly partial: `2021`, `2021-10`, `2021-10-24`. */
  value: string;
}

export interface DvTime extends DvTemporalBase {
  _type?: 'DV_TIME';
  value: string;
}

export interface DvDateTime extends DvTemporalBase {
  _type?: 'DV_DATE_TIME';
  value: string;
}

interface DvEncapsulatedBase {
  charset?: CodePhrase;
  language?: CodePhrase;
}

export interface DvMultimedia extends DvEncapsulatedBase {
  _type?: 'DV_MULTIMEDIA';
  alternate_text?: string;
  uri?: AnyDvUri;
  /** Base64. */
  data?: string;
  media_type: CodePhrase;
  compression_algorithm?: CodePhrase;
  /** Base64. */
  integrity_check?: string;
  integrity_check_algorithm?: CodePhrase;
  size: number;
  thumbnail?: DvMultimedia;
}

export interface DvParsable extends DvEncapsulatedBase {
  _type?: 'DV_PARSABLE';
  value: string;
  formalism: string;
  /** Legacy (RM 1.0.x); kept readable for old data. */
  size?: number;
}

export interface DvUri {
  _type?: 'DV_URI';
  value: string;
}

export interface DvEhrUri {
  _type?: 'DV_EHR_URI';
  value: string;
}

export type AnyDvUri = DvUri | DvEhrUri;

export interface DvPeriodicTimeSpecification {
  _type?: 'DV_PERIODIC_TIME_SPECIFICATION';
  value: DvParsable;
}

export interface DvGeneralTimeSpecification {
  _type?: 'DV_GENERAL_TIME_SPECIFICATION';
  value: DvParsable;
}

export type DvTimeSpecification = DvPeriodicTimeSpecification | DvGeneralTimeSpecification;

export type DvTemporal = DvDate | DvTime | DvDateTime;
export type DvAmount = DvQuantity | DvCount | DvProportion | DvDuration;
export type DvAbsoluteQuantity = DvTemporal;
export type DvQuantified = DvAmount | DvAbsoluteQuantity;
export type DvOrdered = DvQuantified | DvOrdinal | DvScale;
export type DvEncapsulated = DvMultimedia | DvParsable;

export type DataValue =
  DvBoolean | DvIdentifier | DvState | AnyDvText | DvParagraph | DvInterval | DvOrdered | DvEncapsulated | AnyDvUri | DvTimeSpecification;

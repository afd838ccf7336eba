import { describe, expect, it } from 'vitest';
import { checkDataValueInvariants } from './data-value-invariants.js';

const names = (type: string, value: Record<string, unknown>): string[] =>
  checkDataValueInvariants(type, value).map((problem) => problem.constraint);

describe('checkDataValueInvariants', () => {
  it('DV_PROPORTION', () => {
    expect(names('DV_PROPORTION', { numerator: 1, denominator: 3, type: 0 })).toEqual([]);
    expect(names('DV_PROPORTION', { numerator: 1, denominator: 0, type: 0 })).toEqual(['invariant Valid_denominator']);
    expect(names('DV_PROPORTION', { numerator: 1, denominator: 2, type: 1 })).toEqual(['invariant Unitary_validity']);
    expect(names('DV_PROPORTION', { numerator: 1, denominator: 10, type: 2 })).toEqual(['invariant Percent_validity']);
    expect(names('DV_PROPORTION', { numerator: 3, denominator: 1, type: 3, precision: 0 })).toEqual([]);
    expect(names('DV_PROPORTION', { numerator: 3, denominator: 1, type: 3, precision: 1 })).toEqual(['invariant Fraction_validity']);
    expect(names('DV_PROPORTION', { numerator: 3.5, denominator: 1, type: 4 })).toEqual(['invariant Fraction_validity']);
    expect(names('DV_PROPORTION', { numerator: 3.5, denominator: 1, type: 0, precision: 0 })).toEqual(['invariant Is_integral_validity']);
  });

  it('DV_INTERVAL', () => {
    const count = (magnitude: number): Record<string, unknown> => ({ _type: 'DV_COUNT', magnitude });
    expect(names('DV_INTERVAL<DV_COUNT>', { lower: count(1), upper: count(2), lower_unbounded: false, upper_unbounded: false })).toEqual(
      [],
    );
    expect(names('DV_INTERVAL', { lower: count(3), upper: count(2), lower_unbounded: false, upper_unbounded: false })).toEqual([
      'invariant Limits_consistent',
    ]);
    expect(names('DV_INTERVAL', { lower_unbounded: true, upper_unbounded: true, lower_included: true })).toEqual([
      'invariant Lower_included_valid',
    ]);
    expect(names('DV_INTERVAL', { lower: count(1), lower_unbounded: false, upper_unbounded: true, upper_included: true })).toEqual([
      'invariant Upper_included_valid',
    ]);
    const quantity = (magnitude: number, units: string): Record<string, unknown> => ({ _type: 'DV_QUANTITY', magnitude, units });
    // Different units are not compared (no unit conversion).
    expect(
      names('DV_INTERVAL', { lower: quantity(2, 'm'), upper: quantity(150, 'cm'), lower_unbounded: false, upper_unbounded: false }),
    ).toEqual([]);
    const date = (value: string): Record<string, unknown> => ({ _type: 'DV_DATE', value });
    expect(names('DV_INTERVAL', { lower: date('2022'), upper: date('2021-10'), lower_unbounded: false, upper_unbounded: false })).toEqual([
      'invariant Limits_consistent',
    ]);
    const duration = (value: string): Record<string, unknown> => ({ _type: 'DV_DURATION', value });
    expect(
      names('DV_INTERVAL', { lower: duration('P2M'), upper: duration('P1M'), lower_unbounded: false, upper_unbounded: false }),
    ).toEqual(['invariant Limits_consistent']);
  });

  it('DV_MULTIMEDIA, DV_PARSABLE, DV_URI, DV_EHR_URI', () => {
    expect(names('DV_MULTIMEDIA', { media_type: {}, size: 0 })).toEqual(['invariant Not_empty']);
    expect(names('DV_MULTIMEDIA', { media_type: {}, size: 3, data: 'AAEC' })).toEqual([]);
    expect(names('DV_PARSABLE', { value: 'x', formalism: ' ' })).toEqual(['invariant Formalism_valid']);
    expect(names('DV_URI', { value: 'https://example.org/x' })).toEqual([]);
    // A relative reference is a URI reference too (RFC 3986 4.1): only an empty value breaks the RM.
    expect(names('DV_URI', { value: 'example.org/x' })).toEqual([]);
    expect(names('DV_URI', { value: ' ' })).toEqual(['invariant Value_valid']);
    expect(names('DV_EHR_URI', { value: 'ehr://system/ehr-id' })).toEqual([]);
    expect(names('DV_EHR_URI', { value: 'https://example.org' })).toEqual(['invariant Scheme_valid']);
  });

  it('has nothing to say about other types', () => {
    expect(names('DV_TEXT', { value: '' })).toEqual([]);
  });
});

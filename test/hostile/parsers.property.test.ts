import fc from 'fast-check';
import { Value } from 'typebox/value';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors/app-error.js';
import { isValidNhsNumber, nhsCheckDigit } from '../../src/nhs/nhs-number.js';
import { compileAql } from '../../src/openehr/aql/compile/compile-aql.js';
import { AqlCompileError } from '../../src/openehr/aql/compile/aql-compile-error.js';
import { AqlSyntaxError, parseAql } from '../../src/openehr/aql/parser/index.js';
import { FlatFormatError } from '../../src/openehr/flat/flat-format-error.js';
import { flatToComposition, skippedNodesFromTemplate } from '../../src/openehr/flat/index.js';
import { structuredToComposition } from '../../src/openehr/flat/structured.js';
import { CanonicalXmlError, parseCanonicalXml } from '../../src/openehr/rm/canonical-xml.js';
import { parseIso8601Date, parseIso8601DateTime, parseIso8601Duration, parseIso8601Time } from '../../src/openehr/rm/iso8601.js';
import { coerceRmPrimitives } from '../../src/openehr/rm/rm-primitive-coercion.js';
import { RmTypeError } from '../../src/openehr/rm/rm-info.js';
import { ifMatchVersion, returnPreference, versionHeaders } from '../../src/openehr/rest/openehr-headers.js';
import { parseOperationalTemplate } from '../../src/openehr/template/opt-parser.js';
import { TemplateParseError } from '../../src/openehr/template/template-parse-error.js';
import { buildWebTemplate } from '../../src/openehr/template/web-template-builder.js';
import type { WebTemplate } from '../../src/openehr/template/web-template-model.js';
import type { OperationalTemplate } from '../../src/openehr/template/opt-model.js';
import { validateComposition } from '../../src/openehr/validation/index.js';
import { FormOverridesSchema, PathwayDefinitionSchema } from '../../src/careplan/pathway/pathway-definition.js';
import { buildFormDefinition } from '../../src/careplan/pathway/form-definition.js';
import { readOpenEhrFixture, SDK } from '../support/fixtures.js';
import { jsonSuiteQueries } from '../support/aql-fixture-queries.js';
import { fuzzParameters, mutationsOf, nastyJson, nastyString, timed } from './hostile-arbitraries.js';

/**
 * Property tests of every parser behind a public entry: whatever it is given, it answers with
 * its own refusal (or a result) in bounded time — never a TypeError, RangeError (stack overflow)
 * or any other crash that would become a 500. `npm run fuzz` runs each 100,000 times.
 */

/** The refusals each parser is allowed to throw: they become a 4xx in every API. */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof TemplateParseError ||
    error instanceof CanonicalXmlError ||
    error instanceof FlatFormatError ||
    error instanceof AqlSyntaxError ||
    error instanceof AqlCompileError ||
    error instanceof RmTypeError ||
    (error instanceof AppError && error.status < 500)
  );
}

/** No hang: far above what any of these takes on a real input, far below a client's patience. */
const MAX_MS = 5_000;

function mustAnswer(work: () => unknown): void {
  const { error, ms } = timed(work);
  if (error !== undefined && !isRefusal(error)) throw error;
  expect(ms).toBeLessThan(MAX_MS);
}

const OPT_FRAGMENTS = [
  '<!DOCTYPE t [<!ENTITY x "y">]>',
  '&x;',
  '<children>',
  '</children>',
  '<occurrences>',
  '<lower>-1</lower>',
  'xsi:type="C_BOOLEAN"',
];

describe('hostile input to the parsers', () => {
  let optText: string;
  let opt: OperationalTemplate;
  let webTemplate: WebTemplate;
  let flatKeys: string[];
  let adverseWebTemplate: WebTemplate;
  let adverseSkipped: ReturnType<typeof skippedNodesFromTemplate>;
  let canonicalXml: string;
  let queries: string[];

  beforeAll(async () => {
    optText = await readOpenEhrFixture(`${SDK}operationaltemplate/minimal_evaluation.opt`);
    opt = parseOperationalTemplate(optText);
    webTemplate = buildWebTemplate(opt);
    const adverse = parseOperationalTemplate(await readOpenEhrFixture(`${SDK}operationaltemplate/IDCR - Adverse Reaction List.v1.opt`));
    adverseWebTemplate = buildWebTemplate(adverse);
    adverseSkipped = skippedNodesFromTemplate(adverse);
    flatKeys = Object.keys(
      JSON.parse(await readOpenEhrFixture(`${SDK}composition/flat/simSDT/IDCR - Adverse Reaction List.json`)) as object,
    );
    canonicalXml = await readOpenEhrFixture(`${SDK}composition/canonical_xml/RIPPLE_conformanceTesting_ADMIN_ENTRY.xml`);
    queries = jsonSuiteQueries('aql_queries_valid')
      .map((query) => query.text)
      .slice(0, 50);
  });

  it('OPT XML: mutated templates and deep nesting are refused with a TemplateParseError', () => {
    const deep = fc
      .integer({ min: 10, max: 50_000 })
      .map((n) => `<template xmlns="http://schemas.openehr.org/v1">${'<a>'.repeat(n)}${'</a>'.repeat(n)}</template>`);
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 8, arbitrary: mutationsOf(optText, OPT_FRAGMENTS) },
          { weight: 1, arbitrary: deep },
          { weight: 1, arbitrary: nastyString },
        ),
        (xml) => mustAnswer(() => parseOperationalTemplate(xml)),
      ),
      fuzzParameters(),
    );
  });

  it('canonical XML: mutated compositions and deep nesting are refused with a CanonicalXmlError', () => {
    const deep = fc
      .integer({ min: 10, max: 50_000 })
      .map((n) => `<composition xmlns="http://schemas.openehr.org/v1">${'<content>'.repeat(n)}${'</content>'.repeat(n)}</composition>`);
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 8, arbitrary: mutationsOf(canonicalXml, OPT_FRAGMENTS) },
          { weight: 1, arbitrary: deep },
          { weight: 1, arbitrary: nastyString },
        ),
        (xml) => mustAnswer(() => parseCanonicalXml(xml, { type: 'COMPOSITION' })),
      ),
      fuzzParameters(),
    );
  });

  it('canonical JSON: any value is coerced and validated into a list of issues, never a crash', () => {
    fc.assert(
      fc.property(nastyJson, (value) =>
        mustAnswer(() => {
          const coerced = coerceRmPrimitives(value, 'COMPOSITION');
          const issues = validateComposition(coerced, opt);
          expect(Array.isArray(issues)).toBe(true);
        }),
      ),
      fuzzParameters(),
    );
  });

  it('FLAT: hostile values under real keys, and hostile keys, are refused with a FlatFormatError', () => {
    const realKeyed = fc.dictionary(fc.constantFrom(...flatKeys), nastyJson, { maxKeys: 8 });
    const anyKeyed = fc.dictionary(
      fc.oneof(
        fc.constantFrom(...flatKeys).map((key) => `${key}/${'x|'.repeat(3)}`),
        nastyString,
      ),
      nastyJson,
      { maxKeys: 6 },
    );
    fc.assert(
      fc.property(fc.oneof(realKeyed, anyKeyed), (flat) =>
        mustAnswer(() => flatToComposition(flat, adverseWebTemplate, { skippedNode: adverseSkipped, now: '2026-01-01T00:00:00Z' })),
      ),
      fuzzParameters(),
    );
  });

  it('STRUCTURED: any JSON object is converted or refused with a FlatFormatError', () => {
    const structured = fc.oneof(
      fc.dictionary(fc.constantFrom(webTemplate.tree.id, 'ctx', 'minimal'), nastyJson, { maxKeys: 3 }),
      nastyJson.filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)),
    );
    fc.assert(
      fc.property(structured, (value) => mustAnswer(() => structuredToComposition(value as never, webTemplate))),
      fuzzParameters(),
    );
  });

  it('AQL: mutated real queries parse and compile, or are refused with a syntax or compile error', () => {
    const mutated = fc
      .constantFrom(...queries)
      .chain((query) => mutationsOf(query, [' OR ', ' AND ', '(', ')', 'CONTAINS', "'", '$p', '[at0001]']));
    const chained = fc
      .integer({ min: 100, max: 20_000 })
      .map((n) => `SELECT e/ehr_id/value FROM EHR e WHERE ${Array.from({ length: n }, (_, i) => `e/ehr_id/value = '${i}'`).join(' OR ')}`);
    fc.assert(
      fc.property(
        fc.oneof({ weight: 8, arbitrary: mutated }, { weight: 1, arbitrary: chained }, { weight: 1, arbitrary: nastyString }),
        (text) => mustAnswer(() => compileAql(parseAql(text), { parameters: {}, ehrScope: { kind: 'all' }, offset: 0, fetch: 10 })),
      ),
      fuzzParameters(),
    );
  });

  it('NHS numbers: valid exactly when ten digits carry their check digit; nothing throws', () => {
    fc.assert(
      fc.property(fc.oneof(nastyString, fc.stringMatching(/^\d{10}$/)), (text) => {
        const valid = isValidNhsNumber(text);
        const expected = /^\d{10}$/.test(text) && nhsCheckDigit(text.slice(0, 9)) === Number(text[9]);
        expect(valid).toBe(expected);
      }),
      fuzzParameters(),
    );
  });

  it('dates, times and durations: any text gives a result or a reason, never an exception', () => {
    const dateLike = fc.oneof(
      nastyString,
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      fc.stringMatching(/^[0-9T:+\-.ZPYMWDHS]{1,40}$/),
    );
    fc.assert(
      fc.property(dateLike, (text) =>
        mustAnswer(() => {
          for (const parse of [parseIso8601Date, parseIso8601Time, parseIso8601DateTime, parseIso8601Duration])
            expect(parse(text)).toBeTypeOf('object');
        }),
      ),
      fuzzParameters(),
    );
  });

  it('pathway and form definitions: any JSON is checked against the schema; accepted form overrides build a form', () => {
    fc.assert(
      fc.property(nastyJson, (value) =>
        mustAnswer(() => {
          const pathway = Value.Default(PathwayDefinitionSchema, structuredClone(value));
          if (!Value.Check(PathwayDefinitionSchema, pathway))
            expect([...Value.Errors(PathwayDefinitionSchema, pathway)].length).toBeGreaterThan(0);
          if (Value.Check(FormOverridesSchema, value)) expect(buildFormDefinition(webTemplate, value).sections).toBeDefined();
        }),
      ),
      fuzzParameters(),
    );
  });

  it('HTTP headers of the openEHR API: Prefer, If-Match, lifecycle state and change type', () => {
    const header = fc.oneof(nastyString, fc.constantFrom('return=representation', 'code_string="553"', 'code_string="250"', 'W/"x::y::1"'));
    fc.assert(
      fc.property(header, header, header, (prefer, ifMatch, state) =>
        mustAnswer(() => {
          expect(['minimal', 'representation', 'identifier']).toContain(returnPreference(prefer));
          expect(typeof ifMatchVersion(ifMatch, 'Updating')).toBe('string');
          versionHeaders({ 'openehr-version.lifecycle_state': state, 'openehr-audit_details.change_type': state });
        }),
      ),
      fuzzParameters(),
    );
  });
});

import fc from 'fast-check';

/**
 * Inputs an attacker (or a broken client) sends, for the property tests of every parser and
 * public entry. `npm run fuzz` sets FUZZ_RUNS to 100,000; `npm test` runs a quick sample.
 */
export const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? 100);

/** A fixed seed when FUZZ_SEED is set, to replay a failure reported by an earlier run. */
export function fuzzParameters(runs: number = FUZZ_RUNS): fc.Parameters<unknown> {
  const seed = process.env['FUZZ_SEED'];
  return { numRuns: runs, ...(seed ? { seed: Number(seed) } : {}) };
}

/** Characters that break things: NUL and controls, lone surrogates, quoting and markup, RTL, astral. */
const nastyCharacter = fc.oneof(
  fc.constantFrom('\u0000', '\u0001', '\u001f', '\u007f', '\ud800', '\udfff', '\ufeff', '\u202e', '\u2028', '\uffff', '😀'),
  fc.constantFrom('"', "'", '\\', '<', '>', '&', '/', '{', '}', '[', ']', ':', ',', '%', '$', '*', '?', '#', '\n', '\r', '\t', ' '),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.string({ minLength: 1, maxLength: 1 }),
);

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 16, arbitrary: fc.string({ unit: nastyCharacter, maxLength: 40 }) },
  { weight: 8, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 4, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '_type', 'value', '') },
  // Huge strings: one character repeated, up to a megabyte (rarely: they dominate the run time).
  { weight: 1, arbitrary: fc.tuple(nastyCharacter, fc.integer({ min: 1_000, max: 50_000 })).map(([c, n]) => c.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('a'.repeat(1_000_000), '\u0000'.repeat(100_000), '\ud800'.repeat(100_000)) },
);

/** Object keys, including the ones that reach prototypes. */
export const nastyKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', '_type', 'name', 'value', 'archetype_node_id') },
  { weight: 1, arbitrary: fc.string({ unit: nastyCharacter, maxLength: 8 }) },
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, 1e308, -1e308, true, false, null),
);

/** JSON-shaped values whose strings and keys are hostile, nested a few levels. */
export const nastyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(nastyKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/** Nesting far beyond any real document, as JSON text (building it as an object would itself recurse). */
export const deeplyNestedJsonText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 50, max: 5_000 }), fc.constantFrom('array', 'object'), fc.constantFrom('1', '"x"', 'null'))
  .map(([depth, kind, inner]) =>
    kind === 'array' ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`,
  );

/** Huge flat arrays. */
export const hugeArrayJsonText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('0', '""', '{}', '[]'))
  .map(([length, element]) => `[${Array.from({ length }, () => element).join(',')}]`);

/** Any of the above as request body text, plus plain hostile text and JSON with prototype keys. */
export const nastyJsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: nastyJson.map((value) => JSON.stringify(value) ?? 'null') },
  { weight: 1, arbitrary: deeplyNestedJsonText },
  { weight: 1, arbitrary: hugeArrayJsonText },
  { weight: 1, arbitrary: nastyString },
  {
    weight: 1,
    arbitrary: fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', '{"a":1,"a":2}'),
  },
);

/** Mutations of a well-formed text: hostile fragments inserted, parts cut out or repeated. */
export function mutationsOf(text: string, fragments: readonly string[] = []): fc.Arbitrary<string> {
  const fragment = fc.oneof(nastyString, fc.constantFrom(...fragments, '\u0000', '\ud800', '<', '>', '"', '&amp;', ']]>'));
  const edit = fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 200 }), fragment);
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) =>
    edits.reduce((current, [at, cut, inserted]) => {
      const position = Math.min(at, current.length);
      return current.slice(0, position) + inserted + current.slice(Math.min(current.length, position + cut));
    }, text),
  );
}

/** Runs `work` and reports how long it took, so that properties can also say "no hang". */
export function timed<T>(work: () => T): { result: T | undefined; error: unknown; ms: number } {
  const started = performance.now();
  try {
    return { result: work(), error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { result: undefined, error, ms: performance.now() - started };
  }
}

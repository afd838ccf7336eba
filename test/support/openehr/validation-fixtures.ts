/**
 * Test support (not library code): the openEHR fixtures of test/fixtures/openehr, read and parsed
 * for validation tests, and small helpers to edit a composition in place.
 */
import { readFileSync } from 'node:fs';
import type { OperationalTemplate } from '../../../src/openehr/template/opt-model.js';
import { parseOperationalTemplate } from '../../../src/openehr/template/opt-parser.js';
import { isJsonObject, type JsonArray, type JsonObject } from '../../../src/shared/json.js';

const ROOT = new URL('../../fixtures/openehr/', import.meta.url);

/** The EHRbase integration-test data sets. */
export const IT = 'ehrbase-integration-tests/test_data_sets/';

const templates = new Map<string, OperationalTemplate>();

function text(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

export const fixtures = {
  text,

  /** A parsed OPT, parsed once per path (tests must not mutate it; use `structuredClone`). */
  template(path: string): OperationalTemplate {
    let template = templates.get(path);
    if (!template) {
      template = parseOperationalTemplate(text(path));
      templates.set(path, template);
    }
    return template;
  },

  /** A fresh copy of a canonical JSON composition, free to edit. */
  composition(path: string): JsonObject {
    const value: unknown = JSON.parse(text(path));
    if (!isJsonObject(value)) throw new Error(`${path} is not a JSON object`);
    return value;
  },
};

/** The object at a path of keys and indexes; throws when the fixture does not have it. */
export function objectAt(root: unknown, ...steps: (string | number)[]): JsonObject {
  let current = root;
  for (const step of steps) {
    if (typeof step === 'number') current = Array.isArray(current) ? (current as unknown[])[step] : undefined;
    else current = isJsonObject(current) ? current[step] : undefined;
  }
  if (!isJsonObject(current)) throw new Error(`no object at ${steps.join('/')}`);
  return current;
}

/** The list at a path of keys and indexes; throws when the fixture does not have it. */
export function listAt(root: unknown, ...steps: (string | number)[]): JsonArray {
  const last = steps.at(-1);
  const owner = objectAt(root, ...steps.slice(0, -1));
  const list = typeof last === 'string' ? owner[last] : undefined;
  if (!Array.isArray(list)) throw new Error(`no list at ${steps.join('/')}`);
  return list;
}

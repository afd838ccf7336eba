/**
 * Test support only (not exported from index.ts): reads the openEHR fixtures committed under
 * test/fixtures/openehr and builds web templates and skipped-node lookups from their OPTs.
 */

import { readFileSync } from 'node:fs';
import { buildWebTemplate, parseOperationalTemplate } from '../../../src/openehr/template/index.js';
import type { WebTemplate } from '../../../src/openehr/template/web-template-model.js';
import type { SkippedNodeInfo } from '../../../src/openehr/flat/flat-to-canonical.js';
import { isJsonObject, type JsonObject } from '../../../src/shared/json.js';
import { skippedNodesFromTemplate } from '../../../src/openehr/flat/skipped-nodes.js';

const ROOT = new URL('../../fixtures/openehr/', import.meta.url);

export const SDK = 'ehrbase-openEHR_SDK/';
export const IT = 'ehrbase-integration-tests/test_data_sets/';

export function fixtureText(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

export function fixtureJson(path: string): JsonObject {
  const value: unknown = JSON.parse(fixtureText(path));
  if (!isJsonObject(value)) throw new Error(`${path} is not a JSON object`);
  return value;
}

/** A fixture FLAT document (values are JSON scalars, or objects under |raw). */
export function fixtureFlat(path: string): Record<string, unknown> {
  return fixtureJson(path);
}

export interface TemplateFixture {
  readonly webTemplate: WebTemplate;
  readonly skippedNode: (path: string, language: string) => SkippedNodeInfo | undefined;
}

const templates = new Map<string, TemplateFixture>();

/** Web template and skipped-node lookup of an OPT fixture (cached per test file). */
export function templateFixture(optPath: string): TemplateFixture {
  let fixture = templates.get(optPath);
  if (!fixture) {
    const template = parseOperationalTemplate(fixtureText(optPath));
    fixture = { webTemplate: buildWebTemplate(template), skippedNode: skippedNodesFromTemplate(template) };
    templates.set(optPath, fixture);
  }
  return fixture;
}

/** One of the two web templates committed as JSON fixtures. */
export function committedWebTemplate(name: 'test_all_types' | 'multi_occurrence'): WebTemplate {
  return fixtureJson(`${SDK}webtemplate/${name}.json`) as unknown as WebTemplate;
}

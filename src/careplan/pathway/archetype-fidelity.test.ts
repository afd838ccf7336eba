import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAdlTermDefinitions, readArchetypeLibrary } from '../../../test/support/adl-terms.js';
import { checkTemplateDescription, descriptionTerms, type TemplateDescription } from '../../openehr/template-builder/index.js';
import { UCP_TEMPLATES_ROOT } from './compile-template-descriptions.js';

const FIXTURES = new URL('../../../test/fixtures/openehr/', import.meta.url);
const library = readArchetypeLibrary([
  new URL('ckm-archetypes/', FIXTURES).pathname,
  new URL('respect-nes/Archetypes/', FIXTURES).pathname,
]);
const descriptionsFolder = new URL('descriptions/', UCP_TEMPLATES_ROOT);
const descriptions = readdirSync(descriptionsFolder)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map(
    (file) =>
      [file, JSON.parse(readFileSync(new URL(encodeURIComponent(file), descriptionsFolder), 'utf8')) as TemplateDescription] as const,
  );

/** Local archetypes live in our own namespace: their concept starts with ucp_. */
const LOCAL_CONCEPT = /^openEHR-EHR-[A-Z_]+\.ucp_[a-z0-9_]+\.v0$/;

/** Every problem of one description against the published archetypes. */
function fidelityProblems(description: TemplateDescription): string[] {
  const local = new Set(description.localArchetypes ?? []);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const term of descriptionTerms(description)) {
    if (local.has(term.archetypeId)) {
      if (!LOCAL_CONCEPT.test(term.archetypeId))
        problems.push(`${term.path}: local archetype ${term.archetypeId} is not in the ucp_ namespace (openEHR-EHR-<RM>.ucp_<concept>.v0)`);
      if (library.has(term.archetypeId)) problems.push(`${term.path}: ${term.archetypeId} is published; it cannot be declared local`);
      continue;
    }
    const terms = library.get(term.archetypeId)?.['en'];
    if (terms === undefined) {
      if (!seen.has(term.archetypeId))
        problems.push(`${term.path}: ${term.archetypeId} is neither a published archetype in the fixtures nor declared local`);
      seen.add(term.archetypeId);
      continue;
    }
    const published = terms[term.code];
    if (published === undefined) problems.push(`${term.path}: ${term.code} does not exist in ${term.archetypeId}`);
    else if (published.text !== term.text)
      problems.push(`${term.path}: ${term.archetypeId} ${term.code} is "${published.text}", not "${term.text}" (declare a rename instead)`);
  }
  return problems;
}

describe('readAdlTermDefinitions', () => {
  it('reads at-codes with text and description, per language', () => {
    const adl = readFileSync(new URL('ckm-archetypes/cluster/openEHR-EHR-CLUSTER.person.v1.adl', FIXTURES), 'utf8');
    const terms = readAdlTermDefinitions(adl);
    expect(terms['en']?.['at0000']).toEqual({ text: 'Person', description: 'An individual human being.' });
    expect(terms['en']?.['at0004']?.text).toBe('Role');
    expect(Object.keys(terms['en'] ?? {}).length).toBeGreaterThan(8);
  });

  it('finds the term definitions of every archetype in the fixtures', () => {
    expect(library.size).toBeGreaterThanOrEqual(40);
    for (const [id, terms] of library) expect(terms['en']?.['at0000'], id).toBeDefined();
  });
});

describe('archetype fidelity of the UCP templates', () => {
  it.each(descriptions)('%s uses published archetypes with their own at-codes and texts', (_file, description) => {
    expect(checkTemplateDescription(description)).toEqual([]);
    expect(fidelityProblems(description)).toEqual([]);
  });

  it('catches a made-up code, a changed text and an undeclared archetype', () => {
    const [, plan] = descriptions.find(([file]) => file === 'ucp-plan.v1.json') ?? [];
    expect(plan).toBeDefined();
    const broken = structuredClone(plan) as TemplateDescription;
    const author = broken.root.content[0]?.items[3];
    if (author === undefined || !('archetypeId' in author)) throw new Error('the plan header has no author cluster');
    author.items[0] = { ...author.items[0], text: 'Full name' } as (typeof author.items)[number];
    author.items[1] = { ...author.items[1], code: 'at0999' } as (typeof author.items)[number];
    broken.localArchetypes = (broken.localArchetypes ?? []).filter((id) => id !== 'openEHR-EHR-ADMIN_ENTRY.ucp_death.v0');
    expect(fidelityProblems(broken)).toEqual([
      '/root/content/0/items/3/items/0: openEHR-EHR-CLUSTER.person.v1 at0001 is "Name", not "Full name" (declare a rename instead)',
      '/root/content/0/items/3/items/1: at0999 does not exist in openEHR-EHR-CLUSTER.person.v1',
      '/root/content/2: openEHR-EHR-ADMIN_ENTRY.ucp_death.v0 is neither a published archetype in the fixtures nor declared local',
    ]);
  });
});

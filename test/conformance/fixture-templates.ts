/**
 * Which operational template each fixture belongs to. A fixture source may hold several OPTs with
 * one template id (EHRbase's revision tests: `nested_updated.opt`, `minimal_admin_updated.opt`, …);
 * uploading them all into one CDR would leave whichever came last as the current revision, and
 * the compositions written for the original would be checked against the revision. So the first
 * OPT of each id (in path order) is the template of record; the others are uploaded on their own.
 * FLAT and STRUCTURED documents do not name their template, so it is taken from the FLAT
 * round-trip corpus (which lists every FLAT fixture with its OPT) or, failing that, from the
 * file name.
 */
import { FLAT_FIXTURES } from '../support/openehr/round-trip-corpus.js';

/** The template id an OPT declares, read without parsing the whole template. */
export function declaredTemplateId(optXml: string): string | undefined {
  return /<template_id>\s*<value>([^<]*)<\/value>/.exec(optXml)?.[1]?.trim();
}

export interface TemplatePlan {
  /** The first OPT of each template id, in path order: uploaded before any composition. */
  readonly ofRecord: readonly string[];
  /** Further OPTs of an id already taken, in layers: each layer holds at most one OPT per id. */
  readonly revisionLayers: readonly (readonly string[])[];
}

export function planTemplates(opts: readonly { path: string; templateId: string | undefined }[]): TemplatePlan {
  const seen = new Map<string, number>();
  const ofRecord: string[] = [];
  const revisionLayers: string[][] = [];
  for (const { path, templateId } of opts) {
    // An OPT whose id cannot be read is uploaded anyway, so that the upload reports why.
    const count = templateId === undefined ? 0 : (seen.get(templateId) ?? 0);
    if (templateId !== undefined) seen.set(templateId, count + 1);
    if (count === 0) ofRecord.push(path);
    else (revisionLayers[count - 1] ??= []).push(path);
  }
  return { ofRecord, revisionLayers };
}

const FLAT_OPT = new Map(FLAT_FIXTURES.flatMap((fixture) => (fixture.opt === undefined ? [] : [[fixture.file, fixture.opt] as const])));

/** The OPT (path under the fixture root) the FLAT round-trip corpus gives a FLAT fixture. */
export function corpusOptOf(path: string): string | undefined {
  return FLAT_OPT.get(path);
}

const normalised = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The template a FLAT/STRUCTURED file was written for, among `templateIds` whose web template
 * root has the file's root id: the only one, else the one whose id starts the file name (the
 * longest such), else undefined.
 */
export function templateByFileName(path: string, templateIds: readonly string[]): string | undefined {
  if (templateIds.length <= 1) return templateIds[0];
  const file = normalised(path.split('/').pop() ?? '');
  return [...templateIds].filter((id) => file.startsWith(normalised(id))).sort((a, b) => normalised(b).length - normalised(a).length)[0];
}

const IT = 'ehrbase-integration-tests/test_data_sets/';

/**
 * Compositions written for a later revision of their template id (EHRbase's template update
 * tests), with that revision's OPT. They are committed in the CDR that holds the revision.
 */
const WRITTEN_FOR_REVISION: Readonly<Record<string, string>> = {
  [`${IT}valid_templates/minimal/cache_composition_updated.xml`]: `${IT}valid_templates/minimal/cache_updated.opt`,
};

/** The revision OPT a composition fixture was written for, when it is not its template of record. */
export function revisionOptOf(path: string): string | undefined {
  return WRITTEN_FOR_REVISION[path];
}

import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface AdlTerm {
  readonly text: string;
  readonly description: string;
}

/** language -> at-code -> term */
export type AdlTermDefinitions = Readonly<Record<string, Readonly<Record<string, AdlTerm>>>>;

const STRING = '"((?:[^"\\\\]|\\\\.)*)"';
const LANGUAGE = /\["([A-Za-z_-]+)"\]\s*=\s*<\s*items\s*=\s*</g;
const TERM = new RegExp(`\\["(at[0-9]{4}(?:\\.[0-9]+)*)"\\]\\s*=\\s*<\\s*text\\s*=\\s*<${STRING}>\\s*description\\s*=\\s*<${STRING}>`, 'g');

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/**
 * Reads the `ontology` / `term_definitions` of an ADL 1.4 archetype: the at-codes with their text
 * and description, per language. Only what the archetype fidelity test needs (no ADL parser:
 * the term definitions are a fixed dADL shape).
 */
export function readAdlTermDefinitions(adl: string): AdlTermDefinitions {
  const start = adl.search(/^\s*term_definitions\s*=\s*</m);
  if (start < 0) return {};
  const rest = adl.slice(start);
  const end = rest.search(/^\s*(?:constraint_definitions|term_bindings?|constraint_bindings?)\s*=/m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const headers = [...section.matchAll(LANGUAGE)];
  const result: Record<string, Record<string, AdlTerm>> = {};
  headers.forEach((header, index) => {
    const from = (header.index ?? 0) + header[0].length;
    const to = headers[index + 1]?.index ?? section.length;
    const terms: Record<string, AdlTerm> = {};
    for (const match of section.slice(from, to).matchAll(TERM)) {
      terms[match[1] ?? ''] = { text: unescape(match[2] ?? ''), description: unescape(match[3] ?? '') };
    }
    result[header[1] ?? ''] = terms;
  });
  return result;
}

/** Every ADL file under the given folders, by archetype id (the file name without .adl). */
export function readArchetypeLibrary(folders: readonly string[]): ReadonlyMap<string, AdlTermDefinitions> {
  const library = new Map<string, AdlTermDefinitions>();
  for (const folder of folders) {
    for (const file of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.adl')) continue;
      library.set(basename(file, '.adl'), readAdlTermDefinitions(readFileSync(join(folder, file), 'utf8')));
    }
  }
  return library;
}

import type { ArchetypeTerm, CArchetypeRoot, OperationalTemplate } from './opt-model.js';

/** Looks up the terms of one archetype in one language, inline definitions first, then the ontologies. */
export class ArchetypeTerms {
  readonly archetype: CArchetypeRoot;
  readonly #template: OperationalTemplate;

  constructor(template: OperationalTemplate, archetype: CArchetypeRoot) {
    this.#template = template;
    this.archetype = archetype;
  }

  term(code: string, language: string): ArchetypeTerm | undefined {
    return (
      this.archetype.termDefinitions[language]?.[code] ??
      this.#template.ontologies[this.archetype.archetypeId]?.termDefinitions[language]?.[code]
    );
  }
}

/** The languages a template has terms in: its own language first, then any translations. */
export function templateLanguages(template: OperationalTemplate): string[] {
  const languages = [template.language.codeString];
  const add = (language: string): void => {
    if (language !== '' && !languages.includes(language)) languages.push(language);
  };
  for (const ontology of Object.values(template.ontologies)) Object.keys(ontology.termDefinitions).forEach(add);
  return languages;
}

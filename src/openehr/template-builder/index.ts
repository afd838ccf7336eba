/** Template builder: a typed, JSON-serialisable template description compiled to OPT 1.4 XML. */
export { compileTemplate } from './compile-template.js';
export { checkTemplateDescription, isTemplateDescription, parseOccurrences } from './check-template-description.js';
export { TemplateDescriptionError } from './template-description-error.js';
export * from './template-description.js';
export { DEFAULT_STRUCTURE_TEXT, descriptionTerms, type DescriptionTerm } from './description-terms.js';

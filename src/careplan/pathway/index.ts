/** Care pathways as data: definitions, the UCP templates, their generated forms, and start-up loading. */
export {
  installShippedPathways,
  loadPathways,
  loadUcpTemplates,
  readShippedPathways,
  readUcpTemplates,
  type LoadedPathways,
  type UcpTemplate,
} from './load-pathways.js';
export {
  buildFormDefinition,
  formPaths,
  type FormDefinition,
  type FormField,
  type FormInputKind,
  type FormOption,
  type FormSection,
  type FormUnit,
} from './form-definition.js';
export {
  DEFAULT_REVIEW_MAX_MONTHS,
  FormOverridesSchema,
  PathwayDefinitionSchema,
  PathwayModuleSchema,
  type FormOverrides,
  type PathwayDefinition,
  type PathwayModule,
} from './pathway-definition.js';
export { EMERGENCY_SUMMARY_PATHS, type SummaryPath } from './emergency-summary-paths.js';
export { UCP_TEMPLATES_ROOT, compileTemplateDescriptions, optFileName, type CompiledDescription } from './compile-template-descriptions.js';

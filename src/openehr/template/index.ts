export type * from './opt-model.js';
export type * from './web-template-model.js';
export { parseOperationalTemplate } from './opt-parser.js';
export { validateOperationalTemplate } from './opt-validator.js';
export { TemplateParseError, type SourcePosition } from './template-parse-error.js';
export { buildWebTemplate, type BuildWebTemplateOptions } from './web-template-builder.js';
export type { WebTemplateFlavour } from './web-template-conventions.js';
export { webTemplateNodeId } from './web-template-node-id.js';
export { findByArchetypePath } from './archetype-path.js';

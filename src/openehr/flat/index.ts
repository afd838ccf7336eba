/**
 * FLAT (simSDT) and STRUCTURED (structSDT) compositions ⇄ canonical JSON, driven by web templates.
 * The key grammar is a versioned contract documented in README.md.
 */

/**
 * Version of the FLAT key contract (README.md). Raised whenever the same composition and web
 * template would give different keys; the golden tests guard it.
 */
export const FLAT_FORMAT_VERSION = '1.1.0';

export { flatToComposition, type FlatToCompositionOptions, type SkippedNodeInfo } from './flat-to-canonical.js';
export { compositionToFlat, type CompositionToFlatOptions } from './canonical-to-flat.js';
export { flatToStructured, structuredToFlat, structuredToComposition, compositionToStructured } from './structured.js';
export { skippedNodesFromTemplate } from './skipped-nodes.js';
export { FlatFormatError, type FlatFormatIssue } from './flat-format-error.js';
export { parseFlatKey, formatFlatKey, type FlatKey, type FlatSegment } from './flat-key.js';
// The JSON types its functions take and return (defined in src/shared/json.ts).
export type { JsonArray, JsonObject, JsonPrimitive, JsonValue } from '../../shared/json.js';

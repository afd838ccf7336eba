/** Example compositions of a template (DEFINITION API): FLAT from the web template, canonical JSON via the FLAT library. */
export {
  EXAMPLE_COMPOSER,
  buildExampleComposition,
  buildExampleFlat,
  type ExampleCompositionOptions,
  type ExampleOptions,
} from './example-composition.js';
export { EXAMPLE_TEXT, type ExampleFlat } from './example-data-value.js';

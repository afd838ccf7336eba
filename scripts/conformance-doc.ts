/**
 * npm run conformance:doc — renders docs/conformance.md from the recorded full runs
 * (test/conformance/results/, written by `npm run conformance -- --record` and
 * `npm run aql:conformance -- --record`) and the current exclusion lists. Runs no suite.
 */
import { DOC_FILE, keysMissingFromRecord, readRecord, writeConformanceDoc } from '../test/conformance/conformance-record.js';

for (const kind of ['openehr', 'aql'] as const) {
  const missing = keysMissingFromRecord(kind, await readRecord(kind));
  if (missing.length > 0) {
    console.warn(
      `${kind}: ${missing.length} exclusion key(s) not in the recorded run (record a full run again): ${missing.slice(0, 5).join(', ')}`,
    );
  }
}
await writeConformanceDoc();
console.log(`wrote ${DOC_FILE}`);

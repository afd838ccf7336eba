// Prints one line per Vitest JSON report and a closing total in the plain form CI reads.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
}

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestJsonReport;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  console.log(`${basename(file, '.json')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

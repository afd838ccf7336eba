import { mkdir, writeFile } from 'node:fs/promises';

const RESULTS = new URL('../results/', import.meta.url);

/**
 * Writes one scenario's figures to bench/results/<scenario>-<time>.json, with when and where
 * they were measured; returns the file's path relative to the repository.
 */
export async function writeBenchResult(scenario: string, backend: string, figures: Record<string, unknown>): Promise<string> {
  const at = new Date().toISOString();
  const name = `${scenario}-${at.replace(/[:.]/g, '-')}.json`;
  await mkdir(RESULTS, { recursive: true });
  await writeFile(new URL(name, RESULTS), `${JSON.stringify({ scenario, at, backend, ...figures }, null, 2)}\n`);
  return `bench/results/${name}`;
}

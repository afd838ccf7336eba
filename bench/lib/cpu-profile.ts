import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/**
 * The functions with the most self time in the .cpuprofile files of a folder (V8's --cpu-prof
 * output), counting only samples taken `skipMs` or more after each profile began (so that a
 * short load after start is not drowned by module loading).
 */
export async function topSelfTime(folder: string, count = 12, skipMs = 0): Promise<{ fn: string; share: number }[]> {
  const files = (await readdir(folder).catch(() => [])).filter((file) => file.endsWith('.cpuprofile'));
  const totals = new Map<string, number>();
  let all = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(folder, file), 'utf8')) as {
      nodes: ProfileNode[];
      samples?: number[];
      timeDeltas?: number[];
    };
    const hitsOf = hitsAfter(profile, skipMs * 1000);
    for (const node of profile.nodes) {
      const hits = hitsOf(node);
      if (hits === 0 || node.callFrame.functionName === '(idle)') continue;
      const where = node.callFrame.url.replace(/^.*\/(node_modules\/)?/, '$1');
      const name = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
      totals.set(name, (totals.get(name) ?? 0) + hits);
      all += hits;
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([fn, hits]) => ({ fn, share: all === 0 ? 0 : hits / all }));
}

/** Each node's samples from `skipMicros` on (from the sample list; the whole hit count when nothing is skipped). */
function hitsAfter(profile: { samples?: number[]; timeDeltas?: number[] }, skipMicros: number): (node: ProfileNode) => number {
  const { samples, timeDeltas } = profile;
  if (skipMicros <= 0 || !samples || !timeDeltas) return (node) => node.hitCount ?? 0;
  const counts = new Map<number, number>();
  let elapsed = 0;
  samples.forEach((id, index) => {
    elapsed += timeDeltas[index] ?? 0;
    if (elapsed >= skipMicros) counts.set(id, (counts.get(id) ?? 0) + 1);
  });
  return (node) => counts.get(node.id) ?? 0;
}

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The functions with the most self time in the .cpuprofile files of a folder (V8's --cpu-prof output). */
export async function topSelfTime(folder: string, count = 12): Promise<{ fn: string; share: number }[]> {
  const files = (await readdir(folder).catch(() => [])).filter((file) => file.endsWith('.cpuprofile'));
  const totals = new Map<string, number>();
  let all = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(folder, file), 'utf8')) as { nodes: ProfileNode[] };
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
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

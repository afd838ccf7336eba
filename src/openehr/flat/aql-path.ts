/**
 * The archetype paths carried by web template nodes (`aqlPath`), split into steps. A step is an RM
 * attribute with an optional archetype node id and name predicate:
 * `/content[openEHR-EHR-OBSERVATION.x.v1 and name/value='Befund']/data[at0001]`.
 */

export interface PathStep {
  readonly attribute: string;
  readonly nodeId: string | undefined;
  readonly name: string | undefined;
}

export function parseAqlPath(path: string | undefined): PathStep[] {
  const steps: PathStep[] = [];
  if (!path) return steps;
  let i = 0;
  while (i < path.length) {
    if (path[i] === '/') i++;
    let attribute = '';
    while (i < path.length && path[i] !== '/' && path[i] !== '[') attribute += path[i++];
    let predicate: string | undefined;
    if (path[i] === '[') {
      i++;
      predicate = '';
      let quote: string | undefined;
      while (i < path.length) {
        const ch = path[i] ?? '';
        if (quote) {
          if (ch === '\\' && i + 1 < path.length) {
            predicate += ch + (path[i + 1] ?? '');
            i += 2;
            continue;
          }
          if (ch === quote) quote = undefined;
        } else if (ch === "'" || ch === '"') {
          quote = ch;
        } else if (ch === ']') {
          break;
        }
        predicate += ch;
        i++;
      }
      i++;
    }
    if (attribute !== '') steps.push({ attribute, ...parsePredicate(predicate) });
  }
  return steps;
}

function parsePredicate(predicate: string | undefined): { nodeId: string | undefined; name: string | undefined } {
  if (predicate === undefined) return { nodeId: undefined, name: undefined };
  const text = predicate.trim();
  const nameMatch = /name\/value\s*=\s*(['"])((?:\\.|(?!\1).)*)\1/.exec(text);
  const shortName = /^[^,\s]+\s*,\s*(['"])((?:\\.|(?!\1).)*)\1\s*$/.exec(text);
  const idMatch = /^([^\s,]+)/.exec(text);
  const nodeId = idMatch?.[1] && !idMatch[1].startsWith('name/') ? idMatch[1] : undefined;
  const rawName = nameMatch?.[2] ?? shortName?.[2];
  return { nodeId, name: rawName === undefined ? undefined : rawName.replace(/\\(.)/g, '$1') };
}

/** Steps as a path string with archetype node ids only (name predicates dropped). */
export function formatSteps(steps: readonly PathStep[]): string {
  return steps.map((s) => (s.nodeId ? `/${s.attribute}[${s.nodeId}]` : `/${s.attribute}`)).join('');
}

/**
 * Steps as a path string with node ids and name predicates, in the spelling of web template
 * `aqlPath`s: the key of template-derived information about a node (skippedNodesFromTemplate),
 * which tells apart siblings that share a node id but not a name.
 */
export function formatNamedSteps(steps: readonly PathStep[]): string {
  return steps
    .map((s) => {
      if (!s.nodeId) return `/${s.attribute}`;
      if (s.name === undefined) return `/${s.attribute}[${s.nodeId}]`;
      return `/${s.attribute}[${s.nodeId} and name/value='${s.name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
    })
    .join('');
}

/** The steps of `child` below `parent`, or undefined when `child` is not below `parent`. */
export function relativeSteps(parent: readonly PathStep[], child: readonly PathStep[]): PathStep[] | undefined {
  if (child.length <= parent.length) return undefined;
  for (let i = 0; i < parent.length; i++) {
    const p = parent[i];
    const c = child[i];
    if (!p || !c || p.attribute !== c.attribute || p.nodeId !== c.nodeId) return undefined;
  }
  return child.slice(parent.length);
}

import type { CArchetypeRoot, CObject, DefaultValue, OperationalTemplate } from './opt-model.js';

interface PathSegment {
  readonly attribute: string;
  readonly code?: string;
  readonly name?: string;
}

/**
 * The template's default values (the `constraints` section, addressed by differential paths such
 * as [openEHR-EHR-COMPOSITION.report.v1]/content[openEHR-EHR-SECTION.adhoc.v1, 'Lab Tests']/items[at0005]),
 * resolved to the objects they apply to: the key is the object whose `value` the default fills,
 * usually an ELEMENT. Paths that do not resolve are ignored, as template tools leave such
 * leftovers when archetypes are removed.
 */
export function templateDefaults(template: OperationalTemplate): Map<CObject, DefaultValue> {
  const defaults = new Map<CObject, DefaultValue>();
  for (const constraint of template.constraints) {
    if (constraint.defaultValue === undefined || constraint.rmAttributeName !== 'value' || constraint.differentialPath === undefined)
      continue;
    const target = resolveDifferentialPath(template.definition, constraint.differentialPath);
    if (target !== undefined) defaults.set(target, constraint.defaultValue);
  }
  return defaults;
}

function resolveDifferentialPath(root: CArchetypeRoot, path: string): CObject | undefined {
  const [head = '', ...rest] = splitPath(path.trim());
  const rootCode = /^\[([^\],]+)/.exec(head)?.[1]?.trim();
  if (rootCode !== root.archetypeId) return undefined;
  let current: CObject | undefined = root;
  for (const segment of rest.map(parseSegment)) {
    if (current === undefined || (current.type !== 'C_COMPLEX_OBJECT' && current.type !== 'C_ARCHETYPE_ROOT')) return undefined;
    const children: readonly CObject[] =
      current.attributes.find((attribute) => attribute.rmAttributeName === segment.attribute)?.children ?? [];
    const candidates = segment.code === undefined ? children : children.filter((child) => codeOf(child) === segment.code);
    current =
      (segment.name === undefined ? undefined : candidates.find((child) => namesOf(child).includes(segment.name ?? ''))) ?? candidates[0];
  }
  return current;
}

/** Splits at '/' outside brackets and quotes: names may contain slashes. */
function splitPath(path: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let index = 0; index < path.length; index += 1) {
    const character = path[index];
    if (character === "'" && path[index - 1] !== '\\') quoted = !quoted;
    else if (!quoted && character === '[') depth += 1;
    else if (!quoted && character === ']') depth -= 1;
    else if (!quoted && depth === 0 && character === '/') {
      parts.push(path.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(path.slice(start));
  return parts.filter((part) => part !== '');
}

/** attr, attr[code], attr[code, 'Name'] or attr[code and name/value='Name']. */
function parseSegment(segment: string): PathSegment {
  const match = /^([a-z_]+)(?:\[(.*)\])?$/s.exec(segment);
  if (match === null) return { attribute: segment };
  const [, attribute = '', predicate] = match;
  if (predicate === undefined) return { attribute };
  const code = /^\s*([^\s,\]]+)/.exec(predicate)?.[1];
  const name = /'((?:[^'\\]|\\.)*)'/s.exec(predicate)?.[1]?.replace(/\\(.)/g, '$1');
  return { attribute, ...(code !== undefined ? { code } : {}), ...(name !== undefined ? { name } : {}) };
}

function codeOf(object: CObject): string {
  return object.type === 'C_ARCHETYPE_ROOT' ? object.archetypeId : object.nodeId;
}

function namesOf(object: CObject): readonly string[] {
  if (object.type !== 'C_COMPLEX_OBJECT' && object.type !== 'C_ARCHETYPE_ROOT') return [];
  const name = object.attributes.find((attribute) => attribute.rmAttributeName === 'name')?.children[0];
  if (name === undefined || (name.type !== 'C_COMPLEX_OBJECT' && name.type !== 'C_ARCHETYPE_ROOT')) return [];
  const value = name.attributes.find((attribute) => attribute.rmAttributeName === 'value')?.children[0];
  return value?.type === 'C_PRIMITIVE_OBJECT' && value.item.type === 'C_STRING' ? value.item.list : [];
}

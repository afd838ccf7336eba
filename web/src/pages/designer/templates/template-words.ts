import { ApiProblem } from '../../../api/http';
import type { TemplateTreeNode } from '../../../api/template-composer-api';

/** The composer's words for what a template holds: how often a node occurs, what kind of answer it takes. */

export function occurrencesText(min: number, max: number): string {
  if (max === 1) return min === 1 ? 'required' : 'optional';
  if (max === -1) return min === 0 ? 'optional, can repeat' : min === 1 ? 'required, can repeat' : `at least ${min}`;
  return `${min} to ${max} times`;
}

/** The occurrences the composer offers, as the API writes them. */
export const OCCURRENCE_CHOICES = [
  { value: '0..1', text: 'Optional' },
  { value: '1..1', text: 'Required' },
  { value: '0..*', text: 'Optional, can repeat' },
  { value: '1..*', text: 'Required, can repeat' },
] as const;

const VALUES: Record<string, string> = {
  DV_TEXT: 'text',
  DV_CODED_TEXT: 'a choice from a list',
  DV_BOOLEAN: 'yes or no',
  DV_DATE: 'a date',
  DV_DATE_TIME: 'a date and time',
  DV_TIME: 'a time',
  DV_DURATION: 'a length of time',
  DV_COUNT: 'a whole number',
  DV_QUANTITY: 'a measurement',
  DV_ORDINAL: 'a score from a scale',
  DV_IDENTIFIER: 'an identifier',
  DV_URI: 'a link',
  DV_EHR_URI: 'a link to a record',
  DV_PARSABLE: 'formatted text',
  DV_MULTIMEDIA: 'a file',
};

const KINDS: Record<string, string> = {
  COMPOSITION: 'the whole template',
  SECTION: 'a section',
  OBSERVATION: 'an observation',
  EVALUATION: 'an assessment',
  ADMIN_ENTRY: 'an administrative record',
  INSTRUCTION: 'an instruction',
  ACTION: 'an action',
  CLUSTER: 'a group of fields',
  ELEMENT: 'a field',
};

export function valueText(valueType: string | undefined): string {
  return valueType ? (VALUES[valueType] ?? valueType.replace(/^DV_/, '').toLowerCase()) : 'an answer';
}

export function kindText(rmType: string): string {
  return KINDS[rmType] ?? rmType.toLowerCase();
}

/** What a node is, in a few plain words: "a field, text, optional". */
export function nodeSummary(node: { rmType: string; valueType?: string | undefined; min: number; max: number }): string {
  const kind = node.rmType === 'ELEMENT' ? `a field for ${valueText(node.valueType)}` : kindText(node.rmType);
  return `${kind}, ${occurrencesText(node.min, node.max)}`;
}

/** Every node below (and with) `node`, depth first. */
export function flattenTree(node: TemplateTreeNode): TemplateTreeNode[] {
  return [node, ...node.children.flatMap(flattenTree)];
}

/**
 * A refused change in plain words. The revision check (409) answers one line per stored
 * composition and problem, with archetype and field paths: here, the fields of the template
 * those lines are about, and how many plans hold them.
 */
export function refusalText(error: unknown, nodes: readonly TemplateTreeNode[]): { title: string; lines: string[] } {
  if (!(error instanceof ApiProblem)) return { title: 'The change could not be saved', lines: ['Try again.'] };
  if (error.status === 409 && error.issues.length > 0) {
    // The detail counts every composition; the lines are capped.
    const counted = Number(/would make (\d+) existing/.exec(error.detail)?.[1] ?? Number.NaN);
    const listed = new Set(error.issues.map((issue) => /^composition ([^\s/]+)/.exec(issue.path)?.[1] ?? issue.path)).size;
    const plans = Number.isNaN(counted) ? listed : counted;
    const fields = new Set<string>();
    for (const issue of error.issues) fields.add(fieldOf(issue.path, issue.message, nodes)?.name ?? 'a field');
    const count = plans === 1 ? 'One plan already written' : `${plans} plans already written`;
    return {
      title: 'This change was not made',
      lines: [
        `${count} with this template would no longer read correctly, so nothing was changed.`,
        `Plans hold data in: ${[...fields].map((field) => `“${field}”`).join(', ')}.`,
        'A field that holds data cannot be removed, renamed or made required. To change how a field is labelled, change its label in the pathway instead.',
      ],
    };
  }
  return { title: 'This change was not made', lines: [error.detail, ...error.issues.map((issue) => issue.message)] };
}

/**
 * The template node a line of the revision check is about: the longest field path it names, or
 * else the last at-code of its archetype path inside the last archetype it names.
 */
function fieldOf(path: string, message: string, nodes: readonly TemplateTreeNode[]): TemplateTreeNode | undefined {
  const named = nodes
    .filter((node) => node.path.includes('/') && `${path} ${message}`.includes(node.path))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (named) return named;
  const archetypeId = [...path.matchAll(/\[(openEHR-[^\]]+)\]/g)].at(-1)?.[1];
  const archetype = nodes.find((node) => node.nodeId === archetypeId);
  const tail = archetypeId ? path.slice(path.lastIndexOf(archetypeId)) : '';
  const code = [...tail.matchAll(/\[(at[0-9.]+)\]/g)].at(-1)?.[1];
  return archetype && code ? flattenTree(archetype).find((node) => node.nodeId === code) : archetype;
}

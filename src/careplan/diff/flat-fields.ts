import type { JsonValue } from '../../openehr/flat/index.js';
import type { WebTemplate, WebTemplateNode } from '../../openehr/template/index.js';

/**
 * A FLAT composition read as fields a person recognises: one entry per data value (the keys of a
 * coded text, a quantity … together), rendered as text, with the labels of the web template.
 * Pure; used by the diff and the emergency summary.
 */

/** Keys that say how or by whom a composition was recorded, not what it says. */
const RECORDING_DETAIL =
  /(^ctx\/)|(\/(language|encoding|subject|composer|category|territory|_uid|_work_flow_id|_guideline_id)(\/|\||:|$))|(\/context\/(start_time|setting|_end_time|_health_care_facility|_participation|_location))|(\/_other_participation)|(\/_provider)|(\/_feeder_audit)/;

export function isRecordingDetail(key: string): boolean {
  return RECORDING_DETAIL.test(key);
}

/** FLAT keys grouped by data value (the path before `|`) and rendered as text, in key order. */
export function flatFields(flat: Readonly<Record<string, JsonValue>>): Map<string, string> {
  const groups = new Map<string, Record<string, JsonValue>>();
  for (const [key, value] of Object.entries(flat)) {
    if (isRecordingDetail(key) || value === null || value === '') continue;
    const bar = key.indexOf('|');
    const path = bar < 0 ? key : key.slice(0, bar);
    const suffix = bar < 0 ? '' : key.slice(bar + 1);
    const group = groups.get(path) ?? {};
    group[suffix] = value;
    groups.set(path, group);
  }
  const fields = new Map<string, string>();
  for (const [path, parts] of groups) fields.set(path, renderValue(parts));
  return fields;
}

function renderValue(parts: Record<string, JsonValue>): string {
  const text = (value: JsonValue | undefined) =>
    value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
  if (parts['value'] !== undefined) return text(parts['value']) ?? '';
  if (parts[''] !== undefined) return text(parts['']) ?? '';
  if (parts['magnitude'] !== undefined) return [text(parts['magnitude']), text(parts['unit'])].filter(Boolean).join(' ');
  if (parts['id'] !== undefined) return text(parts['id']) ?? '';
  return Object.entries(parts)
    .filter(([suffix]) => suffix !== 'terminology')
    .map(([suffix, value]) => `${suffix}: ${text(value) ?? ''}`)
    .join(', ');
}

/**
 * The label of a FLAT path: the names of its web template nodes below the composition, joined
 * with " › ", a repeated node numbered from 1 (#2 for index 1). Unknown segments are shown as is.
 */
export function labelOfFlatPath(webTemplate: WebTemplate, path: string): string {
  const segments = path.split('/').slice(1);
  const names: string[] = [];
  let node: WebTemplateNode | undefined = webTemplate.tree;
  for (const segment of segments) {
    const [id, index] = segment.split(':');
    node = node?.children?.find((child) => child.id === id);
    const name = node ? (node.localizedName ?? node.name ?? node.id) : (id ?? segment);
    const ordinal = index !== undefined && Number(index) > 0 ? ` #${Number(index) + 1}` : '';
    names.push(`${name.trim()}${ordinal}`);
  }
  return names.join(' › ');
}

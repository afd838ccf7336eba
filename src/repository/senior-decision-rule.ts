import { isSeniorDecisionArchetype } from '../access/senior-decisions.js';
import { canonicalJson } from '../audit/canonical-json.js';
import type { ReadonlyJsonValue } from '../shared/json.js';

/** What a write does to senior decision content (CPR recommendations), by archetype id. */
export interface SeniorDecisionChange {
  created: readonly string[];
  changed: readonly string[];
  removed: readonly string[];
}

/**
 * The senior decisions a write touches: those in `after` but not `before` (created), in `before`
 * but not `after` (removed), and in both with different content (changed). `before` is the
 * version being replaced or deleted (null for a new object), `after` the new content (null for a
 * deletion). Identifiers of the version itself do not count as content.
 */
export function seniorDecisionChange(before: unknown, after: unknown): SeniorDecisionChange {
  const was = seniorDecisionEntries(before);
  const now = seniorDecisionEntries(after);
  const created: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const archetypeId of new Set([...was.keys(), ...now.keys()])) {
    const old = (was.get(archetypeId) ?? []).sort();
    const next = (now.get(archetypeId) ?? []).sort();
    if (old.length === 0) created.push(archetypeId);
    else if (next.length === 0) removed.push(archetypeId);
    else if (old.join('\n') !== next.join('\n')) changed.push(archetypeId);
  }
  return { created, changed, removed };
}

/** A save of a module its pathway declares a senior decision as a whole (ReSPECT): it changes that decision. */
export function seniorModuleChange(moduleTitle: string): SeniorDecisionChange {
  return { created: [], changed: [moduleTitle], removed: [] };
}

export function touchesSeniorDecisions(change: SeniorDecisionChange): boolean {
  return change.created.length + change.changed.length + change.removed.length > 0;
}

/** A sentence for the refusal: "recording X", "changing Y", "removing Z". */
export function describeSeniorDecisionChange(change: SeniorDecisionChange): string {
  const parts = [
    change.created.length > 0 ? `recording ${change.created.join(', ')}` : '',
    change.changed.length > 0 ? `changing ${change.changed.join(', ')}` : '',
    change.removed.length > 0 ? `removing ${change.removed.join(', ')}` : '',
  ].filter((part) => part !== '');
  return parts.join(' and ');
}

/** Each senior decision entry in a document, as canonical text, by archetype id. */
function seniorDecisionEntries(document: unknown): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const node = value as Record<string, unknown>;
    const archetypeId = node['archetype_node_id'];
    if (typeof archetypeId === 'string' && isSeniorDecisionArchetype(archetypeId)) {
      const texts = found.get(archetypeId) ?? [];
      texts.push(canonicalJson(withoutIdentity(node) as ReadonlyJsonValue));
      found.set(archetypeId, texts);
      return;
    }
    for (const child of Object.values(node)) visit(child);
  };
  visit(document);
  return found;
}

/** The entry without the identifiers a store or encoder may add (uid), which are not content. */
function withoutIdentity(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIdentity);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'uid' || child === undefined) continue;
    copy[key] = withoutIdentity(child);
  }
  return copy;
}

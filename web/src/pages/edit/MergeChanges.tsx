import { useState } from 'react';
import type { StaleWrite } from '../../api/care-plan-api';
import { Button } from '../../components/button/Button';
import { Radios } from '../../components/radios/Radios';
import { WarningCallout } from '../../components/warning-callout/WarningCallout';
import type { FlatContent } from '../../plan-form/flat-values';

/** The keys of one data value (`path`, `path|code` …) in a FLAT content. */
function valueKeys(path: string, flat: FlatContent): string[] {
  return Object.keys(flat).filter((key) => key === path || key.startsWith(`${path}|`));
}

function shown(path: string, flat: FlatContent): string {
  const at = (suffix: string) => flat[`${path}${suffix}`];
  const value = at('|value') ?? at('') ?? at('|magnitude') ?? at('|id');
  return value === undefined ? '(empty)' : `${String(value)}${at('|unit') !== undefined ? ` ${String(at('|unit'))}` : ''}`;
}

function same(path: string, a: FlatContent, b: FlatContent): boolean {
  const keys = new Set([...valueKeys(path, a), ...valueKeys(path, b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

/**
 * Someone saved this section while you were editing it. Side by side, field by field: what they
 * saved and what you typed, for every field they changed; you choose which to keep, and the
 * merged section is saved on top of theirs.
 */
export function MergeChanges(props: {
  moduleId: string;
  title: string;
  mine: FlatContent;
  base: FlatContent;
  theirs: FlatContent;
  stale: StaleWrite;
  busy: boolean;
  onMerged(merged: FlatContent): void;
}) {
  const { moduleId, title, mine, base, theirs, stale, busy, onMerged } = props;
  const changes = stale.changes.modules.find((module) => module.moduleId === moduleId)?.changes ?? [];
  // Fields both of you changed come first: those are the real conflicts.
  const rows = changes.map((change) => ({ ...change, conflict: !same(change.path, mine, base) && !same(change.path, mine, theirs) }));
  rows.sort((a, b) => Number(b.conflict) - Number(a.conflict));
  const [choices, setChoices] = useState<Record<string, 'mine' | 'theirs'>>(() =>
    Object.fromEntries(rows.map((row) => [row.path, row.conflict ? 'mine' : 'theirs'])),
  );
  const others = stale.changes.modules.filter((module) => module.moduleId !== moduleId && module.changes.length > 0);

  function merge() {
    const taken = rows.filter((row) => choices[row.path] === 'theirs');
    const mineKept = Object.entries(mine).filter(([key]) => !taken.some((row) => key === row.path || key.startsWith(`${row.path}|`)));
    const theirsTaken = taken.flatMap((row) => valueKeys(row.path, theirs).map((key) => [key, theirs[key]] as const));
    onMerged(
      Object.fromEntries([...mineKept, ...theirsTaken].filter((entry): entry is [string, FlatContent[string]] => entry[1] !== undefined)),
    );
  }

  return (
    <>
      <h1>Someone else changed {title.toLowerCase()}</h1>
      <WarningCallout heading="Your changes are not saved yet">
        <p>
          The draft changed while you were editing it. Choose what to keep for each field, then save. Nothing you typed is lost until you
          choose.
        </p>
      </WarningCallout>
      {rows.length === 0 && <p>Nobody changed this section: saving keeps all your answers.</p>}
      {rows.map((row, index) => (
        <div className="app-merge-row" key={row.path}>
          <h2 className="nhsuk-heading-s">
            {row.label.split(' › ').at(-1)}
            {row.conflict && <span className="nhsuk-caption-m">You both changed this</span>}
          </h2>
          <div className="app-merge-row__versions">
            <div>
              <h3 className="nhsuk-heading-xs">Saved by someone else</h3>
              <p>{row.after ?? '(removed)'}</p>
            </div>
            <div>
              <h3 className="nhsuk-heading-xs">Yours</h3>
              <p>{shown(row.path, mine)}</p>
            </div>
          </div>
          <Radios
            idPrefix={`merge-${index}`}
            fieldset={{ legend: { text: 'Which version do you want to keep?' } }}
            items={[
              { value: 'theirs', text: 'Keep what they saved' },
              { value: 'mine', text: 'Keep mine' },
            ]}
            value={choices[row.path]}
            onChange={(value) => setChoices((current) => ({ ...current, [row.path]: value as 'mine' | 'theirs' }))}
            small
          />
        </div>
      ))}
      {others.length > 0 && <p>They also changed: {others.map((module) => module.title).join(', ')}. Those changes are kept.</p>}
      <Button type="button" text="Save with these choices" disabled={busy} onClick={merge} />
    </>
  );
}

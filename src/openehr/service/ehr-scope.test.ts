import { describe, expect, it } from 'vitest';
import { ehrScopeFor } from './ehr-scope.js';

function render(scope: ReturnType<typeof ehrScopeFor>) {
  const params: unknown[] = [];
  if (scope.kind === 'all') return { sql: undefined, params };
  const sql = scope.subjectCondition('e.subject_id', (value) => {
    params.push(value);
    return `$${params.length}`;
  });
  return { sql, params };
}

describe('ehrScopeFor', () => {
  it('leaves a population query unrestricted', () => {
    expect(ehrScopeFor({ allowed: true, kind: 'all', basis: 'population-query', explanation: 'x' })).toEqual({ kind: 'all' });
  });

  it('restricts a person to their own subject, as a parameter', () => {
    expect(render(ehrScopeFor({ allowed: true, kind: 'self', nhsNumber: '9990000018', explanation: 'x' }))).toEqual({
      sql: '(e.subject_id = $1)',
      params: ['9990000018'],
    });
  });

  it('restricts an organisation to its relationships, and adds the launch person unless they withdrew consent', () => {
    const related = render(
      ehrScopeFor({ allowed: true, kind: 'related', odsCode: "GP'001", launchNhsNumber: undefined, explanation: 'x' }),
    );
    expect(related.sql).toContain('person_relationship');
    expect(related.sql).not.toContain("GP'001");
    expect(related.params).toEqual(["GP'001", ['care-team', 'registered-gp']]);
    const withLaunch = render(
      ehrScopeFor({ allowed: true, kind: 'related', odsCode: 'GP001', launchNhsNumber: '9990000026', explanation: 'x' }),
    );
    expect(withLaunch.params).toEqual(['GP001', ['care-team', 'registered-gp'], '9990000026']);
    expect(withLaunch.sql).toMatch(/OR \(e\.subject_id = \$3 AND NOT EXISTS \(SELECT 1 FROM person_consent/);
  });
});

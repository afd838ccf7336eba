import { describe, expect, it } from 'vitest';
import { parseAql } from '../parser/index.js';
import { AqlCompileError } from './aql-compile-error.js';
import { compileAql, likePattern, type AqlCompileOptions } from './compile-aql.js';

const ALL: AqlCompileOptions = { parameters: {}, ehrScope: { kind: 'all' } };
const compile = (text: string, options: Partial<AqlCompileOptions> = {}) => compileAql(parseAql(text), { ...ALL, ...options });

describe('AQL to SQL', () => {
  it('narrows compositions by the archetypes in FROM before any document is read, with every value bound', () => {
    const { sql, params, columns } = compile(
      `SELECT c/uid/value AS uid, o/data[at0001]/events[at0002]/data[at0003]/items[at0004]/value/magnitude
       FROM EHR e CONTAINS COMPOSITION c[openEHR-EHR-COMPOSITION.encounter.v1] CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.blood_pressure.v2]`,
    );
    expect(sql).toContain('FROM ehr e0');
    expect(sql).toMatch(/JOIN object_version c\d+ ON c\d+\.ehr_id = e0\.ehr_id AND c\d+\.is_latest/);
    expect(sql).toMatch(/c\d+\.lifecycle_state = 'complete'/);
    expect(sql).toMatch(/c\d+\.archetype_node_id = \$\d+::text/);
    expect(sql).toMatch(/c\d+\.archetypes @> \$\d+::text\[\]/);
    expect(params).toContainEqual(['openEHR-EHR-COMPOSITION.encounter.v1', 'openEHR-EHR-OBSERVATION.blood_pressure.v2']);
    expect(sql).not.toContain('blood_pressure');
    expect(sql).not.toContain('at0004');
    expect(columns).toEqual([
      { name: 'uid', path: 'c/uid/value' },
      { name: '#1', path: 'o/data[at0001]/events[at0002]/data[at0003]/items[at0004]/value/magnitude' },
    ]);
  });

  it('pins the EHR by its primary key when WHERE names it, and refuses a malformed id without a query error', () => {
    const id = '5bd5e0c8-54c2-4f4a-b8a1-ae6f3c4e1d2a';
    const { sql, params } = compile('SELECT c FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value = $ehr', { parameters: { ehr: id } });
    expect(sql).toMatch(/e0\.ehr_id = \$\d+::uuid/);
    expect(params).toContain(id);
    expect(compile("SELECT c FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value = 'x'").sql).toContain('(false)');
  });

  it('applies the caller scope inside the statement, to every query, even one without EHR in FROM', () => {
    const { sql, params } = compile('SELECT o FROM OBSERVATION o', {
      ehrScope: { kind: 'restricted', subjectCondition: (column, param) => `${column} = ANY(${param(['9000000009'])})` },
    });
    expect(sql).toMatch(/e0\.subject_id = ANY\(\$\d+\)/);
    expect(params).toContainEqual(['9000000009']);
  });

  it('keeps strings and parameters out of the SQL text: an injection attempt is only a value', () => {
    const attack = "x' OR 1=1; DROP TABLE ehr; --";
    const { sql, params } = compile(
      `SELECT c/name/value FROM COMPOSITION c WHERE c/name/value = '${attack.replaceAll("'", "\\'")}' OR c/name/value = $p`,
      {
        parameters: { p: attack },
      },
    );
    expect(sql).not.toContain('DROP');
    expect(params.filter((value) => value === JSON.stringify(attack))).toHaveLength(2);
  });

  it('compiles NOT CONTAINS to NOT EXISTS over the sub-containment, and OR containment across documents to a union of its sides', () => {
    const not = compile('SELECT c FROM EHR e CONTAINS COMPOSITION c NOT CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.x.v1]').sql;
    expect(not).toMatch(/NOT EXISTS \(SELECT 1 FROM jsonb_path_query\(c\d+\.data/);
    const or = compile('SELECT c1, c2 FROM EHR e CONTAINS (COMPOSITION c1 OR COMPOSITION c2)').sql;
    // Across documents each row belongs to one side: the other side's join is switched off by the discriminator.
    expect(or).toContain('CROSS JOIN LATERAL (VALUES (1), (2)) AS b1(k)');
    expect(or).toMatch(/LEFT JOIN object_version c2 ON b1\.k = 1 AND c2\.ehr_id = e0\.ehr_id/);
    expect(or).toMatch(/LEFT JOIN object_version c3 ON b1\.k = 2 AND c3\.ehr_id = e0\.ehr_id/);
    expect(or).toContain('((b1.k = 1 AND c2.uid IS NOT NULL) OR (b1.k = 2 AND c3.uid IS NOT NULL))');
    // Within one composition both sides are outer joins: the rows where either is present.
    const within = compile('SELECT c FROM COMPOSITION c CONTAINS (OBSERVATION o OR EVALUATION v)').sql;
    expect(within).not.toContain('VALUES (1), (2)');
    expect(within).toMatch(/n\d+\.node IS NOT NULL OR n\d+\.node IS NOT NULL/);
    // A side without variables only filters: no discriminator, no row of its own.
    const filter = compile('SELECT o FROM EHR e CONTAINS (OBSERVATION o OR EVALUATION[openEHR-EHR-EVALUATION.x.v1])').sql;
    expect(filter).not.toContain('VALUES (1), (2)');
    expect(filter).toMatch(/n\d+\.node IS NOT NULL\)? OR EXISTS/);
  });

  it('compares durations by length and dates at their granularity, with the literal as typed parameters', () => {
    const duration = compile("SELECT c FROM COMPOSITION c WHERE c/context/other_context/items/value > 'P2DT11H33M'");
    expect(duration.params).toContain(2 * 86_400 + 11 * 3_600 + 33 * 60);
    expect(duration.sql).toMatch(/regexp_match\(.*\) AS dur\(m\)/);
    const date = compile("SELECT c FROM COMPOSITION c WHERE c/context/start_time >= '2022-02'");
    expect(date.params).toContain('2022-02');
    expect(date.sql).toMatch(/left\(\(s\d+\.v #>> '\{\}'\)|left\(/);
    // A text that only starts with P is no duration.
    expect(compile("SELECT c FROM COMPOSITION c WHERE c/name/value = 'Peter'").sql).not.toContain('dur(m)');
  });

  it('matches c/uid/value against a bare object id by the version row, and orders by instant and length first', () => {
    const id = '5bd5e0c8-54c2-4f4a-b8a1-ae6f3c4e1d2a';
    const { sql, params } = compile(`SELECT c/uid/value FROM COMPOSITION c WHERE c/uid/value = '${id}'`);
    expect(sql).toMatch(/c1\.uid = \$\d+::uuid/);
    expect(params).toContain(id);
    const ordered = compile('SELECT c/context/start_time FROM COMPOSITION c ORDER BY c/context/start_time DESC').sql;
    expect(ordered).toMatch(/ORDER BY \(CASE WHEN .* THEN extract\(epoch FROM .*\) DESC, .* DESC$/s);
  });

  it('groups by the non-aggregate columns and reports the EHRs behind each group', () => {
    const { sql, ehrIdColumn } = compile(
      'SELECT e/ehr_id/value, COUNT(c/uid/value), MAX(c/context/start_time) FROM EHR e CONTAINS COMPOSITION c',
    );
    expect(sql).toContain('GROUP BY 1');
    expect(sql).toContain('array_agg(DISTINCT e0.ehr_id::text)');
    expect(ehrIdColumn.aggregated).toBe(true);
  });

  it('combines the query window with the request window', () => {
    const { sql, params } = compile('SELECT c FROM COMPOSITION c ORDER BY c/name/value LIMIT 10 OFFSET 5', { offset: 2, fetch: 3 });
    expect(sql).toMatch(/LIMIT \$\d+::integer\nOFFSET \$\d+::integer$/);
    expect(params.slice(-2)).toEqual([3, 7]);
  });

  it('turns AQL wildcards into LIKE wildcards and escapes what LIKE would read as its own', () => {
    expect(likePattern('a*b?c')).toBe('a%b_c');
    expect(likePattern('100%_\\*')).toBe('100\\%\\_*');
  });

  it('refuses unknown variables, functions, wrong arity, missing parameters and TERMINOLOGY with a position', () => {
    const refuse = (text: string, message: RegExp, parameters: Record<string, unknown> = {}) => {
      let error: unknown;
      try {
        compile(text, { parameters });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AqlCompileError);
      expect((error as AqlCompileError).message).toMatch(message);
      expect((error as AqlCompileError).position?.line).toBe(1);
    };
    refuse('SELECT x/name/value FROM COMPOSITION c', /variable x is not declared/);
    refuse('SELECT FOO(c/name/value) FROM COMPOSITION c', /no function FOO/);
    refuse('SELECT LENGTH(c/name/value, 2) FROM COMPOSITION c', /LENGTH takes 1 argument/);
    refuse('SELECT c FROM COMPOSITION c WHERE c/name/value = $missing', /parameter \$missing/);
    refuse(
      "SELECT c FROM COMPOSITION c WHERE c/name/defining_code/code_string MATCHES {TERMINOLOGY('expand', 'hl7.org/fhir/4.0', 'url=x')}",
      /TERMINOLOGY/,
    );
    refuse("SELECT ABS('x') FROM COMPOSITION c", /ABS must be a number/);
    refuse('SELECT c FROM COMPOSITION c CONTAINS EHR_STATUS s', /cannot be contained/);
  });
});

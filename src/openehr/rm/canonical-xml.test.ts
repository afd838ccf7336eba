import { describe, expect, it } from 'vitest';
import { CanonicalXmlError, OPENEHR_XML_NAMESPACE, parseCanonicalXml, toCanonicalXml } from './canonical-xml.js';
import { checkRmStructure } from './rm-structure-check.js';
import type { RmIssue } from './rm-structure-check.js';
import { withExplicitRmTypes } from './rm-explicit-types.js';
import { listOpenEhrFixtures, readOpenEhrFixture } from '../../../test/support/openehr/fixture-index.js';
import { isJsonObject } from '../../shared/json.js';

const roundTrip = (value: Record<string, unknown>): Record<string, unknown> => parseCanonicalXml(toCanonicalXml(value));
const codes = (issues: readonly RmIssue[]): string[] => [...new Set(issues.map((issue) => issue.code))].toSorted();
const baseName = (file: string): string => file.slice(file.lastIndexOf('/') + 1);

/** Canonical XML compositions (K8), versions (K18) and folders (K20) of the fixtures. */
const xmlFixtures = listOpenEhrFixtures('K8', 'K18', 'K20');

/** Fixture XML that breaks the RM although not named `invalid`, with what the structure check finds. */
const NON_CONFORMANT_XML: Readonly<Record<string, { readonly codes: readonly string[]; readonly why: string }>> = {
  'consult_record__.xml': {
    codes: ['unknown_attribute'],
    why: 'ARCHETYPE_ID carries Java bean properties (qualifiedRmEntity, domainConcept…)',
  },
  'family_history__.xml': { codes: ['unknown_attribute'], why: 'ARCHETYPE_ID carries Java bean properties' },
  'family_history__with_uid.xml': { codes: ['unknown_attribute'], why: 'ARCHETYPE_ID carries Java bean properties' },
  'family_history.v2__.xml': { codes: ['unknown_attribute'], why: 'ARCHETYPE_ID carries Java bean properties' },
  'alternative_types.composition.xml': { codes: ['wrong_primitive_type'], why: 'a DV_COUNT with magnitude 456.789' },
  'alternative_types.composition.extdatetimes.xml': { codes: ['wrong_primitive_type'], why: 'a DV_COUNT with magnitude 456.789' },
  'alternative_types.version.xml': { codes: ['wrong_primitive_type'], why: 'a DV_COUNT with magnitude 456.789' },
  'minimal_action_2.instance.composition.xml': { codes: ['missing_attribute'], why: 'an ACTION without ism_transition' },
  'minimal_action_2.instance.version.xml': { codes: ['missing_attribute'], why: 'an ACTION without ism_transition' },
  'RIPPLE_conformanceTesting_OBSERVATION.pulse.v1.xml': { codes: ['missing_attribute'], why: 'an OBSERVATION without language' },
  'simple_empty_folder.xml': { codes: ['missing_attribute'], why: 'a FOLDER without archetype_node_id' },
};

describe('canonical XML fixtures', () => {
  it('lists the fixtures the brief names', () => {
    const files = xmlFixtures.map((fixture) => fixture.file);
    expect(files.filter((file) => file.includes('CANONICAL_XML'))).toHaveLength(11);
    expect(files.filter((file) => file.startsWith('ehrbase-openEHR_SDK/composition/canonical_xml/'))).toHaveLength(10);
    expect(xmlFixtures.length).toBeGreaterThan(80);
  });

  it('converts every well-formed one to JSON that passes the RM structure check', () => {
    let converted = 0;
    for (const { file } of xmlFixtures) {
      const xml = readOpenEhrFixture(file);
      if (xml.trimStart().startsWith('?xml')) {
        // The two `…__invalid_wrong_structure.xml` files are deliberately not XML.
        expect(file).toMatch(/invalid/);
        expect(() => parseCanonicalXml(xml), file).toThrow(CanonicalXmlError);
        continue;
      }
      const json = parseCanonicalXml(xml);
      converted++;
      const issues = checkRmStructure(json);
      const known = NON_CONFORMANT_XML[baseName(file)];
      if (known) expect(codes(issues), `${file}: ${known.why}`).toEqual(known.codes);
      else if (/\.invalid\./.test(file)) expect(codes(issues), file).toEqual(['missing_attribute']);
      else expect(issues, file).toEqual([]);
    }
    expect(converted).toBeGreaterThan(80);
  });

  it('reads versions as ORIGINAL_VERSION with the composition typed inside', () => {
    const version = parseCanonicalXml(
      readOpenEhrFixture('ehrbase-integration-tests/test_data_sets/valid_templates/minimal/minimal_admin.version.xml'),
    );
    expect(version._type).toBe('ORIGINAL_VERSION');
    expect(version.uid).toEqual({ value: 'ffcbc99b-98b4-42b0-bcb4-646d70660ba7::EMR_APP::1' });
    expect(isJsonObject(version.data) && version.data._type).toBe('COMPOSITION');
    expect(checkRmStructure(version, 'ORIGINAL_VERSION')).toEqual([]);
  });

  it('types primitives by the RM: numbers, booleans, strings kept verbatim', () => {
    const composition = parseCanonicalXml(readOpenEhrFixture('ehrbase-openEHR_SDK/composition/canonical_xml/test_all_types.v1.xml'));
    const text = JSON.stringify(composition);
    expect(text).toContain('"_type":"DV_COUNT","magnitude":10');
    expect(text).toContain('"_type":"DV_BOOLEAN","value":true');
    expect(text).toContain('"start_time":{"value":"20190114T183649,294+0000"}');
    expect(composition.archetype_node_id).toBe('openEHR-EHR-COMPOSITION.test_all_types.v1');
  });

  it('round-trips every RM-valid XML fixture: XML → JSON → XML → JSON', () => {
    let checked = 0;
    for (const { file } of xmlFixtures) {
      const xml = readOpenEhrFixture(file);
      if (xml.trimStart().startsWith('?xml')) continue;
      const json = parseCanonicalXml(xml);
      if (checkRmStructure(json).length > 0) continue;
      checked++;
      expect(roundTrip(json), file).toEqual(json);
    }
    expect(checked).toBeGreaterThan(65);
  });

  it('agrees with the canonical JSON of the same composition where the fixtures hold both', () => {
    // Found by comparing every CANONICAL_JSON / CANONICAL_XML name pair; the `nested` and
    // `persistent_minimal` pairs share names but hold different generated data.
    const directory = 'ehrbase-integration-tests/test_data_sets/compositions/';
    const pairs = ['family_history__', 'family_history__with_uid', 'family_history.v2__', 'consult_record__'];
    for (const name of pairs) {
      const fromJson = JSON.parse(readOpenEhrFixture(`${directory}CANONICAL_JSON/${name}.json`)) as unknown;
      const fromXml = withoutUnknownAttributes(parseCanonicalXml(readOpenEhrFixture(`${directory}CANONICAL_XML/${name}.xml`)));
      expect(checkRmStructure(fromXml), name).toEqual([]);
      expect(withExplicitRmTypes(fromXml), name).toEqual(withExplicitRmTypes(fromJson, 'COMPOSITION'));
    }
  });
});

/** Drops what the structure check calls unknown attributes (the Java bean properties of the XML copies). */
function withoutUnknownAttributes(value: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(value);
  for (const issue of checkRmStructure(copy)) {
    if (issue.code !== 'unknown_attribute') continue;
    const steps = issue.path.split('/').slice(1);
    let node: unknown = copy;
    for (const step of steps.slice(0, -1)) {
      const indexed = /^(.+)\[(\d+)\]$/.exec(step);
      const next: unknown = isJsonObject(node) ? node[indexed?.[1] ?? step] : undefined;
      node = indexed && Array.isArray(next) ? next[Number(indexed[2])] : next;
    }
    const last = steps.at(-1);
    if (isJsonObject(node) && last !== undefined) Reflect.deleteProperty(node, last);
  }
  return copy;
}

/** What XML cannot hold: `null` and empty lists. */
function withoutEmptyValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyValues);
  if (!isJsonObject(value)) return value;
  const entries = Object.entries(value).filter(([, item]) => item !== null && !(Array.isArray(item) && item.length === 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, withoutEmptyValues(item)]));
}

describe('canonical JSON fixtures through XML', () => {
  function canonical(kinds: string[]): { file: string; value: Record<string, unknown> }[] {
    return listOpenEhrFixtures(...kinds).flatMap(({ file }) => {
      let value: unknown;
      try {
        value = JSON.parse(readOpenEhrFixture(file));
      } catch {
        return [];
      }
      return isJsonObject(value) && typeof value._type === 'string' && checkRmStructure(value).length === 0 ? [{ file, value }] : [];
    });
  }

  it('JSON → XML → JSON returns every RM-valid COMPOSITION, EHR_STATUS and FOLDER unchanged, bar nulls and empty lists', () => {
    const fixtures = canonical(['K1', 'K3', 'K4']);
    const types = new Set(fixtures.map(({ value }) => value._type));
    expect([...types].toSorted()).toEqual(['COMPOSITION', 'EHR_STATUS', 'FOLDER']);
    expect(fixtures.length).toBeGreaterThan(130);
    for (const { file, value } of fixtures) expect(roundTrip(value), file).toEqual(withoutEmptyValues(value));
  });

  it('restores empty mandatory lists, which XML cannot show', () => {
    const ehr = {
      _type: 'EHR',
      system_id: { value: 'ucp.example' },
      ehr_id: { value: '0f1e2d3c-4b5a-4968-8776-655443322110' },
      time_created: { value: '2024-03-01T10:00:00Z' },
      contributions: [],
      ehr_access: {
        id: { _type: 'HIER_OBJECT_ID', value: '1a2b3c4d-0000-4000-8000-000000000001' },
        namespace: 'local',
        type: 'EHR_ACCESS',
      },
      ehr_status: {
        id: { _type: 'HIER_OBJECT_ID', value: '1a2b3c4d-0000-4000-8000-000000000002' },
        namespace: 'local',
        type: 'EHR_STATUS',
      },
      folders: [],
    };
    const { folders: _optional, ...withoutFolders } = ehr;
    expect(roundTrip(ehr)).toEqual(withoutFolders);
    expect(checkRmStructure(roundTrip(ehr))).toEqual([]);
  });

  it('JSON → XML → JSON returns the ORIGINAL_VERSIONs of contribution bodies unchanged', () => {
    let checked = 0;
    for (const { file } of listOpenEhrFixtures('K11')) {
      const body = JSON.parse(readOpenEhrFixture(file)) as unknown;
      const versions: unknown[] = isJsonObject(body) && Array.isArray(body.versions) ? body.versions : [];
      for (const version of versions) {
        if (!isJsonObject(version) || !isJsonObject(version.data) || checkRmStructure(version.data).length > 0) continue;
        // REST bodies leave uid, contribution and time_committed to the server; complete them.
        const complete = {
          ...version,
          uid: { value: '8849182c-82ad-4088-a07f-48ead4180515::ucp.example::1' },
          contribution: {
            id: { _type: 'HIER_OBJECT_ID', value: '6f1d0b7e-2c1a-4a55-9f0e-0d9e4e0e8a11' },
            namespace: 'local',
            type: 'CONTRIBUTION',
          },
          commit_audit: {
            ...(isJsonObject(version.commit_audit) ? version.commit_audit : {}),
            time_committed: { value: '2024-03-01T10:00:00Z' },
          },
        };
        if (checkRmStructure(complete).length > 0) continue;
        checked++;
        expect(roundTrip(complete), file).toEqual(complete);
        expect(toCanonicalXml(complete)).toContain('<version xmlns=');
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('JSON → XML → JSON returns a CONTRIBUTION unchanged', () => {
    const contribution = {
      _type: 'CONTRIBUTION',
      uid: { value: '6f1d0b7e-2c1a-4a55-9f0e-0d9e4e0e8a11' },
      versions: [
        {
          id: { _type: 'OBJECT_VERSION_ID', value: '8849182c-82ad-4088-a07f-48ead4180515::ucp.example::1' },
          namespace: 'local',
          type: 'COMPOSITION',
        },
        {
          _type: 'LOCATABLE_REF',
          id: { _type: 'HIER_OBJECT_ID', value: '2b1c5f38-0c7e-4b1e-a3c4-5d6e7f809112' },
          namespace: 'local',
          type: 'FOLDER',
          path: '/folders[1]',
        },
      ],
      audit: {
        system_id: 'ucp.example',
        committer: {
          _type: 'PARTY_IDENTIFIED',
          name: 'Dr Who',
          external_ref: { id: { _type: 'GENERIC_ID', value: '9999999999', scheme: 'NHS' }, namespace: 'demographic', type: 'PERSON' },
        },
        time_committed: { value: '2024-03-01T10:00:00.000Z' },
        change_type: { value: 'creation', defining_code: { terminology_id: { value: 'openehr' }, code_string: '249' } },
        description: { value: 'Care plan & <ReSPECT> form' },
      },
    };
    expect(checkRmStructure(contribution)).toEqual([]);
    const xml = toCanonicalXml(contribution);
    expect(xml).toContain('<contribution xmlns="http://schemas.openehr.org/v1"');
    expect(xml).toContain('<value>Care plan &amp; &lt;ReSPECT&gt; form</value>');
    expect(parseCanonicalXml(xml)).toEqual(contribution);
  });
});

describe('writing canonical XML', () => {
  const composition = {
    _type: 'COMPOSITION',
    language: { terminology_id: { value: 'ISO_639-1' }, code_string: 'en' },
    name: { value: 'Plan' },
    archetype_node_id: 'openEHR-EHR-COMPOSITION.care_plan.v1',
    territory: { terminology_id: { value: 'ISO_3166-1' }, code_string: 'GB' },
    category: { value: 'persistent', defining_code: { terminology_id: { value: 'openehr' }, code_string: '431' } },
    composer: { _type: 'PARTY_SELF' },
    content: [
      {
        _type: 'EVALUATION',
        archetype_node_id: 'openEHR-EHR-EVALUATION.advance_intervention_decisions.v1',
        name: {
          _type: 'DV_CODED_TEXT',
          value: 'CPR "decision"',
          defining_code: { terminology_id: { value: 'local' }, code_string: 'at0000' },
        },
        language: { terminology_id: { value: 'ISO_639-1' }, code_string: 'en' },
        encoding: { terminology_id: { value: 'IANA_character-sets' }, code_string: 'UTF-8' },
        subject: { _type: 'PARTY_SELF' },
        data: {
          _type: 'ITEM_TREE',
          archetype_node_id: 'at0001',
          name: { value: 'Tree' },
          items: [
            { _type: 'ELEMENT', archetype_node_id: 'at0002', name: { value: 'Valid' }, value: { _type: 'DV_BOOLEAN', value: false } },
            { _type: 'ELEMENT', archetype_node_id: 'at0003', name: { value: 'Score' }, value: { _type: 'DV_COUNT', magnitude: 3 } },
          ],
        },
      },
    ],
  };

  it('writes elements in schema order, archetype_node_id as an attribute, xsi:type where JSON has _type', () => {
    expect(toCanonicalXml(composition)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<composition xmlns="${OPENEHR_XML_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="COMPOSITION" archetype_node_id="openEHR-EHR-COMPOSITION.care_plan.v1">`,
        '  <name>',
        '    <value>Plan</value>',
        '  </name>',
        '  <language>',
        '    <terminology_id>',
        '      <value>ISO_639-1</value>',
        '    </terminology_id>',
        '    <code_string>en</code_string>',
        '  </language>',
        '  <territory>',
        '    <terminology_id>',
        '      <value>ISO_3166-1</value>',
        '    </terminology_id>',
        '    <code_string>GB</code_string>',
        '  </territory>',
        '  <category>',
        '    <value>persistent</value>',
        '    <defining_code>',
        '      <terminology_id>',
        '        <value>openehr</value>',
        '      </terminology_id>',
        '      <code_string>431</code_string>',
        '    </defining_code>',
        '  </category>',
        '  <composer xsi:type="PARTY_SELF"/>',
        '  <content xsi:type="EVALUATION" archetype_node_id="openEHR-EHR-EVALUATION.advance_intervention_decisions.v1">',
        '    <name xsi:type="DV_CODED_TEXT">',
        '      <value>CPR "decision"</value>',
        '      <defining_code>',
        '        <terminology_id>',
        '          <value>local</value>',
        '        </terminology_id>',
        '        <code_string>at0000</code_string>',
        '      </defining_code>',
        '    </name>',
        '    <language>',
        '      <terminology_id>',
        '        <value>ISO_639-1</value>',
        '      </terminology_id>',
        '      <code_string>en</code_string>',
        '    </language>',
        '    <encoding>',
        '      <terminology_id>',
        '        <value>IANA_character-sets</value>',
        '      </terminology_id>',
        '      <code_string>UTF-8</code_string>',
        '    </encoding>',
        '    <subject xsi:type="PARTY_SELF"/>',
        '    <data xsi:type="ITEM_TREE" archetype_node_id="at0001">',
        '      <name>',
        '        <value>Tree</value>',
        '      </name>',
        '      <items xsi:type="ELEMENT" archetype_node_id="at0002">',
        '        <name>',
        '          <value>Valid</value>',
        '        </name>',
        '        <value xsi:type="DV_BOOLEAN">',
        '          <value>false</value>',
        '        </value>',
        '      </items>',
        '      <items xsi:type="ELEMENT" archetype_node_id="at0003">',
        '        <name>',
        '          <value>Score</value>',
        '        </name>',
        '        <value xsi:type="DV_COUNT">',
        '          <magnitude>3</magnitude>',
        '        </value>',
        '      </items>',
        '    </data>',
        '  </content>',
        '</composition>',
      ].join('\n'),
    );
    expect(roundTrip(composition)).toEqual(composition);
  });

  it('writes compact XML without a declaration on request, and other root elements', () => {
    const compact = toCanonicalXml(composition, { indent: '', declaration: false });
    expect(compact.startsWith('<composition xmlns=')).toBe(true);
    expect(compact).not.toContain('\n');
    expect(parseCanonicalXml(compact)).toEqual(composition);
    const status = {
      _type: 'EHR_STATUS',
      archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
      name: { value: 'EHR Status' },
      subject: {},
      is_queryable: true,
      is_modifiable: true,
    };
    expect(toCanonicalXml(status, { indent: '' })).toContain('<ehr_status xmlns=');
    expect(toCanonicalXml(status, { rootElement: 'status', indent: '' })).toContain('<status xmlns=');
    const { _type: _dropped, ...untyped } = status;
    expect(parseCanonicalXml(toCanonicalXml(untyped, { type: 'EHR_STATUS' }))).toEqual(status);
  });

  it('writes xsi:type where the schema declares another type, even if the JSON leaves _type out', () => {
    const { _type: _dropped, ...untyped } = composition;
    const version = {
      _type: 'ORIGINAL_VERSION',
      contribution: {
        id: { _type: 'HIER_OBJECT_ID', value: '6f1d0b7e-2c1a-4a55-9f0e-0d9e4e0e8a11' },
        namespace: 'local',
        type: 'CONTRIBUTION',
      },
      commit_audit: {
        system_id: 'ucp.example',
        committer: { _type: 'PARTY_SELF' },
        time_committed: { value: '2024-03-01T10:00:00Z' },
        change_type: { value: 'creation', defining_code: { terminology_id: { value: 'openehr' }, code_string: '249' } },
      },
      uid: { value: '8849182c-82ad-4088-a07f-48ead4180515::ucp.example::1' },
      data: untyped,
      lifecycle_state: { value: 'complete', defining_code: { terminology_id: { value: 'openehr' }, code_string: '532' } },
    };
    const xml = toCanonicalXml(version, { type: 'ORIGINAL_VERSION<COMPOSITION>', indent: '' });
    expect(xml).toContain('<data xsi:type="COMPOSITION" archetype_node_id="openEHR-EHR-COMPOSITION.care_plan.v1">');
    expect(parseCanonicalXml(xml)).toEqual({ ...version, data: composition });
    const typedRead = parseCanonicalXml(xml.replace('<data xsi:type="COMPOSITION"', '<data'), { type: 'ORIGINAL_VERSION<COMPOSITION>' });
    expect(typedRead).toEqual({ ...version, data: untyped });
    expect(() => toCanonicalXml(version)).toThrow('/data: _type is required where Any is declared');
  });

  it('escapes text and attributes', () => {
    const tricky = { ...composition, archetype_node_id: 'a"<&>\'\tb', name: { value: ' <&> ]]> \r\n "quoted" é \u{1F600} ' } };
    const xml = toCanonicalXml(tricky);
    expect(xml).toContain('archetype_node_id="a&quot;&lt;&amp;&gt;\'&#9;b"');
    expect(parseCanonicalXml(xml)).toEqual(tricky);
  });

  it('refuses values the schema cannot express, naming the JSON path', () => {
    const withContent = (item: unknown): Record<string, unknown> => ({ ...composition, content: [item] });
    expect(() => toCanonicalXml({ ...composition, colour: 'blue' })).toThrow("/colour: COMPOSITION has no attribute 'colour'");
    expect(() => toCanonicalXml({ ...composition, composer: { name: 'x' } })).toThrow(
      '/composer: _type is required where PARTY_PROXY is declared',
    );
    expect(() => toCanonicalXml(withContent({ _type: 'DV_TEXT', value: 'x' }))).toThrow(
      '/content[0]: _type "DV_TEXT" is not a CONTENT_ITEM',
    );
    expect(() => toCanonicalXml({ ...composition, name: 'Plan' })).toThrow('/name: expected an RM object of type DV_TEXT');
    expect(() => toCanonicalXml({ ...composition, content: {} })).toThrow('/content: COMPOSITION.content must be a list');
    expect(() => toCanonicalXml({ ...composition, name: { value: 'bell \u0007' } })).toThrow(CanonicalXmlError);
    expect(() => toCanonicalXml({ ...composition, archetype_node_id: { id: 1 } })).toThrow(
      '/archetype_node_id: expected String, found object',
    );
    expect(() => toCanonicalXml({ value: 'x' })).toThrow(CanonicalXmlError);
    expect(() => toCanonicalXml('<composition/>')).toThrow(CanonicalXmlError);
  });
});

describe('reading canonical XML', () => {
  const element = (inner: string, attributes = ''): string =>
    `<composition xmlns="${OPENEHR_XML_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" archetype_node_id="x"${attributes}>${inner}</composition>`;

  it('refuses DOCTYPE and ENTITY declarations (XXE, entity expansion)', () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE composition [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><composition><name><value>&xxe;</value></name></composition>';
    expect(() => parseCanonicalXml(xxe)).toThrow(/DOCTYPE declaration; DTDs and entity declarations are not accepted/);
    const laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><composition>&lol2;</composition>';
    expect(() => parseCanonicalXml(laughs)).toThrow(/DOCTYPE declaration/);
    expect(() => parseCanonicalXml('<!doctype composition SYSTEM "http://evil.example/x.dtd"><composition/>')).toThrow(CanonicalXmlError);
    expect(() => parseCanonicalXml(element('<name><value>&nbsp;</value></name>'))).toThrow('entity reference &nbsp; is not allowed');
  });

  it('refuses XML that is not well-formed, or has no single root', () => {
    expect(() => parseCanonicalXml(element('<name><value>x</name>'))).toThrow(/not well-formed XML: .*line 1/);
    expect(() => parseCanonicalXml('')).toThrow(CanonicalXmlError);
    expect(() => parseCanonicalXml('just text')).toThrow(CanonicalXmlError);
    expect(() => parseCanonicalXml('<a/><b/>')).toThrow(CanonicalXmlError);
    expect(() => parseCanonicalXml(element('&#0;'))).toThrow(CanonicalXmlError);
    expect(() => parseCanonicalXml(42 as unknown as string)).toThrow('XML input must be a string');
    // fast-xml-parser refuses names that could pollute prototypes.
    expect(() => parseCanonicalXml(element('<__proto__><a>1</a></__proto__>'))).toThrow(/unreadable XML: .*__proto__/);
    expect(() => parseCanonicalXml(element('<constructor>c</constructor>'))).toThrow(CanonicalXmlError);
  });

  it('limits nesting depth', () => {
    const deep = `${'<items>'.repeat(300)}${'</items>'.repeat(300)}`;
    expect(() => parseCanonicalXml(element(deep))).toThrow(CanonicalXmlError);
    expect(() => parseCanonicalXml(element('<name><value>x</value></name>'), { maxDepth: 1 })).toThrow(CanonicalXmlError);
  });

  it('decodes entities and character references, keeps CDATA verbatim, strips a BOM', () => {
    const json = parseCanonicalXml(`\uFEFF${element('<name><value>a &amp; b &#233;&#xE9; <![CDATA[<raw> &amp;]]></value></name>')}`);
    expect(json.name).toEqual({ value: 'a & b éé <raw> &amp;' });
    expect(json._type).toBe('COMPOSITION');
  });

  it('resolves xsi:type through any prefix bound to the XML Schema instance namespace', () => {
    const xml = `<oe:version xmlns:oe="${OPENEHR_XML_NAMESPACE}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:type="oe:ORIGINAL_VERSION"><oe:signature>s</oe:signature></oe:version>`;
    expect(parseCanonicalXml(xml)).toEqual({ _type: 'ORIGINAL_VERSION', signature: 's' });
    expect(parseCanonicalXml('<folder><name><value>F</value></name></folder>')).toEqual({ _type: 'FOLDER', name: { value: 'F' } });
    expect(parseCanonicalXml('<whatever><value>F</value></whatever>', { type: 'DV_TEXT' })).toEqual({ _type: 'DV_TEXT', value: 'F' });
  });

  it('keeps what the RM does not know, for the structure check to report', () => {
    const json = parseCanonicalXml(
      element(
        '<name><value>N</value><colour>red</colour></name><magnitude_status>x</magnitude_status><content xsi:type="NO_SUCH_TYPE"><a>1</a><a>2</a></content><category><value>event</value><defining_code><terminology_id><value>openehr</value></terminology_id><code_string>433</code_string></defining_code></category><category><value>again</value></category>',
        ' extra="1"',
      ),
    );
    expect(json).toMatchObject({
      name: { value: 'N', colour: 'red' },
      extra: '1',
      magnitude_status: 'x',
      content: [{ _type: 'NO_SUCH_TYPE', a: ['1', '2'] }],
    });
    expect(Array.isArray(json.category)).toBe(true);
    const found = checkRmStructure(json).map((issue) => `${issue.code} ${issue.path}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'unknown_attribute /name/colour',
        'unknown_attribute /extra',
        'unknown_attribute /magnitude_status',
        'unknown_type /content[0]',
        'unexpected_list /category',
      ]),
    );
  });

  it('keeps numbers and booleans that do not parse as text, so they are reported', () => {
    const json = parseCanonicalXml(
      '<composition archetype_node_id="x"><content xsi:type="OBSERVATION" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><data><events xsi:type="POINT_EVENT"><data xsi:type="ITEM_SINGLE"><item><value xsi:type="DV_QUANTITY"><magnitude>12,5</magnitude><units>kg</units></value></item></data></events></data></content></composition>',
    );
    const issues = checkRmStructure(json);
    expect(issues).toContainEqual({
      path: '/content[0]/data/events[0]/data/item/value/magnitude',
      code: 'wrong_primitive_type',
      message: 'expected Real, found string "12,5"',
    });
  });
});

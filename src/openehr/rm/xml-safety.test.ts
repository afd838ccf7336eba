import { describe, expect, it } from 'vitest';
import { describeXmlSafetyProblem, findXmlSafetyProblem, isXmlChar } from './xml-safety.js';

describe('findXmlSafetyProblem', () => {
  it('refuses a DOCTYPE with an external entity (XXE), at the declaration', () => {
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE composition [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<composition>&xxe;</composition>`;
    const problem = findXmlSafetyProblem(xml);
    expect(problem).toEqual({ kind: 'declaration', keyword: 'DOCTYPE', offset: xml.indexOf('<!DOCTYPE') });
    expect(problem && describeXmlSafetyProblem(problem)).toMatch(/DOCTYPE declaration; DTDs and entity declarations are not accepted/);
  });

  it('refuses entity expansion (billion laughs) and a lower-case doctype', () => {
    expect(findXmlSafetyProblem('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>')?.kind).toBe('declaration');
    expect(findXmlSafetyProblem('<!doctype a SYSTEM "http://evil.example/x.dtd"><a/>')).toMatchObject({
      kind: 'declaration',
      keyword: 'DOCTYPE',
    });
  });

  it('refuses an ENTITY or other markup declaration outside a DOCTYPE', () => {
    const entity = findXmlSafetyProblem('<template><!ENTITY a "b"></template>');
    expect(entity).toEqual({ kind: 'declaration', keyword: 'ENTITY', offset: 10 });
    expect(entity && describeXmlSafetyProblem(entity)).toMatch(/an ENTITY declaration/);
    const element = findXmlSafetyProblem('<a><!ELEMENT a ANY></a>');
    expect(element && describeXmlSafetyProblem(element)).toMatch(/a markup declaration \(<!ELEMENT>\)/);
  });

  it('refuses references to undeclared entities, allows the predefined ones and character references', () => {
    expect(findXmlSafetyProblem('<a>&nbsp;</a>')).toEqual({ kind: 'entity', name: 'nbsp', offset: 3 });
    expect(findXmlSafetyProblem('<a b="&quot;">&lt;&gt;&amp;&apos; &#233;&#xE9; &#x1F600;</a>')).toBeUndefined();
  });

  it('refuses a bare ampersand and character references to illegal characters', () => {
    expect(findXmlSafetyProblem('<a>a & b</a>')).toEqual({ kind: 'bare-ampersand', offset: 5 });
    expect(findXmlSafetyProblem('<a>&#0;</a>')).toEqual({ kind: 'invalid-character-reference', reference: '&#0;', offset: 3 });
    expect(findXmlSafetyProblem('<a>&#x110000;</a>')?.kind).toBe('invalid-character-reference');
  });

  it('skips comments and CDATA sections, and refuses them unterminated', () => {
    expect(findXmlSafetyProblem('<a><!-- <!DOCTYPE x> &nbsp; --><![CDATA[<!ENTITY y> & &z;]]></a>')).toBeUndefined();
    expect(findXmlSafetyProblem('<a><!-- open')).toEqual({ kind: 'unterminated', what: 'comment', offset: 3 });
    expect(findXmlSafetyProblem('<a><![CDATA[ open')).toEqual({ kind: 'unterminated', what: 'CDATA section', offset: 3 });
  });

  it('gives the same answer on every call (no state kept between documents)', () => {
    expect(findXmlSafetyProblem('<a>&x;</a>')).toEqual({ kind: 'entity', name: 'x', offset: 3 });
    expect(findXmlSafetyProblem('<a>&x;</a>')).toEqual({ kind: 'entity', name: 'x', offset: 3 });
  });
});

describe('isXmlChar', () => {
  it('follows the XML 1.0 Char production', () => {
    expect([0x9, 0xa, 0xd, 0x20, 0xd7ff, 0xe000, 0xfffd, 0x10000, 0x10ffff].every(isXmlChar)).toBe(true);
    expect([0x0, 0x8, 0x1f, 0xd800, 0xfffe, 0xffff, 0x110000].some(isXmlChar)).toBe(false);
  });
});

/**
 * The one safety check every XML reader of the repository runs on the raw text before a parser
 * sees it (canonical XML of RM objects, operational templates), so the safety does not depend on
 * parser options: no DOCTYPE, ENTITY or other markup declaration (external entities, entity
 * expansion: XXE, billion laughs), and no entity reference except the five predefined ones and
 * character references of legal XML characters. Comments and CDATA sections are skipped, as their
 * content is never read as markup. Each reader turns the problem into its own error.
 */

export type XmlSafetyProblem = { readonly offset: number } & (
  | { readonly kind: 'declaration'; readonly keyword: string }
  | { readonly kind: 'entity'; readonly name: string }
  | { readonly kind: 'bare-ampersand' }
  | { readonly kind: 'invalid-character-reference'; readonly reference: string }
  | { readonly kind: 'unterminated'; readonly what: 'comment' | 'CDATA section' }
);

const PREDEFINED_ENTITIES: ReadonlySet<string> = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);
const REFERENCE = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|([A-Za-z_:][A-Za-z0-9_.:-]*));/y;
const MARKUP_OR_REFERENCE = /[<&]/g;

/** The first thing that makes `xml` unsafe or unreadable as plain XML, or undefined. Offsets are UTF-16 indices into `xml`. */
export function findXmlSafetyProblem(xml: string): XmlSafetyProblem | undefined {
  const scanner = new RegExp(MARKUP_OR_REFERENCE);
  let match: RegExpExecArray | null;
  while ((match = scanner.exec(xml)) !== null) {
    const at = match.index;
    if (match[0] === '&') {
      const problem = referenceProblem(xml, at);
      if (problem !== undefined) return problem;
    } else if (xml.startsWith('<!--', at)) {
      const end = xml.indexOf('-->', at + 4);
      if (end === -1) return { kind: 'unterminated', what: 'comment', offset: at };
      scanner.lastIndex = end + 3;
    } else if (xml.startsWith('<![CDATA[', at)) {
      const end = xml.indexOf(']]>', at + 9);
      if (end === -1) return { kind: 'unterminated', what: 'CDATA section', offset: at };
      scanner.lastIndex = end + 3;
    } else if (xml.startsWith('<!', at)) {
      const keyword = /^<!([A-Za-z]*)/.exec(xml.slice(at, at + 12))?.[1]?.toUpperCase() ?? '';
      return { kind: 'declaration', keyword, offset: at };
    }
  }
  return undefined;
}

/** An English sentence for a problem, without position (callers add theirs). */
export function describeXmlSafetyProblem(problem: XmlSafetyProblem): string {
  switch (problem.kind) {
    case 'declaration': {
      const what =
        problem.keyword === 'DOCTYPE'
          ? 'a DOCTYPE declaration'
          : problem.keyword === 'ENTITY'
            ? 'an ENTITY declaration'
            : `a markup declaration (<!${problem.keyword}>)`;
      return `Refused: the document contains ${what}; DTDs and entity declarations are not accepted`;
    }
    case 'entity':
      return `Refused: entity reference &${problem.name}; is not allowed; only &lt; &gt; &amp; &quot; &apos; and character references are accepted`;
    case 'bare-ampersand':
      return "Malformed XML: '&' must start an entity or character reference (write &amp; for a literal ampersand)";
    case 'invalid-character-reference':
      return `Malformed XML: character reference ${problem.reference} is not a legal XML character`;
    case 'unterminated':
      return `Malformed XML: unterminated ${problem.what}`;
  }
}

function referenceProblem(xml: string, at: number): XmlSafetyProblem | undefined {
  const reference = new RegExp(REFERENCE);
  reference.lastIndex = at;
  const ref = reference.exec(xml);
  if (ref === null) return { kind: 'bare-ampersand', offset: at };
  const [text, decimal, hex, name] = ref;
  if (name !== undefined) return PREDEFINED_ENTITIES.has(name) ? undefined : { kind: 'entity', name, offset: at };
  const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
  return isXmlChar(codePoint) ? undefined : { kind: 'invalid-character-reference', reference: text, offset: at };
}

/** XML 1.0 Char production. */
export function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

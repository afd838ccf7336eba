import { describePosition, positionAt } from './source-position.js';
import { TemplateParseError } from './template-parse-error.js';

const PREDEFINED_ENTITIES: ReadonlySet<string> = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);
const REFERENCE = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|([A-Za-z_:][A-Za-z0-9_.:-]*));/y;
const MARKUP_OR_REFERENCE = /[<&]/g;

/**
 * Refuses XML that could make a parser fetch external resources or expand entities (XXE, billion
 * laughs): any DOCTYPE or other markup declaration, and any entity reference other than the five
 * predefined ones and character references. This runs on the raw text before any parser sees it,
 * so the safety does not depend on parser options. Comments and CDATA sections are skipped because
 * their content is never interpreted as markup.
 */
export function assertSafeXml(xml: string): void {
  MARKUP_OR_REFERENCE.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = MARKUP_OR_REFERENCE.exec(xml)) !== null) {
    const at = match.index;
    if (match[0] === '&') {
      checkReference(xml, at);
      continue;
    }
    if (xml.startsWith('<!--', at)) {
      MARKUP_OR_REFERENCE.lastIndex = skipPast(xml, at, '-->', 'comment');
    } else if (xml.startsWith('<![CDATA[', at)) {
      MARKUP_OR_REFERENCE.lastIndex = skipPast(xml, at, ']]>', 'CDATA section');
    } else if (xml.startsWith('<!', at)) {
      const keyword = /^<!([A-Za-z]*)/.exec(xml.slice(at, at + 12))?.[1]?.toUpperCase() ?? '';
      const what =
        keyword === 'DOCTYPE'
          ? 'a DOCTYPE declaration'
          : keyword === 'ENTITY'
            ? 'an ENTITY declaration'
            : `a markup declaration (<!${keyword}>)`;
      fail(xml, at, `Refused: the document contains ${what}; DTDs and entity declarations are not accepted in operational templates`);
    }
  }
}

function checkReference(xml: string, at: number): void {
  REFERENCE.lastIndex = at;
  const ref = REFERENCE.exec(xml);
  if (ref === null) {
    fail(xml, at, "Malformed XML: '&' must start an entity or character reference (write &amp; for a literal ampersand)");
  }
  const [, decimal, hex, name] = ref;
  if (name !== undefined && !PREDEFINED_ENTITIES.has(name)) {
    fail(xml, at, `Refused: entity reference &${name}; is not allowed; only &lt; &gt; &amp; &quot; &apos; and character references are accepted`);
  }
  const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : hex !== undefined ? Number.parseInt(hex, 16) : undefined;
  if (codePoint !== undefined && !isXmlChar(codePoint)) {
    fail(xml, at, `Malformed XML: character reference ${ref[0]} is not a legal XML character`);
  }
}

function skipPast(xml: string, at: number, terminator: string, what: string): number {
  const end = xml.indexOf(terminator, at);
  if (end === -1) fail(xml, at, `Malformed XML: unterminated ${what}`);
  return end + terminator.length;
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

function fail(xml: string, offset: number, message: string): never {
  const position = positionAt(xml, offset);
  throw new TemplateParseError(`${message} (${describePosition(position)})`, position);
}

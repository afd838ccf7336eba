import type { SourcePosition } from '../ast.js';
import { AqlSyntaxError, END_OF_QUERY } from './aql-syntax-error.js';

/**
 * The tokens of AQL. Keywords are not told apart from identifiers here: a `word` is a keyword
 * only where the parser expects one (case-insensitively), so that RM attribute names such as
 * `value`, `time` or `version` still work as path parts.
 */
export type AqlTokenKind =
  'word' | 'archetype-id' | 'term-code' | 'uri' | 'parameter' | 'string' | 'integer' | 'real' | 'regex' | 'symbol' | 'end';

export interface AqlToken {
  readonly kind: AqlTokenKind;
  /** The source text of the token, e.g. `'it''s'` with its quotes. */
  readonly text: string;
  /** Strings: unescaped content; parameters: name without `$`; regexes: the pattern; term codes: `terminology::code`. */
  readonly value: string;
  /** For strings the lexer recognised as ISO 8601. */
  readonly temporal?: 'date' | 'time' | 'date-time';
  /** For term codes written `SNOMED-CT::123|term|`. */
  readonly term?: string;
  readonly position: SourcePosition;
}

const ARCHETYPE_ID =
  /(?:[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*::)?[A-Za-z][A-Za-z0-9_]*-[A-Za-z][A-Za-z0-9_]*-[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*\.v\d+(?:\.\d+){0,2}(?:-(?:rc|alpha)(?:\.\d+)?)?(?![A-Za-z0-9_.]|-(?!-))/y;
/** Something that starts like an archetype id but is not one, to report it as such. */
const ARCHETYPE_ID_ATTEMPT = /(?:[A-Za-z][A-Za-z0-9_.]*::)?[A-Za-z][A-Za-z0-9_]*-[A-Za-z0-9_][A-Za-z0-9_.]*(?:-[A-Za-z0-9_.]+)*/y;
const TERM_CODE = /([A-Za-z][A-Za-z0-9_.-]*)::([A-Za-z0-9_.-]+)(?:\|([^|]+)\|)?/y;
const URI = /[A-Za-z][A-Za-z0-9+.-]*:(?!:)[^\s{}]+/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NODE_CODE_TAIL = /(?:\.\d+)+(?![A-Za-z0-9_])/y;
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?(?![A-Za-z_])/y;
const PARAMETER = /\$([A-Za-z_][A-Za-z0-9_]*)/y;
const SYMBOLS = ['!=', '<=', '>=', '(', ')', '[', ']', '{', '}', ',', '/', '*', '=', '<', '>'] as const;

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d([.,]\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

export function tokenizeAql(text: string): AqlToken[] {
  return new AqlLexer(text).tokenize();
}

/** One pass over the query text; each step reads one token (or skips space or a comment) at the current offset. */
class AqlLexer {
  readonly #tokens: AqlToken[] = [];
  readonly #lineStarts: number[] = [0];
  #offset = 0;

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.#lineStarts.push(i + 1);
  }

  tokenize(): AqlToken[] {
    while (this.#offset < this.text.length) this.#step();
    this.#tokens.push({ kind: 'end', text: END_OF_QUERY, value: '', position: this.#positionOf(this.text.length) });
    return this.#tokens;
  }

  readonly fail: Fail = (offset, expected, found, detail) => {
    throw new AqlSyntaxError(this.text, this.#positionOf(offset), expected, found, detail);
  };

  #positionOf(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.#lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.#lineStarts[lo] ?? 0) + 1, offset };
  }

  #match(re: RegExp, at: number): RegExpExecArray | null {
    re.lastIndex = at;
    return re.exec(this.text);
  }

  #push(kind: AqlTokenKind, start: number, end: number, value: string, extra?: Partial<AqlToken>): void {
    this.#tokens.push({ kind, text: this.text.slice(start, end), value, position: this.#positionOf(start), ...extra });
    this.#offset = end;
  }

  #step(): void {
    const { text } = this;
    const i = this.#offset;
    const c = text[i] ?? '';
    if (/\s/.test(c) || c === '\uFEFF') {
      this.#offset++;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      this.#offset = end < 0 ? text.length : end;
    } else if (c === "'" || c === '"') {
      const { value, end } = readString(text, i, this.fail);
      this.#push('string', i, end, value, temporalKind(value));
    } else if (c === '{' && text[skipSpaces(text, i + 1)] === '/') {
      // `{/regex/}` in a node predicate; anything else is a value list.
      const { pattern, end } = readRegex(text, i, skipSpaces(text, i + 1), this.fail);
      this.#push('regex', i, end, pattern);
    } else if (c === '$') {
      const m = this.#match(PARAMETER, i);
      if (!m) return this.fail(i, ['a parameter name'], text.slice(i, i + 2));
      this.#push('parameter', i, i + m[0].length, m[1] ?? '');
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = this.#match(NUMBER, i);
      if (!m) return this.fail(i, ['a number'], wordAt(text, i));
      this.#push(m[1] !== undefined || m[2] !== undefined ? 'real' : 'integer', i, i + m[0].length, m[0]);
    } else if (/[A-Za-z_]/.test(c)) {
      this.#wordLike(i);
    } else {
      const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, i));
      if (!symbol) return this.fail(i, ['a keyword, identifier, value or symbol'], c);
      this.#push('symbol', i, i + symbol.length, symbol);
    }
  }

  /** What starts with a letter: an archetype id, a term code, a URI, or a word (node codes such as at0001.1 included). */
  #wordLike(i: number): void {
    const archetypeId = this.#match(ARCHETYPE_ID, i);
    if (archetypeId) return this.#push('archetype-id', i, i + archetypeId[0].length, archetypeId[0]);
    const termCode = this.#match(TERM_CODE, i);
    if (termCode) {
      return this.#push('term-code', i, i + termCode[0].length, `${termCode[1] ?? ''}::${termCode[2] ?? ''}`, {
        ...(termCode[3] !== undefined ? { term: termCode[3] } : {}),
      });
    }
    const uri = this.#match(URI, i);
    if (uri) return this.#push('uri', i, i + uri[0].length, uri[0]);
    const attempt = this.#match(ARCHETYPE_ID_ATTEMPT, i);
    if (attempt) {
      return this.fail(
        i,
        ['an archetype id (such as openEHR-EHR-OBSERVATION.blood_pressure.v2)'],
        attempt[0],
        `'${attempt[0]}' is not an archetype id (expected one such as openEHR-EHR-OBSERVATION.blood_pressure.v2)`,
      );
    }
    const word = this.#match(WORD, i);
    let end = i + (word?.[0].length ?? 1);
    if (/^(at|id)\d+$/.test(word?.[0] ?? '')) {
      const tail = this.#match(NODE_CODE_TAIL, end);
      if (tail) end += tail[0].length;
    }
    this.#push('word', i, end, this.text.slice(i, end));
  }
}

type Fail = (offset: number, expected: string[], found: string, detail?: string) => never;

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', "'": "'", '"': '"' };

function readString(text: string, start: number, fail: Fail): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\') {
      const next = text[i + 1] ?? '';
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      const escaped = ESCAPES[next];
      // Any other escape is kept as written, so that LIKE patterns can escape their wildcards (`\*`).
      value += escaped ?? `\\${next}`;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  return fail(
    start,
    [`a closing ${quote === '"' ? '"' : "'"}`],
    END_OF_QUERY,
    `unterminated string: expected a closing ${quote} but found end of query`,
  );
}

function readRegex(text: string, start: number, slash: number, fail: Fail): { pattern: string; end: number } {
  let i = slash + 1;
  let pattern = '';
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === '\\' && text[i + 1] === '/') {
      pattern += '/';
      i += 2;
      continue;
    }
    if (c === '/') {
      const close = skipSpaces(text, i + 1);
      if (text[close] === '}') return { pattern, end: close + 1 };
    }
    pattern += c;
    i++;
  }
  return fail(start, ["'/}'"], END_OF_QUERY, 'unterminated regular expression: expected /} but found end of query');
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  return i;
}

function wordAt(text: string, i: number): string {
  return /^\S+/.exec(text.slice(i))?.[0] ?? END_OF_QUERY;
}

function temporalKind(value: string): { temporal?: 'date' | 'time' | 'date-time' } {
  if (DATE.test(value)) return { temporal: 'date' };
  if (TIME.test(value)) return { temporal: 'time' };
  const t = value.indexOf('T');
  if (t === 10 && DATE.test(value.slice(0, t)) && TIME.test(value.slice(t + 1))) return { temporal: 'date-time' };
  return {};
}

/**
 * Text for a C_STRING pattern. Template patterns are short regular expressions (`XYZ.*`,
 * `[A-Z]{3}\d+`); the shortest string of each construct is built and kept only if the pattern
 * really accepts it, so an unusual construct never yields a wrong example silently.
 */

interface Cursor {
  readonly source: string;
  index: number;
}

/** ADL writes patterns between slashes, OPTs mostly without. */
function patternSource(pattern: string): string {
  return pattern.length > 1 && pattern.startsWith('/') && pattern.endsWith('/') ? pattern.slice(1, -1) : pattern;
}

function wholeMatch(source: string, value: string): boolean {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(`^(?:${source})$`, flags).test(value);
    } catch {
      // Java-style syntax that Unicode mode refuses may still compile without it.
    }
  }
  // A pattern JavaScript cannot compile constrains nothing we can check (validation ignores it too).
  return true;
}

/** One character of a class such as `[A-Za-z0-9]` or `[^,]`. */
function classCharacter(cursor: Cursor): string {
  const end = cursor.source.indexOf(']', cursor.index + 1);
  const body = cursor.source.slice(cursor.index, end < 0 ? undefined : end);
  cursor.index = end < 0 ? cursor.source.length : end + 1;
  if (body.startsWith('^')) return 'x';
  if (body.startsWith('\\d')) return '1';
  if (body.startsWith('\\w')) return 'a';
  return body.startsWith('\\') ? (body[1] ?? 'x') : (body[0] ?? 'x');
}

function escapedCharacter(character: string): string {
  switch (character) {
    case 'd':
      return '1';
    case 'w':
      return 'a';
    case 's':
      return ' ';
    default:
      return character;
  }
}

/** Repetitions the quantifier at the cursor asks for at least (none: exactly one). */
function repetitions(cursor: Cursor): number {
  const next = cursor.source[cursor.index];
  if (next === '*' || next === '?') {
    cursor.index += 1;
    if (cursor.source[cursor.index] === '?') cursor.index += 1;
    return 0;
  }
  if (next === '+') {
    cursor.index += 1;
    if (cursor.source[cursor.index] === '?') cursor.index += 1;
    return 1;
  }
  if (next === '{') {
    const match = /^\{(\d+)(?:,\d*)?\}/.exec(cursor.source.slice(cursor.index));
    if (match) {
      cursor.index += match[0].length;
      return Number(match[1]);
    }
  }
  return 1;
}

/** The shortest text of a sequence, up to `)` or the end; only the first alternative of `a|b` is used. */
function sequence(cursor: Cursor): string {
  let text = '';
  while (cursor.index < cursor.source.length) {
    const character = cursor.source[cursor.index] ?? '';
    if (character === ')') return text;
    if (character === '|') {
      skipAlternatives(cursor);
      return text;
    }
    let atom: string;
    if (character === '(') {
      cursor.index += 1;
      if (cursor.source.startsWith('?:', cursor.index)) cursor.index += 2;
      atom = sequence(cursor);
      cursor.index += 1;
    } else if (character === '[') {
      cursor.index += 1;
      atom = classCharacter(cursor);
    } else if (character === '\\') {
      atom = escapedCharacter(cursor.source[cursor.index + 1] ?? '');
      cursor.index += 2;
    } else if (character === '^' || character === '$') {
      cursor.index += 1;
      continue;
    } else {
      atom = character === '.' ? 'x' : character;
      cursor.index += 1;
    }
    text += atom.repeat(repetitions(cursor));
  }
  return text;
}

/** Moves past the remaining alternatives of the current group. */
function skipAlternatives(cursor: Cursor): void {
  let depth = 0;
  while (cursor.index < cursor.source.length) {
    const character = cursor.source[cursor.index];
    if (character === '\\') cursor.index += 1;
    else if (character === '(') depth += 1;
    else if (character === ')') {
      if (depth === 0) return;
      depth -= 1;
    }
    cursor.index += 1;
  }
}

/** `sample` when the pattern accepts it, else a short text built from the pattern (or `sample` when that fails too). */
export function exampleMatching(pattern: string | undefined, sample: string): string {
  if (pattern === undefined) return sample;
  const source = patternSource(pattern);
  if (wholeMatch(source, sample)) return sample;
  const built = sequence({ source, index: 0 });
  return wholeMatch(source, built) ? built : sample;
}

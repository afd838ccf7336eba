/**
 * Collects the values of a statement as positional parameters. Every value that comes from the
 * query text or its parameters passes through here, so none is ever spliced into SQL.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** A placeholder for `value`, cast to `type` so that PostgreSQL never has to guess. */
  bind(value: unknown, type: 'text' | 'jsonb' | 'jsonpath' | 'uuid' | 'uuid[]' | 'text[]' | 'numeric' | 'integer' | 'timestamptz'): string {
    const stored = type === 'jsonb' ? JSON.stringify(value) : value;
    this.values.push(stored);
    return `$${this.values.length}::${type}`;
  }

  /** A jsonb value for use as a jsonpath variable map or a comparison operand. */
  json(value: unknown): string {
    return this.bind(value, 'jsonb');
  }
}

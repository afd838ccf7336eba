/**
 * The small SQL tree the AQL compiler builds before printing: the statement's structure (what
 * is joined how, what is selected, grouped and ordered) as readonly data. Expressions are SQL
 * fragments the compiler made from its own vocabulary; every value inside them is a placeholder
 * bound through SqlParams, never text from the query.
 */

export type SqlFromItem = SqlTable | SqlLateral;

/** A base table of the repository; `on` joins it to the items before it. */
export interface SqlTable {
  readonly kind: 'table';
  readonly table: 'ehr' | 'object_version';
  readonly alias: string;
  readonly optional: boolean;
  readonly on: readonly string[];
}

/** `LATERAL call AS alias(column)`: a set-returning function over an earlier item's columns. */
export interface SqlLateral {
  readonly kind: 'lateral';
  readonly call: string;
  readonly alias: string;
  readonly column: string;
  readonly optional: boolean;
  /** Join conditions besides the lateral's own (none: `ON true`). */
  readonly on?: readonly string[];
}

export interface SqlColumn {
  readonly expr: string;
  readonly alias: string;
}

export interface SqlOrder {
  readonly expr: string;
  readonly direction: 'ASC' | 'DESC';
}

export interface SqlSelect {
  readonly kind: 'select';
  readonly columns: readonly SqlColumn[];
  readonly from: readonly SqlFromItem[];
  readonly where: readonly string[];
  /** Output column positions (1-based) to group by; empty for no grouping. */
  readonly groupBy: readonly number[];
  readonly orderBy: readonly SqlOrder[];
  readonly limit: string | undefined;
  readonly offset: string | undefined;
}

export function printFromItems(items: readonly SqlFromItem[]): { from: string; where: string[] } {
  const where: string[] = [];
  const parts = items.map((item, index) => {
    switch (item.kind) {
      case 'table': {
        const source = `${item.table} ${item.alias}`;
        if (index === 0) {
          where.push(...item.on);
          return source;
        }
        const on = item.on.length > 0 ? item.on.join(' AND ') : 'true';
        return `${item.optional ? 'LEFT JOIN' : 'JOIN'} ${source} ON ${on}`;
      }
      case 'lateral': {
        const source = `LATERAL ${item.call} AS ${item.alias}(${item.column})`;
        if (index === 0) return source.replace(/^LATERAL /, '');
        const on = item.on !== undefined && item.on.length > 0 ? item.on.join(' AND ') : undefined;
        if (item.optional) return `LEFT JOIN ${source} ON ${on ?? 'true'}`;
        return on === undefined ? `CROSS JOIN ${source}` : `JOIN ${source} ON ${on}`;
      }
    }
  });
  return { from: parts.join('\n  '), where };
}

export function printSelect(select: SqlSelect): string {
  const { from, where } = printFromItems(select.from);
  const conditions = [...where, ...select.where];
  const lines = [`SELECT ${select.columns.map((column) => `${column.expr} AS ${column.alias}`).join(',\n  ')}`, `FROM ${from}`];
  if (conditions.length > 0) lines.push(`WHERE ${conditions.map((c) => `(${c})`).join('\n  AND ')}`);
  if (select.groupBy.length > 0) lines.push(`GROUP BY ${select.groupBy.join(', ')}`);
  if (select.orderBy.length > 0) lines.push(`ORDER BY ${select.orderBy.map((o) => `${o.expr} ${o.direction}`).join(', ')}`);
  if (select.limit !== undefined) lines.push(`LIMIT ${select.limit}`);
  if (select.offset !== undefined) lines.push(`OFFSET ${select.offset}`);
  return lines.join('\n');
}

/** `EXISTS (SELECT 1 FROM … WHERE …)` over items that may refer to the enclosing query. */
export function printExists(items: readonly SqlFromItem[], conditions: readonly string[]): string {
  const { from, where } = printFromItems(items);
  const all = [...where, ...conditions];
  return `EXISTS (SELECT 1 FROM ${from}${all.length > 0 ? ` WHERE ${all.map((c) => `(${c})`).join(' AND ')}` : ''})`;
}

/**
 * Fast bulk inserts straight into a province database: thousands of rows per statement, as ONE
 * `INSERT … SELECT … FROM unnest($1::text[], $2::text[], …)` — one array parameter per column, so
 * the statement has a dozen parameters whatever the row count (a VALUES list would need one
 * parameter per cell and hit Postgres' 65,535-parameter limit at a few thousand rows).
 * Column names and SQL types come from the province's own drizzle tables, so the loader follows
 * the schema the migrations created.
 */
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';

/** Something that runs SQL: a `pg.Client` or `pg.Pool`. */
export type SqlRunner = Pick<pg.Client, 'query'>;

/** A value as Postgres reads it in text form: strings as they are, arrays as array literals. */
export function postgresText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value))
    return `{${value.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The SQL type of a column without its collation (`text COLLATE "C"` → `text`), for casts. */
function castType(sqlType: string): string {
  return sqlType.replace(/\s+COLLATE\s+\S+$/i, '');
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Options of {@link insertRows}. */
export interface InsertRowsOptions {
  /**
   * Rows per statement.
   * @default 5_000
   */
  rowsPerStatement?: number;
  /**
   * What to do on a primary-key conflict: fail (a fresh load never has one) or skip the row.
   * @default 'fail'
   */
  onConflict?: 'fail' | 'skip';
}

/**
 * Inserts `rows` (objects keyed like the drizzle table's properties) into `table`, in statements of
 * `rowsPerStatement` rows. A column that no row sets keeps its default; a column some rows set is
 * NULL in the others.
 * @returns the number of rows inserted.
 */
export async function insertRows<T extends PgTable>(
  db: SqlRunner,
  table: T,
  rows: readonly T['$inferInsert'][],
  options: InsertRowsOptions = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.entries(getTableColumns(table)).filter(([key]) =>
    rows.some((r) => (r as Record<string, unknown>)[key] !== undefined),
  );
  const select = columns.map(([, column], i) => `u.c${i}::${castType(column.getSQLType())}`).join(', ');
  const sql =
    `INSERT INTO ${quote(getTableName(table))} (${columns.map(([, c]) => quote(c.name)).join(', ')}) ` +
    `SELECT ${select} FROM unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS u(${columns.map((_, i) => `c${i}`).join(', ')})` +
    (options.onConflict === 'skip' ? ' ON CONFLICT DO NOTHING' : '');
  const step = options.rowsPerStatement ?? 5_000;
  let inserted = 0;
  for (let start = 0; start < rows.length; start += step) {
    const part = rows.slice(start, start + step);
    const params = columns.map(([key]) =>
      part.map((row) => postgresText((row as Record<string, unknown>)[key])),
    );
    const result = await db.query(sql, params);
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

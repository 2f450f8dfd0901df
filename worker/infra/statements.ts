import { fillPlaceholders, getTableName, type SQLWrapper, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { type Database, database } from "./db.ts";

/*
 * Statements on the hottest write path (ticket creation), built by drizzle once per isolate and
 * shape, then bound per request — what drizzle's own `.prepare()` does, except that a prepared
 * query is tied to one D1 client and a request runs in its own D1 session. Building the same
 * SQL on every request was a fifth of the worker's CPU time per created ticket.
 */

type Built = { sql: string; params: unknown[] };
const built = new Map<string, Built>();

/**
 * A D1 statement for `shape`: `build` runs once per isolate with drizzle placeholders named as
 * the keys of `values`; each call binds `values` through the columns' own encoders.
 */
export function boundStatement(
  d1: D1Database,
  shape: string,
  build: (db: Database) => SQLWrapper & { toSQL(): Built },
  values: Record<string, unknown>,
): D1PreparedStatement {
  let query = built.get(shape);
  if (!query) {
    query = build(database(d1)).toSQL();
    built.set(shape, query);
  }
  return d1.prepare(query.sql).bind(...fillPlaceholders(query.params, values));
}

/**
 * An insert of one row as a bound D1 statement. Keys left undefined take the column default;
 * nulls are written as SQL NULL (a placeholder would hand null to a JSON column's encoder, which
 * stores the text "null"), so they are part of the shape.
 */
export function insertRow<T extends SQLiteTable>(d1: D1Database, table: T, row: T["$inferInsert"]): D1PreparedStatement {
  const entries = Object.entries(row as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const shape = `insert:${getTableName(table)}:${entries.map(([k, v]) => (v === null ? `${k}=null` : k)).join(",")}`;
  const values = Object.fromEntries(entries.filter(([, v]) => v !== null));
  return boundStatement(
    d1,
    shape,
    (db) =>
      db
        .insert(table)
        .values(Object.fromEntries(entries.map(([k, v]) => [k, v === null ? null : sql.placeholder(k)])) as T["$inferInsert"]),
    values,
  );
}

/** A drizzle query as a bound D1 statement, so one raw batch can mix it with bound statements. */
export function statementOf(d1: D1Database, query: { toSQL(): Built }): D1PreparedStatement {
  const { sql: text, params } = query.toSQL();
  return d1.prepare(text).bind(...params);
}

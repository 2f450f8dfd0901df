import { and, count, createTableRelationsHelpers, eq, extractTablesRelationalConfig, type SQL } from "drizzle-orm";
import { DrizzleD1Database } from "drizzle-orm/d1";
import { SQLiteD1Session } from "drizzle-orm/d1/session";
import { type SelectedFields, SQLiteAsyncDialect, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import * as tables from "../../schema/db.ts";

/** The drizzle client type. */
export type Database = DrizzleD1Database<typeof tables> & { $client: D1Database };

// What `drizzle(d1, { schema })` derives from the schema on every call, derived once per isolate:
// on the window preview that derivation was 15 % of the worker's CPU time.
const dialect = new SQLiteAsyncDialect();
const relations = extractTablesRelationalConfig(tables, createTableRelationsHelpers);
const schema = { fullSchema: tables, schema: relations.tables, tableNamesMap: relations.tableNamesMap };
// One client per D1 binding object: middleware and handler of one request share it.
const clients = new WeakMap<D1Database, Database>();

/** The drizzle client over the D1 binding (the same object as `drizzle(d1, { schema })`). */
export function database(d1: D1Database): Database {
  let db = clients.get(d1);
  if (!db) {
    const session = new SQLiteD1Session(d1, dialect, schema, {});
    db = Object.assign(new DrizzleD1Database("async", dialect, session, schema) as DrizzleD1Database<typeof tables>, { $client: d1 });
    clients.set(d1, db);
  }
  return db;
}

/** A table whose rows belong to one merchant and have their own id. */
type MerchantTable = SQLiteTable & { id: SQLiteColumn; merchantId: SQLiteColumn };

/**
 * The chosen fields of one row of `table` by its id, only when it belongs to the merchant: another
 * merchant's row reads as none (undefined), the same as a missing one.
 */
export function ownedRow<T extends MerchantTable, F extends SelectedFields>(
  db: Database,
  table: T,
  fields: F,
  merchantId: string,
  id: string,
) {
  return db
    .select(fields)
    .from(table)
    .where(and(eq(table.id, id), eq(table.merchantId, merchantId)))
    .get();
}

/** How many rows of `table` meet `where`. */
export async function countRows(db: Database, table: SQLiteTable, where: SQL | undefined): Promise<number> {
  const row = await db.select({ n: count() }).from(table).where(where).get();
  return row?.n ?? 0;
}

/**
 * A D1 session opened only when the request first touches D1: requests served from memory
 * (a cached site's window preview) pay nothing for it.
 */
export function lazySession(d1: D1Database, bookmark: string): { db: D1Database; bookmark: () => string | null } {
  let session: D1DatabaseSession | undefined;
  const open = () => {
    session ??= d1.withSession(bookmark);
    return session;
  };
  const db = {
    prepare: (query: string) => open().prepare(query),
    batch: <T>(statements: D1PreparedStatement[]) => open().batch<T>(statements),
    exec: (query: string) => d1.exec(query),
    dump: () => d1.dump(),
    withSession: (b?: string) => d1.withSession(b),
  };
  return { db: db as unknown as D1Database, bookmark: () => session?.getBookmark() ?? null };
}

/**
 * Whether a D1 error (raw, or wrapped by drizzle with the D1 error as its cause) is the failure of
 * the named constraint: a UNIQUE or PRIMARY KEY on `name` (a table, or `table.column`), or the
 * CHECK of the write guard (`name` "write_guard"). The one place SQLite's error texts are read.
 */
export function constraintFailed(error: unknown, name: string): boolean {
  const texts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    texts.push(String((e as Error).message ?? e));
    e = (e as Error).cause;
  }
  const text = texts.join(" ");
  if (name === "write_guard") return text.includes("CHECK constraint failed: write_guard");
  const m = /UNIQUE constraint failed: ([\w., ]+)/.exec(text);
  return m !== null && (m[1] as string).split(/,\s*/).some((col) => col === name || col.startsWith(`${name}.`));
}

/**
 * The statement that makes an optimistic batch all-or-nothing: placed right after an UPDATE guarded
 * by the version it read, it fails the write guard's CHECK — aborting the whole batch — when that
 * update changed no row (someone else wrote first).
 */
export const GUARD_SQL = "INSERT OR REPLACE INTO write_guard (id, ok) VALUES (1, changes())";

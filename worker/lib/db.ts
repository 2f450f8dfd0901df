import { drizzle } from "drizzle-orm/d1";
import * as tables from "../../schema/db.ts";

/** The drizzle client over the D1 binding. */
export function database(d1: D1Database) {
  return drizzle(d1, { schema: tables });
}

/** The drizzle client type. */
export type Database = ReturnType<typeof database>;

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

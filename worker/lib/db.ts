import { drizzle } from "drizzle-orm/d1";
import * as tables from "../../schema/db.ts";

/** The drizzle client over the D1 binding. */
export function database(d1: D1Database) {
  return drizzle(d1, { schema: tables });
}

/** The drizzle client type. */
export type Database = ReturnType<typeof database>;

import { d1Query, startDevServer } from "../../../worker/dev/server.ts";

/** The real worker the browser talks to: built widget, migrated and seeded local D1, `wrangler dev`. */
export interface TestServer {
  readonly url: string;
  /** The local D1 state folder, for test setup that stands in for staff actions (see staff.ts). */
  readonly persistTo: string;
  stop(): Promise<void>;
}

/**
 * Starts a fresh worker for a test file. REPLYBY_TEST_URL (+ REPLYBY_TEST_PERSIST) points the
 * tests at one already running instead, e.g. `npm start` while working on the widget.
 */
export async function startServer(): Promise<TestServer> {
  const url = process.env.REPLYBY_TEST_URL;
  if (url) return { url: url.replace(/\/+$/, ""), persistTo: process.env.REPLYBY_TEST_PERSIST ?? "", stop: async () => {} };
  return startDevServer({});
}

/** Runs SQL against the server's local D1 and returns the rows of the last statement. */
export function sql<T = Record<string, unknown>>(server: TestServer, query: string): T[] {
  if (!server.persistTo) throw new Error("set REPLYBY_TEST_PERSIST to the running server's --persist-to folder");
  return d1Query<T>(server.persistTo, query);
}

/** Quotes an SQL string literal. */
export function lit(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

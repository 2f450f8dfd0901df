import { and, eq, sql } from "drizzle-orm";
import { accounts } from "../../schema/db.ts";
import { parseInstant } from "../../schema/instant.ts";
import type { FieldError } from "../../schema/policy.ts";
import { iso } from "../engine/window.ts";
import { randomId } from "../infra/crypto.ts";
import type { Database } from "../infra/db.ts";

/**
 * What a merchant says about one of its customer accounts (API or CSV import). A field left out
 * keeps the stored value; a new account starts with no plan, no flags and no reported cases.
 */
export interface AccountUpdate {
  readonly plan?: string | undefined;
  /** Whether the customer is current with all dues: the `duesCurrent` flag policies check. */
  readonly duesCurrent?: boolean | undefined;
  /** Other flags a policy's eligibility may require, by name. */
  readonly flags?: Readonly<Record<string, boolean>> | undefined;
  /** When the customer subscribed (epoch ms): setup assistance counts from it. */
  readonly subscribedAt?: number | undefined;
  /** Cases used in the current allowance period as of now; Replyby adds the ones filed after. */
  readonly casesUsed?: number | undefined;
}

/** An account as the admin API answers it. */
export interface AccountView {
  readonly id: string;
  readonly plan: string | null;
  readonly duesCurrent: boolean | null;
  readonly flags: Record<string, boolean>;
  readonly subscribedAt: string | null;
  readonly casesUsed: number | null;
  readonly casesUsedAt: string | null;
  readonly updatedAt: string;
}

type AccountRow = typeof accounts.$inferSelect;

/** The API's view of an account row. */
export function accountView(row: AccountRow): AccountView {
  return {
    id: row.externalId,
    plan: row.plan,
    duesCurrent: row.flags.duesCurrent ?? null,
    flags: row.flags,
    subscribedAt: row.subscribedAt !== null ? iso(row.subscribedAt) : null,
    casesUsed: row.casesUsed,
    casesUsedAt: row.casesUsedAt !== null ? iso(row.casesUsedAt) : null,
    updatedAt: iso(row.updatedAt ?? row.createdAt),
  };
}

// 10 bound parameters per row: 9 rows keep a statement under D1's 100.
const ROWS_PER_STATEMENT = 9;

/**
 * The upserts of many accounts of one merchant, keyed by their external id: one statement per 9
 * rows, to run in one D1 batch (all or nothing). Fields an update leaves out (NULL in `excluded`)
 * keep their stored value; flags given are merged into the stored ones.
 */
function upserts(db: Database, merchantId: string, updates: readonly (AccountUpdate & { id: string })[], now: number) {
  const out = [];
  for (let i = 0; i < updates.length; i += ROWS_PER_STATEMENT) {
    const values = updates.slice(i, i + ROWS_PER_STATEMENT).map((u) => ({
      id: randomId("acct"),
      merchantId,
      externalId: u.id,
      plan: u.plan ?? null,
      flags: { ...u.flags, ...(u.duesCurrent !== undefined ? { duesCurrent: u.duesCurrent } : {}) },
      subscribedAt: u.subscribedAt ?? null,
      casesUsed: u.casesUsed ?? null,
      casesUsedAt: u.casesUsed !== undefined ? now : null,
      createdAt: now,
      updatedAt: now,
    }));
    out.push(
      db
        .insert(accounts)
        .values(values)
        .onConflictDoUpdate({
          target: [accounts.merchantId, accounts.externalId],
          set: {
            plan: sql`coalesce(excluded.plan, ${accounts.plan})`,
            flags: sql`json_patch(${accounts.flags}, excluded.flags)`,
            subscribedAt: sql`coalesce(excluded.subscribed_at, ${accounts.subscribedAt})`,
            casesUsed: sql`coalesce(excluded.cases_used, ${accounts.casesUsed})`,
            casesUsedAt: sql`CASE WHEN excluded.cases_used IS NULL THEN ${accounts.casesUsedAt} ELSE excluded.cases_used_at END`,
            updatedAt: sql`excluded.updated_at`,
          },
        }),
    );
  }
  return out;
}

/** The account of this merchant with this external id, if any. */
export function accountOf(db: Database, merchantId: string, externalId: string): Promise<AccountRow | undefined> {
  return db
    .select()
    .from(accounts)
    .where(and(eq(accounts.merchantId, merchantId), eq(accounts.externalId, externalId)))
    .get();
}

/** Creates or updates one account of a merchant; `created` says which. */
export async function upsertAccount(
  db: Database,
  merchantId: string,
  externalId: string,
  update: AccountUpdate,
  now: number,
): Promise<{ created: boolean; account: AccountRow }> {
  const existed = (await accountOf(db, merchantId, externalId)) !== undefined;
  const [statement] = upserts(db, merchantId, [{ ...update, id: externalId }], now);
  if (statement) await statement.run();
  const account = await accountOf(db, merchantId, externalId);
  if (!account) throw new Error("account vanished after its upsert");
  return { created: !existed, account };
}

/** Rows one CSV import may hold (one D1 batch of ≤ 112 statements). */
export const MAX_IMPORT_ROWS = 1000;

/** The columns a CSV import knows; `account_id` is required, the others optional. */
export const importColumns = ["account_id", "plan", "dues_current", "cases_used", "subscribed_at"] as const;

/** A CSV import read: the updates when every line is valid, else each line's errors (nothing to write). */
export type ParsedImport = { ok: true; updates: (AccountUpdate & { id: string })[] } | { ok: false; errors: FieldError[] };

/** RFC 4180 records of a CSV text: quoted fields may hold commas, quotes ("") and line breaks. */
export function csvRecords(text: string): { line: number; fields: string[] }[] | { error: FieldError } {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== "") records.push({ line: start, fields });
      fields = [];
      field = "";
      line++;
      start = line;
    } else field += ch;
  }
  if (quoted) return { error: { path: `line ${start}`, message: "A quoted field is not closed" } };
  fields.push(field);
  if (fields.length > 1 || fields[0] !== "") records.push({ line: start, fields });
  return records;
}

const yes = new Set(["true", "yes", "1", "y"]);
const no = new Set(["false", "no", "0", "n"]);

/**
 * Reads a CSV of accounts: a header row naming columns from importColumns (any order, account_id
 * required), then one account per line. An empty cell leaves that value as it is. Every line is
 * checked before anything is written: one bad line means no line is imported.
 */
export function parseAccountsCsv(text: string): ParsedImport {
  const records = csvRecords(text);
  if ("error" in records) return { ok: false, errors: [records.error] };
  const [header, ...lines] = records;
  if (!header)
    return { ok: false, errors: [{ path: "file", message: "The file is empty: it needs a header row and one line per account" }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const errors: FieldError[] = [];
  for (const name of names) {
    if (!(importColumns as readonly string[]).includes(name)) {
      errors.push({ path: "line 1", message: `Unknown column "${name}": use ${importColumns.join(", ")}` });
    }
  }
  if (new Set(names).size !== names.length) errors.push({ path: "line 1", message: "A column is named twice" });
  if (!names.includes("account_id")) errors.push({ path: "line 1", message: "The header needs an account_id column" });
  if (errors.length) return { ok: false, errors };
  if (lines.length === 0) return { ok: false, errors: [{ path: "file", message: "No accounts below the header row" }] };
  if (lines.length > MAX_IMPORT_ROWS) {
    return { ok: false, errors: [{ path: "file", message: `At most ${MAX_IMPORT_ROWS} accounts per file; split it` }] };
  }
  const seen = new Map<string, number>();
  const updates: (AccountUpdate & { id: string })[] = [];
  for (const { line, fields } of lines) {
    const at = `line ${line}`;
    if (fields.length !== names.length) {
      errors.push({ path: at, message: `Expected ${names.length} fields, found ${fields.length}` });
      continue;
    }
    const cell = (name: (typeof importColumns)[number]) => (fields[names.indexOf(name)] ?? "").trim();
    const id = cell("account_id");
    const update: { -readonly [K in keyof AccountUpdate]: AccountUpdate[K] } & { id: string } = { id };
    if (id.length === 0 || id.length > 120)
      errors.push({ path: `${at}: account_id`, message: "Give an account id of 1 to 120 characters" });
    else if (seen.has(id)) errors.push({ path: `${at}: account_id`, message: `Account ${id} is already on line ${seen.get(id)}` });
    else seen.set(id, line);
    const plan = cell("plan");
    if (plan.length > 40) errors.push({ path: `${at}: plan`, message: "Use at most 40 characters" });
    else if (plan) update.plan = plan;
    const dues = cell("dues_current").toLowerCase();
    if (yes.has(dues)) update.duesCurrent = true;
    else if (no.has(dues)) update.duesCurrent = false;
    else if (dues) errors.push({ path: `${at}: dues_current`, message: "Use true or false (or yes / no, 1 / 0)" });
    const cases = cell("cases_used");
    if (/^\d{1,6}$/.test(cases)) update.casesUsed = Number(cases);
    else if (cases) errors.push({ path: `${at}: cases_used`, message: "Use a whole number of cases, 0 or more" });
    const since = cell("subscribed_at");
    const sinceAt = /^\d{4}-\d{2}-\d{2}$/.test(since) ? parseInstant(`${since}T00:00:00Z`) : since ? parseInstant(since) : undefined;
    if (sinceAt === null)
      errors.push({ path: `${at}: subscribed_at`, message: "Use a date such as 2026-11-01 (UTC) or an ISO instant with a zone" });
    else if (sinceAt !== undefined) update.subscribedAt = sinceAt;
    updates.push(update);
  }
  return errors.length ? { ok: false, errors } : { ok: true, updates };
}

/** Writes a parsed import in one D1 batch: every account or none. */
export async function importAccounts(
  db: Database,
  merchantId: string,
  updates: readonly (AccountUpdate & { id: string })[],
  now: number,
): Promise<number> {
  const statements = upserts(db, merchantId, updates, now);
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
  return updates.length;
}

/** A page of a merchant's accounts for the dashboard, by external id. */
export function listAccounts(db: Database, merchantId: string, limit = 200): Promise<AccountRow[]> {
  return db.select().from(accounts).where(eq(accounts.merchantId, merchantId)).orderBy(accounts.externalId).limit(limit);
}

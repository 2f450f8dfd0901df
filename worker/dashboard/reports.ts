import { DateTime } from "luxon";
import { decimal, isoAt } from "./format.ts";

/** How one priority did over the report period. */
export interface Attainment {
  readonly priority: string;
  readonly total: number;
  /** Resolved or closed without missing any target. */
  readonly met: number;
  /** Missed a first-response or resolution target (late, or still open past due). */
  readonly missed: number;
}

/**
 * SLA attainment per priority of tickets received in [from, to): met = resolved within every
 * target, missed = any target passed without the action; open tickets not yet late count in
 * neither. One range scan on tickets_received.
 */
export async function attainment(d1: D1Database, merchantId: string, from: number, to: number, now: number): Promise<Attainment[]> {
  const { results } = await d1
    .prepare(
      `SELECT priority, count(*) AS total,
              sum(missed) AS missed,
              sum(CASE WHEN missed = 0 AND status IN ('resolved', 'closed') THEN 1 ELSE 0 END) AS met
       FROM (SELECT priority, status,
                    ((first_response_due_at IS NOT NULL AND coalesce(first_responded_at, ?4) > first_response_due_at)
                     OR (resolution_due_at IS NOT NULL AND coalesce(resolved_at, ?4) > resolution_due_at)) AS missed
             FROM tickets WHERE merchant_id = ?1 AND received_at >= ?2 AND received_at < ?3)
       GROUP BY priority ORDER BY priority`,
    )
    .bind(merchantId, from, to, now)
    .all<{ priority: string; total: number; missed: number; met: number }>();
  return results.map((r) => ({ priority: r.priority, total: r.total, met: r.met ?? 0, missed: r.missed ?? 0 }));
}

/** The last `days` local dates in a zone (oldest first) with their [start, end) instants. */
export function localDays(now: number, timeZone: string, days: number): { date: string; start: number; end: number }[] {
  const today = DateTime.fromMillis(now, { zone: timeZone }).startOf("day");
  const out: { date: string; start: number; end: number }[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const start = today.minus({ days: i });
    out.push({ date: start.toFormat("yyyy-LL-dd"), start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() });
  }
  return out;
}

/**
 * Tickets received per local day. Day boundaries come from the zone (so DST days are 23 or 25
 * hours); a row's bucket is how many boundaries it has passed — one range scan, no per-row zone math.
 */
export async function volumePerDay(d1: D1Database, merchantId: string, days: { date: string; start: number; end: number }[]) {
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) return [];
  const inner = days.slice(1).map((d) => d.start);
  const bucket = inner.length ? inner.map((_, i) => `(received_at >= ?${i + 4})`).join(" + ") : "0";
  const { results } = await d1
    .prepare(
      `SELECT ${bucket} AS bucket, count(*) AS n FROM tickets
       WHERE merchant_id = ?1 AND received_at >= ?2 AND received_at < ?3 GROUP BY bucket`,
    )
    .bind(merchantId, first.start, last.end, ...inner)
    .all<{ bucket: number; n: number }>();
  const counts = new Map(results.map((r) => [r.bucket, r.n]));
  return days.map((d, i) => ({ date: d.date, count: counts.get(i) ?? 0 }));
}

/** Billable time per rate class and currency over [from, to). */
export async function billableHours(d1: D1Database, merchantId: string, from: number, to: number) {
  const { results } = await d1
    .prepare(
      `SELECT rate_class AS rateClass, currency, sum(billed_minutes) AS minutes, sum(amount) AS amount, count(*) AS entries
       FROM time_entries WHERE merchant_id = ?1 AND started_at >= ?2 AND started_at < ?3 AND amount > 0
       GROUP BY rate_class, currency ORDER BY rate_class`,
    )
    .bind(merchantId, from, to)
    .all<{ rateClass: string; currency: string; minutes: number; amount: number; entries: number }>();
  return results;
}

/** A time entry as exported. */
export interface ExportRow {
  readonly startedAt: number;
  readonly ref: string;
  readonly customerEmail: string;
  readonly customerName: string | null;
  /** The merchant's own id for the customer's account, when the ticket came from an identified customer. */
  readonly customerAccount: string | null;
  readonly staffEmail: string | null;
  readonly staffName: string | null;
  readonly category: string;
  readonly rateClass: string;
  readonly billable: number;
  readonly minutes: number;
  readonly billedMinutes: number;
  readonly amount: number;
  readonly currency: string;
  readonly note: string | null;
}

/** Time entries of a merchant started in [from, to), oldest first (time_entries_merchant). */
export async function timeEntriesFor(d1: D1Database, merchantId: string, from: number, to: number): Promise<ExportRow[]> {
  const { results } = await d1
    .prepare(
      `SELECT e.started_at AS startedAt, t.ref AS ref, t.email AS customerEmail, t.name AS customerName,
              a.external_id AS customerAccount, s.email AS staffEmail, s.name AS staffName, e.category AS category,
              e.rate_class AS rateClass, e.billable AS billable, e.minutes AS minutes, e.billed_minutes AS billedMinutes,
              e.amount AS amount, e.currency AS currency, e.note AS note
       FROM time_entries e
       JOIN tickets t ON t.id = e.ticket_id AND t.merchant_id = e.merchant_id
       LEFT JOIN accounts a ON a.id = t.account_id AND a.merchant_id = e.merchant_id
       LEFT JOIN staff s ON s.id = e.staff_id AND s.merchant_id = e.merchant_id
       WHERE e.merchant_id = ?1 AND e.started_at >= ?2 AND e.started_at < ?3
       ORDER BY e.started_at, e.id`,
    )
    .bind(merchantId, from, to)
    .all<ExportRow>();
  return results;
}

/**
 * One CSV field (RFC 4180). Text that a spreadsheet would run as a formula (starting with
 * =, +, -, @, tab or CR) is prefixed with an apostrophe, so it stays text.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The CSV of time entries for invoicing: a header line, then one line per entry, CRLF-terminated.
 * Each line says whose request it was (the customer), the category's label, and whether it is billed;
 * an entry that is not billed bills 0 minutes.
 */
export function timeEntriesCsv(rows: readonly ExportRow[], timeZone: string, categoryLabel: (id: string) => string): string {
  const header = [
    "started_at_utc",
    "started_at_local",
    "reference",
    "customer_email",
    "customer_name",
    "customer_account",
    "staff_email",
    "staff_name",
    "category",
    "category_label",
    "rate_class",
    "billed",
    "minutes",
    "billed_minutes",
    "amount",
    "currency",
    "note",
  ];
  const lines = [header.join(",")];
  for (const r of rows) {
    const local = DateTime.fromMillis(r.startedAt, { zone: timeZone }).toFormat("yyyy-LL-dd HH:mm");
    lines.push(
      [
        isoAt(r.startedAt),
        local,
        r.ref,
        r.customerEmail,
        r.customerName,
        r.customerAccount,
        r.staffEmail,
        r.staffName,
        r.category,
        categoryLabel(r.category),
        r.rateClass,
        r.billable ? "yes" : "no",
        r.minutes,
        r.billable ? r.billedMinutes : 0,
        decimal(r.amount, r.currency),
        r.currency,
        r.note,
      ]
        .map((v) => csvField(v))
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** The span of a report: the last 30 local days up to the end of today. */
export function reportPeriod(now: number, timeZone: string, days = 30) {
  const list = localDays(now, timeZone, days);
  const first = list[0] as { start: number };
  const last = list[list.length - 1] as { end: number };
  return { days: list, from: first.start, to: last.end };
}

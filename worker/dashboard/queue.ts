import { isReference } from "../tickets/reference.ts";
import { slaSql } from "../tickets/sla-sql.ts";

/**
 * The queue's SQL. Every page is one or a few index range scans with keyset cursors — never
 * OFFSET, never a sort of all open tickets — so page 1 and page 2,000 cost the same at 100k
 * tickets. The bench runs these exact statements through EXPLAIN QUERY PLAN (this module is runtime-neutral
 * so that it can).
 *
 * Order: tickets that owe a deadline by next due time (tickets_open_due, or tickets_queue with
 * a status filter), then those without one — waiting on the customer, or with no target — by
 * status and age (tickets_queue with next_due_at IS NULL). The tie-breaker is SQLite's rowid,
 * which every index already carries last, so no sort step is ever needed.
 *
 * The "mine" and "unassigned" views add `assignee_id = ?` or `assignee_id IS NULL` — an equality
 * either way — and walk the same scans on tickets_assignee_due (merchant, assignee, next due) and
 * tickets_assignee_queue (merchant, assignee, status, next due), so they cost what the full queue does.
 */

/** Tickets the queue shows: everything not yet resolved or closed. */
export const queueStatuses = ["open", "responded", "waiting-on-customer"] as const;
/** One queue status. */
export type QueueStatus = (typeof queueStatuses)[number];
/** SLA states staff filter by (computed at `now`, not the cron's last flip). */
export const slaFilters = ["on-track", "at-risk", "breached", "paused"] as const;
/** One SLA filter. */
export type SlaFilter = (typeof slaFilters)[number];

/** Rows per queue page. */
export const QUEUE_PAGE_SIZE = 50;

/** The queue's views by assignment: everyone's, the signed-in member's own, or nobody's yet. */
export const queueViews = ["all", "mine", "unassigned"] as const;
/** One queue view. */
export type QueueView = (typeof queueViews)[number];

/** What a queue page is filtered by. */
export interface QueueFilters {
  /** Only tickets assigned to this staff id, or (null) only unassigned ones; absent: all. */
  readonly assignee?: string | null;
  readonly status?: QueueStatus;
  readonly priority?: string;
  readonly sla?: SlaFilter;
}

/** One ticket as the queue lists it. */
export interface QueueRow {
  readonly rid: number;
  readonly id: string;
  readonly ref: string;
  readonly priority: string;
  readonly issue_type: string;
  readonly severity: string;
  readonly status: string;
  readonly email: string;
  readonly name: string | null;
  readonly next_due_at: number | null;
  readonly at_risk_at: number | null;
  readonly sla_state: string;
  readonly received_at: number;
  readonly assignee_id: string | null;
}

/** Where the next page starts: the segment and the last row's key in it. */
export interface Cursor {
  readonly segment: number;
  readonly due?: number;
  readonly rid: number;
}

/** A statement and its bound values. */
export interface Statement {
  readonly sql: string;
  readonly params: (string | number)[];
}

type Segment = { kind: "due"; status?: QueueStatus } | { kind: "undated"; status: QueueStatus };

const COLUMNS =
  "SELECT rowid AS rid, id, ref, priority, issue_type, severity, status, email, name, next_due_at, at_risk_at, sla_state, received_at, assignee_id FROM tickets";

/** The scans a filtered queue walks, in display order. */
export function segmentsFor(f: QueueFilters): Segment[] {
  const scope = f.status ? [f.status] : [...queueStatuses];
  const out: Segment[] = [];
  const dated = scope.filter((s) => s !== "waiting-on-customer");
  if (f.sla !== "paused" && dated.length > 0) out.push(f.status ? { kind: "due", status: f.status } : { kind: "due" });
  if (f.sla === "breached" || f.sla === "at-risk") return out;
  for (const status of scope) {
    if (f.sla === "on-track" && status === "waiting-on-customer") continue;
    if (f.sla === "paused" && status !== "waiting-on-customer") continue;
    out.push({ kind: "undated", status });
  }
  return out;
}

/** The statement for one segment of a queue page. */
export function segmentStatement(
  merchantId: string,
  f: QueueFilters,
  segment: Segment,
  after: Cursor | null,
  now: number,
  limit: number,
): Statement {
  const where = ["merchant_id = ?"];
  const params: (string | number)[] = [merchantId];
  if (f.assignee === null) where.push("assignee_id IS NULL");
  else if (f.assignee !== undefined) {
    where.push("assignee_id = ?");
    params.push(f.assignee);
  }
  if (segment.status) {
    where.push("status = ?");
    params.push(segment.status);
  }
  if (segment.kind === "due") {
    where.push("next_due_at IS NOT NULL");
    if (f.sla && f.sla !== "paused") {
      // The SLA rule's own conditions (engine/sla.ts), as the cron's flips use them.
      const rule = slaSql(f.sla, now);
      where.push(rule.sql);
      params.push(...rule.params);
    }
  } else {
    where.push("next_due_at IS NULL");
  }
  if (f.priority) {
    where.push("priority = ?");
    params.push(f.priority);
  }
  if (after && segment.kind === "due") {
    where.push("(next_due_at, rowid) > (?, ?)");
    params.push(after.due ?? 0, after.rid);
  } else if (after) {
    where.push("rowid > ?");
    params.push(after.rid);
  }
  const order = segment.kind === "due" ? "next_due_at, rowid" : "rowid";
  params.push(limit);
  return { sql: `${COLUMNS} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ?`, params };
}

/** The cursor text of the row a page ended on. */
export function encodeCursor(segment: number, row: QueueRow): string {
  return row.next_due_at !== null ? `${segment}.${row.next_due_at}.${row.rid}` : `${segment}.${row.rid}`;
}

/** A cursor from its text, or null when it is not one. */
export function parseCursor(text: string | undefined): Cursor | null {
  const m = /^(\d{1,2})\.(?:(\d{1,16})\.)?(\d{1,16})$/.exec(text ?? "");
  if (!m) return null;
  return { segment: Number(m[1]), ...(m[2] !== undefined ? { due: Number(m[2]) } : {}), rid: Number(m[3]) };
}

/** Runs statements against D1 (the worker) or a local SQLite (the bench). */
export type RunQuery = (statement: Statement) => Promise<QueueRow[]>;

/** One page of the queue, and the cursor of the next (null on the last page). */
export async function queuePage(
  run: RunQuery,
  merchantId: string,
  f: QueueFilters,
  after: Cursor | null,
  now: number,
  limit = QUEUE_PAGE_SIZE,
): Promise<{ rows: QueueRow[]; next: string | null }> {
  const segments = segmentsFor(f);
  const rows: { row: QueueRow; segment: number }[] = [];
  for (let i = after?.segment ?? 0; i < segments.length && rows.length <= limit; i++) {
    const segment = segments[i] as Segment;
    const found = await run(segmentStatement(merchantId, f, segment, after?.segment === i ? after : null, now, limit + 1 - rows.length));
    for (const row of found) rows.push({ row, segment: i });
  }
  const last = rows[limit - 1];
  return {
    rows: rows.slice(0, limit).map((r) => r.row),
    next: rows.length > limit && last ? encodeCursor(last.segment, last.row) : null,
  };
}

/** Finds tickets of any status by exact reference or by email prefix (both indexed). */
export function searchStatement(merchantId: string, query: string, limit: number): Statement {
  const q = query.trim();
  if (isReference(q.toUpperCase())) {
    return { sql: `${COLUMNS} WHERE merchant_id = ? AND ref = ? LIMIT ?`, params: [merchantId, q.toUpperCase(), limit] };
  }
  // A prefix range on tickets_email: every string that starts with q sorts in [q, q + U+10FFFF).
  const variants = [...new Set([q, q.toLowerCase()])];
  const ranges = variants.map(() => "(email >= ? AND email < ?)").join(" OR ");
  return {
    sql: `${COLUMNS} WHERE merchant_id = ? AND (${ranges}) ORDER BY received_at DESC LIMIT ?`,
    params: [merchantId, ...variants.flatMap((v) => [v, `${v}\u{10FFFF}`]), limit],
  };
}

import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { staff } from "../../../schema/db.ts";
import { database } from "../../infra/db.ts";
import { policyAt } from "../../merchant/policy-versions.ts";
import type { DashEnv } from "../env.ts";
import { label } from "../format.ts";
import { QueuePage } from "../pages/Queue.tsx";
import {
  parseCursor,
  QUEUE_PAGE_SIZE,
  type QueueFilters,
  type QueueRow,
  type QueueStatus,
  type QueueView,
  queuePage,
  queueStatuses,
  queueViews,
  type RunQuery,
  type SlaFilter,
  searchStatement,
  slaFilters,
} from "../queue.ts";
import { page } from "../render.tsx";

/** A D1 runner for queue statements. */
function d1Runner(d1: D1Database): RunQuery {
  return async (s) =>
    (
      await d1
        .prepare(s.sql)
        .bind(...s.params)
        .all<QueueRow>()
    ).results;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/** The queue page. */
export const queue = new Hono<DashEnv>();

queue.get("/", (c) => c.redirect("/dashboard/queue", 303));

queue.get("/queue", async (c) => {
  const session = c.var.session;
  const merchantId = session.merchant.id;
  const now = c.var.now;
  const q = c.req.query();
  const view: QueueView = (queueViews as readonly string[]).includes(q.view ?? "") ? (q.view as QueueView) : "all";
  const filters: QueueFilters = {
    ...(view === "mine" ? { assignee: session.staff.id } : view === "unassigned" ? { assignee: null } : {}),
    ...((queueStatuses as readonly string[]).includes(q.status ?? "") ? { status: q.status as QueueStatus } : {}),
    ...((slaFilters as readonly string[]).includes(q.sla ?? "") ? { sla: q.sla as SlaFilter } : {}),
    ...(ID.test(q.priority ?? "") ? { priority: q.priority as string } : {}),
  };
  const query = (q.q ?? "").trim().slice(0, 254);
  const run = d1Runner(c.env.DB);
  const started = Date.now();
  const [policy, result, team] = await Promise.all([
    policyAt(database(c.env.DB), merchantId, session.merchant.policyVersion),
    query
      ? run(searchStatement(merchantId, query, QUEUE_PAGE_SIZE)).then((rows) => ({ rows, next: null }))
      : queuePage(run, merchantId, filters, parseCursor(q.after), now),
    // Names for the assignee column: every member ever on the team (history keeps names).
    database(c.env.DB).select({ id: staff.id, name: staff.name }).from(staff).where(eq(staff.merchantId, merchantId)),
  ]);
  // Workers clocks advance across I/O, so this is the time the page's queries took.
  c.header("Server-Timing", `db;dur=${Date.now() - started}`);
  const labels = {
    priorities: policy.priorities.map((p) => ({ id: p.id, label: label(p.label, p.id) })),
    issueTypes: new Map(policy.issueTypes.map((t) => [t.id, label(t.label, t.id)])),
    timeZone: policy.timeZone,
    staff: new Map(team.map((m) => [m.id, m.name])),
  };
  return page(
    c,
    { title: "Queue", section: "queue" },
    <QueuePage
      rows={result.rows}
      filters={filters}
      view={view}
      selfId={session.staff.id}
      query={query}
      next={result.next}
      paged={!query && q.after !== undefined}
      now={now}
      labels={labels}
    />,
  );
});

import { Hono } from "hono";
import { ApiError } from "../../errors.ts";
import { database } from "../../infra/db.ts";
import { policyAt } from "../../merchant/policy-versions.ts";
import type { DashEnv } from "../env.ts";
import { endOfLocalDate, label, parseLocalDate } from "../format.ts";
import { ReportsPage } from "../pages/Reports.tsx";
import { page } from "../render.tsx";
import { attainment, billableHours, reportPeriod, timeEntriesCsv, timeEntriesFor, volumePerDay } from "../reports.ts";

const MAX_EXPORT_DAYS = 366;

/** Reports and the time-entry export. */
export const reports = new Hono<DashEnv>();

reports.get("/reports", async (c) => {
  const session = c.var.session;
  const merchantId = session.merchant.id;
  const now = c.var.now;
  const policy = await policyAt(database(c.env.DB), merchantId, session.merchant.policyVersion);
  const period = reportPeriod(now, policy.timeZone);
  const [att, volume, hours] = await Promise.all([
    attainment(c.env.DB, merchantId, period.from, period.to, now),
    volumePerDay(c.env.DB, merchantId, period.days),
    billableHours(c.env.DB, merchantId, period.from, period.to),
  ]);
  const labels = new Map(policy.priorities.map((p) => [p.id, label(p.label, p.id)]));
  return page(
    c,
    { title: "Reports", section: "reports" },
    <ReportsPage
      attainment={att}
      volume={volume}
      hours={hours}
      priorityLabel={(id) => labels.get(id) ?? id}
      from={period.days[0]?.date ?? ""}
      to={period.days[period.days.length - 1]?.date ?? ""}
    />,
  );
});

reports.get("/reports/time-entries.csv", async (c) => {
  const session = c.var.session;
  const policy = await policyAt(database(c.env.DB), session.merchant.id, session.merchant.policyVersion);
  const tz = policy.timeZone;
  const fromDay = parseLocalDate(c.req.query("from") ?? "", tz);
  const toDay = parseLocalDate(c.req.query("to") ?? "", tz);
  const errors = [
    ...(fromDay === null ? [{ path: "from", message: "Enter a start date (YYYY-MM-DD)" }] : []),
    ...(toDay === null ? [{ path: "to", message: "Enter an end date (YYYY-MM-DD)" }] : []),
  ];
  if (fromDay !== null && toDay !== null && (toDay < fromDay || toDay - fromDay > MAX_EXPORT_DAYS * 86_400_000)) {
    errors.push({ path: "to", message: `Choose an end date on or after the start, at most ${MAX_EXPORT_DAYS} days later` });
  }
  if (errors.length) throw new ApiError("validation-failed", "Choose a date range to export", { errors });
  const from = fromDay as number;
  // The end date is inclusive: up to the start of the next local day, found from the instant.
  // Going through the date's text overflowed at 9999-12-31 (the next day is not YYYY-MM-DD) and
  // queried up to null, which silently matched nothing.
  const to = endOfLocalDate(toDay as number, tz) + 1;
  const rows = await timeEntriesFor(c.env.DB, session.merchant.id, from, to);
  const categories = policy.billing?.categories ?? {};
  return c.body(
    timeEntriesCsv(rows, tz, (id) => label(categories[id]?.label, id)),
    200,
    {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="time-entries-${c.req.query("from")}-to-${c.req.query("to")}.csv"`,
    },
  );
});

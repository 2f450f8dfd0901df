import { and, desc, eq, isNotNull, isNull } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { incidents } from "../../../schema/db.ts";
import { type LocalText, pickText } from "../../../schema/policy.ts";
import { ApiError } from "../../errors.ts";
import { randomId } from "../../infra/crypto.ts";
import { database } from "../../infra/db.ts";
import { policyAt } from "../../merchant/policy-versions.ts";
import type { DashEnv } from "../env.ts";
import { FormCheck, readForm } from "../forms.ts";
import { type IncidentDraft, IncidentsPage } from "../pages/Incidents.tsx";
import { done, noticeFor, page } from "../render.tsx";

const notices: Record<string, string> = { announced: "Incident announced: the widget shows it now.", ended: "Incident ended." };

async function show(c: Context<DashEnv>, extra: { status?: number; errors?: ApiError["errors"]; draft?: IncidentDraft } = {}) {
  const db = database(c.env.DB);
  const session = c.var.session;
  const merchantId = session.merchant.id;
  const [open, ended, policy] = await Promise.all([
    db
      .select()
      .from(incidents)
      .where(and(eq(incidents.merchantId, merchantId), isNull(incidents.endedAt)))
      .orderBy(desc(incidents.startedAt))
      .limit(100),
    db
      .select()
      .from(incidents)
      .where(and(eq(incidents.merchantId, merchantId), isNotNull(incidents.endedAt)))
      .orderBy(desc(incidents.endedAt))
      .limit(20),
    policyAt(db, merchantId, session.merchant.policyVersion),
  ]);
  return page(
    c,
    { title: "Incidents", section: "incidents", ...(extra.status ? { status: extra.status } : {}) },
    <IncidentsPage
      open={open}
      ended={ended}
      csrf={session.csrf}
      timeZone={policy.timeZone}
      locales={policy.locales}
      notice={noticeFor(notices, c.req.query("done"))}
      errors={extra.errors}
      draft={extra.draft}
    />,
  );
}

/** Known incidents: list, announce, end. */
export const incidentRoutes = new Hono<DashEnv>();

incidentRoutes.get("/incidents", (c) => show(c));

incidentRoutes.post("/incidents", async (c) => {
  const form = await readForm(c);
  const session = c.var.session;
  const db = database(c.env.DB);
  const { locales } = await policyAt(db, session.merchant.id, session.merchant.policyVersion);
  const check = new FormCheck(form);
  const title = check.localText("title", locales, { min: 1, max: 120, label: "a title" });
  const body = check.localText("body", locales, { min: 1, max: 2000, label: "what customers should know" });
  if (check.errors.length || title === undefined || body === undefined)
    return show(c, { status: 400, errors: check.errors, draft: { title, body } });
  // The first locale's text is the incident's own; the others travel with it for the widget.
  const main = (t: LocalText) => (typeof t === "string" ? t : pickText(t, locales[0] ?? "en"));
  const local = (t: LocalText) => (typeof t === "string" ? null : t);
  await db.insert(incidents).values({
    id: randomId("inc"),
    merchantId: session.merchant.id,
    title: main(title),
    body: main(body),
    titleLocal: local(title),
    bodyLocal: local(body),
    startedAt: c.var.now,
    endedAt: null,
  });
  return done(c, "/dashboard/incidents", "announced");
});

incidentRoutes.post("/incidents/:id/end", async (c) => {
  const ended = await database(c.env.DB)
    .update(incidents)
    .set({ endedAt: c.var.now })
    .where(and(eq(incidents.id, c.req.param("id")), eq(incidents.merchantId, c.var.session.merchant.id), isNull(incidents.endedAt)))
    .returning({ id: incidents.id });
  if (ended.length === 0) throw new ApiError("not-found", "No such open incident");
  return done(c, "/dashboard/incidents", "ended");
});

import { and, asc, eq, ne } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { sites, staff, staffRoles } from "../../../schema/db.ts";
import type { FieldError, Policy } from "../../../schema/policy.ts";
import { EngineError } from "../../engine/errors.ts";
import { computeWindow } from "../../engine/window.ts";
import { ApiError, problemStatus } from "../../errors.ts";
import { database, ownedRow } from "../../infra/db.ts";
import { parseJsonText, policyRow, recentVersions, savePolicyVersion } from "../../merchant/policy-admin.ts";
import { policyAt } from "../../merchant/policy-versions.ts";
import { createSite, updateSite } from "../../merchant/site-settings.ts";
import { isPresetId, presetInputs } from "../../presets/index.ts";
import { recordStep } from "../../signup/onboarding.ts";
import { changeAccess, changeRole, invite, resendInvitation, revokeInvitation, type TeamAdmin } from "../../staff/team.ts";
import type { DashEnv } from "../env.ts";
import { label, localDateTimeValue, parseLocalDateTime } from "../format.ts";
import { type Form, FormCheck, readForm } from "../forms.ts";
import type { HoursFormValues } from "../hours-form.ts";
import { SettingsHolidaysPage } from "../pages/SettingsHolidays.tsx";
import { SettingsHoursPage } from "../pages/SettingsHours.tsx";
import { SettingsPolicyPage } from "../pages/SettingsPolicy.tsx";
import { SettingsSimulatorPage } from "../pages/SettingsSimulator.tsx";
import { SettingsSitesPage } from "../pages/SettingsSites.tsx";
import { SettingsStaffPage } from "../pages/SettingsStaff.tsx";
import { done, noticeFor, page } from "../render.tsx";
import { adminOnly } from "../session.ts";
import { siteForm } from "../site-form.ts";
import { hoursView, saveHours } from "./hours.tsx";
import { showIdentity } from "./integrations.tsx";

/** Settings: admins only. */
export const settings = new Hono<DashEnv>();

const settingsAdmins = adminOnly("Only admins can change settings");
settings.use("/settings", settingsAdmins);
settings.use("/settings/*", settingsAdmins);

settings.get("/settings", (c) => c.redirect("/dashboard/settings/policy", 303));

const notices: Record<string, string> = {
  saved: "Saved as a new policy version. New tickets use it; existing tickets keep theirs.",
  site: "Site saved.",
  "site-created": "Site added.",
  invited: "The invitation email is on its way. It can be accepted for 7 days.",
  resent: "A new invitation email is on its way: the earlier link no longer works, the new one can be accepted for 7 days.",
  revoked: "Invitation withdrawn. Its link no longer works.",
  role: "Role changed.",
  deactivate: "Member deactivated: they were signed out everywhere and cannot sign in. Their history stays.",
  reactivate: "Member reactivated: they can sign in again with their password.",
  remove: "Member removed from the team: they were signed out everywhere. Their replies and notes keep their name.",
};

const notice = (c: Context<DashEnv>) => noticeFor(notices, c.req.query("done"));

/** The version a form was based on; saving against an older one is a conflict, not an overwrite. */
function baseVersion(form: Form): number {
  const n = Number(form.base);
  if (!Number.isInteger(n) || n < 1) throw new ApiError("validation-failed", "The form is missing its policy version");
  return n;
}

async function currentPolicy(c: Context<DashEnv>) {
  const db = database(c.env.DB);
  const { id, policyVersion } = c.var.session.merchant;
  const [row, policy] = await Promise.all([policyRow(db, id, policyVersion), policyAt(db, id, policyVersion)]);
  return { row, policy, version: policyVersion };
}

/** The merchant's policy now, validated. */
function merchantPolicy(c: Context<DashEnv>) {
  const { id, policyVersion } = c.var.session.merchant;
  return policyAt(database(c.env.DB), id, policyVersion);
}

async function showPolicy(c: Context<DashEnv>, extra: { status?: number; json?: string; error?: ApiError } = {}) {
  const { row, policy, version } = await currentPolicy(c);
  const versions = await recentVersions(database(c.env.DB), c.var.session.merchant.id);
  return page(
    c,
    { title: "Policy", section: "settings", ...(extra.status ? { status: extra.status } : {}) },
    <SettingsPolicyPage
      csrf={c.var.session.csrf}
      version={version}
      preset={row.preset}
      json={extra.json ?? JSON.stringify(row.body, null, 2)}
      versions={versions}
      timeZone={policy.timeZone}
      notice={notice(c)}
      error={extra.error && !extra.error.errors ? extra.error.message : undefined}
      errors={extra.error?.errors}
    />,
  );
}

settings.get("/settings/policy", (c) => showPolicy(c));

settings.post("/settings/policy", async (c) => {
  const form = await readForm(c);
  const text = form.policy ?? "";
  try {
    const parsed = parseJsonText(text);
    if (!parsed.ok) throw new ApiError("validation-failed", "The policy is not valid JSON", { errors: parsed.errors });
    const db = database(c.env.DB);
    const base = baseVersion(form);
    const row = await policyRow(db, c.var.session.merchant.id, c.var.session.merchant.policyVersion);
    await savePolicyVersion(db, c.var.session.merchant.id, base, parsed.value, row.preset, c.var.now);
  } catch (e) {
    if (e instanceof ApiError && (e.code === "validation-failed" || e.code === "conflict")) {
      return showPolicy(c, { status: problemStatus[e.code], json: text, error: e });
    }
    throw e;
  }
  return done(c, "/dashboard/settings/policy", "saved");
});

settings.post("/settings/policy/preset", async (c) => {
  const form = await readForm(c);
  const preset = form.preset ?? "";
  if (!isPresetId(preset))
    throw new ApiError("validation-failed", "Choose a preset", { errors: [{ path: "preset", message: "Unknown preset" }] });
  try {
    await savePolicyVersion(database(c.env.DB), c.var.session.merchant.id, baseVersion(form), presetInputs[preset], preset, c.var.now);
  } catch (e) {
    if (e instanceof ApiError && e.code === "conflict") return showPolicy(c, { status: 409, error: e });
    throw e;
  }
  return done(c, "/dashboard/settings/policy", "saved");
});

function options(list: readonly { id: string; label: Policy["issueTypes"][number]["label"] }[]) {
  return list.map((o) => ({ id: o.id, label: label(o.label, o.id) }));
}

settings.get("/settings/simulator", async (c) => {
  const { policy, version } = await currentPolicy(c);
  const q = c.req.query();
  const now = c.var.now;
  const at = q.at ?? localDateTimeValue(now, policy.timeZone);
  const issueType = q.issueType ?? policy.issueTypes[0]?.id ?? "";
  const severity = q.severity ?? policy.severities[0]?.id ?? "";
  let result: ReturnType<typeof computeWindow> | undefined;
  const errors: FieldError[] = [];
  if (q.at !== undefined) {
    const instant = parseLocalDateTime(at, policy.timeZone);
    if (instant === null) errors.push({ path: "at", message: "Enter a date and time" });
    else {
      try {
        result = computeWindow(policy, { issueType, severity, at: instant, locale: "en" });
      } catch (e) {
        if (!(e instanceof EngineError)) throw e;
        errors.push({
          path: e.code === "unknown-severity" ? "severity" : e.code === "unknown-issue-type" ? "issueType" : "at",
          message: e.message,
        });
      }
    }
  }
  return page(
    c,
    { title: "Simulator", section: "settings", status: errors.length ? 400 : 200 },
    <SettingsSimulatorPage
      at={at}
      issueType={issueType}
      severity={severity}
      issueTypes={options(policy.issueTypes)}
      severities={options(policy.severities)}
      timeZone={policy.timeZone}
      version={version}
      result={result}
      errors={errors}
    />,
  );
});

async function showHours(
  c: Context<DashEnv>,
  extra: { status?: number; errors?: FieldError[] | undefined; error?: string | undefined; values?: HoursFormValues } = {},
) {
  const view = await hoursView(c, c.req.query("calendar") ?? (await readFormIfPost(c)).calendar);
  return page(
    c,
    { title: "Hours", section: "settings", ...(extra.status ? { status: extra.status } : {}) },
    <SettingsHoursPage
      csrf={c.var.session.csrf}
      version={view.version}
      names={view.names}
      calendar={view.calendar}
      values={extra.values ?? view.values}
      notice={notice(c)}
      error={extra.error}
      errors={extra.errors}
    />,
  );
}

async function readFormIfPost(c: Context<DashEnv>): Promise<Form> {
  return c.req.method === "POST" ? readForm(c) : {};
}

settings.get("/settings/hours", (c) => showHours(c));

settings.post("/settings/hours", async (c) => {
  const form = await readForm(c);
  const saved = await saveHours(c, form);
  if (!saved.ok) return showHours(c, { status: saved.status, errors: saved.errors, error: saved.error, values: saved.values });
  await recordStep(database(c.env.DB), c.var.session.merchant.id, "hoursAt", c.var.now);
  return done(c, `/dashboard/settings/hours?calendar=${encodeURIComponent(form.calendar ?? "")}`, "saved");
});

async function showHolidays(
  c: Context<DashEnv>,
  extra: { status?: number; errors?: FieldError[]; draft?: { calendar: string; text: string } } = {},
) {
  const { row, version } = await currentPolicy(c);
  const body = row.body as { calendars?: Record<string, { timeZone?: string; holidays?: string[] }> };
  const calendars = Object.entries(body.calendars ?? {}).map(([name, cal]) => ({
    name,
    timeZone: cal.timeZone ?? "",
    holidays: extra.draft?.calendar === name ? extra.draft.text : (cal.holidays ?? []).join("\n"),
  }));
  return page(
    c,
    { title: "Holidays", section: "settings", ...(extra.status ? { status: extra.status } : {}) },
    <SettingsHolidaysPage csrf={c.var.session.csrf} version={version} calendars={calendars} notice={notice(c)} errors={extra.errors} />,
  );
}

settings.get("/settings/holidays", (c) => showHolidays(c));

settings.post("/settings/holidays", async (c) => {
  const form = await readForm(c);
  const name = form.calendar ?? "";
  const text = form.holidays ?? "";
  try {
    const db = database(c.env.DB);
    const base = baseVersion(form);
    const row = await policyRow(db, c.var.session.merchant.id, c.var.session.merchant.policyVersion);
    const body = structuredClone(row.body) as { calendars?: Record<string, Record<string, unknown>> };
    // Own calendars only: `calendars["__proto__"]` would be Object.prototype itself.
    const calendar = body.calendars && Object.hasOwn(body.calendars, name) ? body.calendars[name] : undefined;
    if (!calendar) throw new ApiError("validation-failed", undefined, { errors: [{ path: "calendar", message: "Unknown calendar" }] });
    const dates = text
      .split(/[\s,]+/)
      .map((d) => d.trim())
      .filter(Boolean);
    calendar.holidays = [...new Set(dates)].sort();
    await savePolicyVersion(db, c.var.session.merchant.id, base, body, row.preset, c.var.now);
  } catch (e) {
    if (e instanceof ApiError && (e.code === "validation-failed" || e.code === "conflict")) {
      return showHolidays(c, {
        status: problemStatus[e.code],
        errors: e.errors ?? [{ path: "(root)", message: e.message }],
        draft: { calendar: name, text },
      });
    }
    throw e;
  }
  return done(c, "/dashboard/settings/holidays", "saved");
});

async function showSites(c: Context<DashEnv>, extra: { status?: number; errors?: FieldError[]; errorSite?: string } = {}) {
  const db = database(c.env.DB);
  const [rows, policy] = await Promise.all([
    db.select().from(sites).where(eq(sites.merchantId, c.var.session.merchant.id)).orderBy(asc(sites.createdAt), asc(sites.id)),
    merchantPolicy(c),
  ]);
  return page(
    c,
    { title: "Sites", section: "settings", ...(extra.status ? { status: extra.status } : {}) },
    <SettingsSitesPage
      csrf={c.var.session.csrf}
      origin={new URL(c.req.url).origin}
      sites={rows}
      locales={policy.locales}
      notice={notice(c)}
      errors={extra.errors}
      errorSite={extra.errorSite}
    />,
  );
}

settings.get("/settings/sites", (c) => showSites(c));

settings.post("/settings/sites", async (c) => {
  const { check, settings: fields } = siteForm(await readForm(c), (await merchantPolicy(c)).locales);
  if (check.errors.length) return showSites(c, { status: 400, errors: check.errors, errorSite: "new" });
  const created = await createSite(database(c.env.DB), c.var.session.merchant.id, fields, c.var.now);
  if ("errors" in created) return showSites(c, { status: 409, errors: created.errors, errorSite: "new" });
  // The identity secret is shown on this response only.
  return showIdentity(c, created.id, { secret: created.secret, created: true, status: 201 });
});

settings.post("/settings/sites/:id", async (c) => {
  const id = c.req.param("id");
  const db = database(c.env.DB);
  const merchantId = c.var.session.merchant.id;
  const existing = await ownedRow(db, sites, { id: sites.id }, merchantId, id);
  if (!existing) throw new ApiError("not-found", "No such site");
  const { check, settings: fields } = siteForm(await readForm(c), (await merchantPolicy(c)).locales);
  if (check.errors.length) return showSites(c, { status: 400, errors: check.errors, errorSite: id });
  const errors = await updateSite(db, merchantId, id, fields);
  if (errors.length) return showSites(c, { status: 409, errors, errorSite: id });
  return done(c, "/dashboard/settings/sites", "site");
});

async function showStaff(c: Context<DashEnv>, extra: { status?: number; errors?: FieldError[]; error?: string } = {}) {
  const db = database(c.env.DB);
  const session = c.var.session;
  const [members, policy] = await Promise.all([
    db
      .select({
        id: staff.id,
        name: staff.name,
        email: staff.email,
        role: staff.role,
        status: staff.status,
        inviteExpiresAt: staff.inviteExpiresAt,
        passwordChangedAt: staff.passwordChangedAt,
      })
      .from(staff)
      .where(and(eq(staff.merchantId, session.merchant.id), ne(staff.status, "removed")))
      .orderBy(asc(staff.name), asc(staff.email)),
    merchantPolicy(c),
  ]);
  return page(
    c,
    { title: "Staff", section: "settings", ...(extra.status ? { status: extra.status } : {}) },
    <SettingsStaffPage
      csrf={session.csrf}
      selfId={session.staff.id}
      members={members}
      timeZone={policy.timeZone}
      now={c.var.now}
      notice={notice(c)}
      error={extra.error}
      errors={extra.errors}
    />,
  );
}

settings.get("/settings/staff", (c) => showStaff(c));

const admin = (c: Context<DashEnv>): TeamAdmin => ({ staffId: c.var.session.staff.id, merchantId: c.var.session.merchant.id });

/** Runs a team change; a refusal (conflict, invalid field) re-renders the staff page with the reason. */
async function teamChange(c: Context<DashEnv>, run: () => Promise<unknown>, doneKey: string) {
  try {
    await run();
  } catch (e) {
    if (e instanceof ApiError && (e.code === "conflict" || e.code === "validation-failed")) {
      return showStaff(c, { status: problemStatus[e.code], ...(e.errors ? { errors: e.errors } : { error: e.message }) });
    }
    throw e;
  }
  return done(c, "/dashboard/settings/staff", doneKey);
}

settings.post("/settings/staff", async (c) => {
  const form = await readForm(c);
  const check = new FormCheck(form);
  const name = check.text("name", { max: 120 });
  const email = check.email("email");
  const role = check.oneOf("role", staffRoles);
  if (check.errors.length) return showStaff(c, { status: 400, errors: check.errors });
  return teamChange(c, () => invite(c.env, admin(c), { email, role, name }, c.var.now), "invited");
});

settings.post("/settings/staff/:id/role", async (c) => {
  const form = await readForm(c);
  const check = new FormCheck(form);
  const role = check.oneOf("role", staffRoles);
  if (check.errors.length) return showStaff(c, { status: 400, errors: check.errors });
  return teamChange(c, () => changeRole(c.env, admin(c), c.req.param("id"), role), "role");
});

settings.post("/settings/staff/:id/resend", (c) =>
  teamChange(c, () => resendInvitation(c.env, admin(c), c.req.param("id"), c.var.now), "resent"),
);

settings.post("/settings/staff/:id/revoke", (c) => teamChange(c, () => revokeInvitation(c.env, admin(c), c.req.param("id")), "revoked"));

for (const change of ["deactivate", "reactivate", "remove"] as const) {
  settings.post(`/settings/staff/:id/${change}`, (c) =>
    teamChange(c, () => changeAccess(c.env, admin(c), c.req.param("id"), change), change),
  );
}

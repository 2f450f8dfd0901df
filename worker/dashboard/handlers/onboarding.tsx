import { and, eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { policies } from "../../../schema/db.ts";
import type { FieldError } from "../../../schema/policy.ts";
import { ApiError, problemStatus } from "../../errors.ts";
import { database } from "../../infra/db.ts";
import { parseOrigins } from "../../merchant/origins.ts";
import { policyRow, savePolicyVersion } from "../../merchant/policy-admin.ts";
import { policyAt } from "../../merchant/policy-versions.ts";
import { allowOrigin, updateSite } from "../../merchant/site-settings.ts";
import { type Checklist, checklistOf, recordStep } from "../../signup/onboarding.ts";
import { type StartingPolicyId, startingPolicy, startingPolicyIds } from "../../signup/starting-policies.ts";
import type { DashEnv } from "../env.ts";
import { FormCheck, readForm } from "../forms.ts";
import type { HoursFormValues } from "../hours-form.ts";
import { HoursStep, InstallStep, OnboardingOverview, PolicyStep, SiteStep, stepPath, TeamStep } from "../pages/Onboarding.tsx";
import { done, noticeFor, page } from "../render.tsx";
import { adminOnly } from "../session.ts";
import { siteForm } from "../site-form.ts";
import { hoursView, saveHours } from "./hours.tsx";

/** The first-run checklist of a signed-up merchant: admins only; a merchant without one gets a 404. */
export const onboarding = new Hono<DashEnv>();

const admins = adminOnly("Only admins can set up the account");
onboarding.use("/onboarding", admins);
onboarding.use("/onboarding/*", admins);

const notices: Record<string, string> = {
  policy: "Starting policy saved.",
  hours: "Hours saved as a new policy version.",
  site: "Site saved.",
  allowed: "Origin allowed. Reload the page that was refused.",
};

async function checklist(c: Context<DashEnv>): Promise<Checklist & { site: NonNullable<Checklist["site"]> }> {
  const list = await checklistOf(database(c.env.DB), c.var.session.merchant.id);
  if (!list?.site) throw new ApiError("not-found", "This account has no setup checklist");
  return list as Checklist & { site: NonNullable<Checklist["site"]> };
}

/** What every step's page shows besides its own form: the checklist's progress and the notice of what was just saved. */
function progress(c: Context<DashEnv>, list: Checklist) {
  return { done: list.done, notice: noticeFor(notices, c.req.query("done")) };
}

/** The merchant's policy in force. */
function policyInForce(c: Context<DashEnv>) {
  return policyAt(database(c.env.DB), c.var.session.merchant.id, c.var.session.merchant.policyVersion);
}

const title = "Get started";
const opts = (status?: number) => ({ title, section: "onboarding" as const, ...(status ? { status } : {}) });

onboarding.get("/onboarding", async (c) => {
  const list = await checklist(c);
  return page(
    c,
    opts(),
    <OnboardingOverview csrf={c.var.session.csrf} {...progress(c, list)} complete={list.complete} finished={list.finished} />,
  );
});

onboarding.post("/onboarding/finish", async (c) => {
  const list = await checklist(c);
  if (!list.complete) throw new ApiError("conflict", "Some steps are not done yet");
  await recordStep(database(c.env.DB), c.var.session.merchant.id, "doneAt", c.var.now);
  return c.redirect("/dashboard/queue", 303);
});

/** The starting policy in force: the current version's preset, or "blank" for a policy no preset made. */
async function currentStart(c: Context<DashEnv>, list: Checklist): Promise<StartingPolicyId | undefined> {
  if (!list.done.policy) return undefined;
  const { id, policyVersion } = c.var.session.merchant;
  const row = await policyRow(database(c.env.DB), id, policyVersion);
  return (row.preset as StartingPolicyId | null) ?? "blank";
}

async function showPolicy(c: Context<DashEnv>, status?: number, errors?: FieldError[]) {
  const list = await checklist(c);
  return page(
    c,
    opts(status),
    <PolicyStep
      csrf={c.var.session.csrf}
      {...progress(c, list)}
      version={c.var.session.merchant.policyVersion}
      current={await currentStart(c, list)}
      errors={errors}
    />,
  );
}

onboarding.get("/onboarding/policy", (c) => showPolicy(c));

onboarding.post("/onboarding/policy", async (c) => {
  await checklist(c);
  const form = await readForm(c);
  const check = new FormCheck(form);
  const start = check.oneOf("start", startingPolicyIds, "Choose a starting policy");
  const base = Number(form.base);
  if (!Number.isInteger(base) || base < 1) check.fail("base", "The form is missing its policy version");
  if (check.errors.length) return showPolicy(c, 400, check.errors);
  const db = database(c.env.DB);
  const { id, name } = c.var.session.merchant;
  const { body, preset } = startingPolicy(start, name);
  // The blank policy a sign-up starts with needs no second copy: keeping it is the choice.
  const untouched =
    start === "blank" &&
    base === 1 &&
    (await db
      .select({ v: policies.version })
      .from(policies)
      .where(and(eq(policies.merchantId, id), eq(policies.version, 2)))
      .get()) === undefined;
  if (!untouched) {
    try {
      await savePolicyVersion(db, id, base, body, preset, c.var.now);
    } catch (e) {
      if (e instanceof ApiError && (e.code === "conflict" || e.code === "validation-failed")) {
        return showPolicy(c, problemStatus[e.code], e.errors ?? [{ path: "start", message: e.message }]);
      }
      throw e;
    }
  }
  await recordStep(db, id, "policyAt", c.var.now);
  return done(c, stepPath("hours"), "policy");
});

async function showHours(
  c: Context<DashEnv>,
  extra: { status?: number; errors?: FieldError[] | undefined; error?: string | undefined; values?: HoursFormValues } = {},
) {
  const list = await checklist(c);
  const view = await hoursView(c, c.req.query("calendar"));
  return page(
    c,
    opts(extra.status),
    <HoursStep
      csrf={c.var.session.csrf}
      {...progress(c, list)}
      version={view.version}
      calendar={view.calendar}
      values={extra.values ?? view.values}
      errors={extra.errors}
      error={extra.error}
    />,
  );
}

onboarding.get("/onboarding/hours", (c) => showHours(c));

onboarding.post("/onboarding/hours", async (c) => {
  await checklist(c);
  const form = await readForm(c);
  const db = database(c.env.DB);
  if (form.none === "1") {
    const view = await hoursView(c);
    if (view.calendar !== undefined) return showHours(c, { status: 400, error: "Your policy has a business calendar: set its hours." });
  } else {
    const saved = await saveHours(c, form);
    if (!saved.ok) return showHours(c, { status: saved.status, errors: saved.errors, error: saved.error, values: saved.values });
  }
  await recordStep(db, c.var.session.merchant.id, "hoursAt", c.var.now);
  return done(c, stepPath("site"), "hours");
});

async function showSite(c: Context<DashEnv>, status?: number, errors?: FieldError[]) {
  const list = await checklist(c);
  const policy = await policyInForce(c);
  return page(
    c,
    opts(status),
    <SiteStep csrf={c.var.session.csrf} {...progress(c, list)} site={list.site} locales={policy.locales} errors={errors} />,
  );
}

onboarding.get("/onboarding/site", (c) => showSite(c));

onboarding.post("/onboarding/site", async (c) => {
  const list = await checklist(c);
  const db = database(c.env.DB);
  const policy = await policyInForce(c);
  const { check, settings: fields } = siteForm(await readForm(c), policy.locales);
  if (fields.allowedOrigins.length === 0 && !check.errors.some((e) => e.path.startsWith("origins"))) {
    check.fail("origins", "List at least one origin: the widget answers only pages on them");
  }
  if (check.errors.length) return showSite(c, 400, check.errors);
  const errors = await updateSite(db, c.var.session.merchant.id, list.site.id, fields);
  if (errors.length) return showSite(c, 409, errors);
  return done(c, stepPath("install"), "site");
});

onboarding.get("/onboarding/install", async (c) => {
  const list = await checklist(c);
  const policy = await policyInForce(c);
  return page(
    c,
    opts(),
    <InstallStep
      csrf={c.var.session.csrf}
      {...progress(c, list)}
      origin={new URL(c.req.url).origin}
      site={list.site}
      install={list.install}
      zone={policy.timeZone}
    />,
  );
});

onboarding.post("/onboarding/install/allow", async (c) => {
  const list = await checklist(c);
  const form = await readForm(c);
  const origin = (form.origin ?? "").trim();
  // The same rules as the site form: exactly an origin, within the list's limit.
  const parsed = parseOrigins([...list.site.allowedOrigins, origin].join("\n"));
  if (!origin || parsed.errors.length) {
    throw new ApiError("validation-failed", "This origin cannot be allowed", {
      errors: parsed.errors.length ? parsed.errors.map((e) => ({ ...e, path: "origin" })) : [{ path: "origin", message: "Give an origin" }],
    });
  }
  await allowOrigin(database(c.env.DB), c.var.session.merchant.id, list.site.id, origin);
  return done(c, stepPath("install"), "allowed");
});

onboarding.get("/onboarding/team", async (c) => {
  const list = await checklist(c);
  return page(c, opts(), <TeamStep staffCount={list.staffCount} {...progress(c, list)} />);
});

import { and, eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { accounts, sites } from "../../../schema/db.ts";
import type { FieldError } from "../../../schema/policy.ts";
import { ApiError } from "../../errors.ts";
import { countRows, database } from "../../infra/db.ts";
import { importAccounts, importColumns, listAccounts, MAX_IMPORT_ROWS, parseAccountsCsv } from "../../merchant/account-admin.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "../../merchant/api-keys.ts";
import { rotateIdentitySecret } from "../../merchant/identity.ts";
import { IDENTITY_GRACE_MS, identifyCall, identityExamples } from "../../merchant/identity-signature.ts";
import { policyAt } from "../../merchant/policy-versions.ts";
import {
  queueTestDelivery,
  recentDeliveries,
  retryDelivery,
  rotateWebhookSecret,
  saveWebhook,
  type WebhookEvent,
  webhookSettings,
} from "../../outbox/webhook-settings.ts";
import { webhookUrlProblem } from "../../outbox/webhook-url.ts";
import { webhookEvents } from "../../tickets/notifications.ts";
import type { DashEnv } from "../env.ts";
import { FormCheck, readForm } from "../forms.ts";
import { SettingsAccountsPage } from "../pages/SettingsAccounts.tsx";
import { SettingsApiKeysPage } from "../pages/SettingsApiKeys.tsx";
import { SettingsIdentityPage } from "../pages/SettingsIdentity.tsx";
import { SettingsWebhooksPage } from "../pages/SettingsWebhooks.tsx";
import { done, noticeFor, page } from "../render.tsx";
import { MAX_FORM_BYTES } from "../security.ts";
import { adminOnly } from "../session.ts";

/**
 * Integrations settings, admins only: a site's identity secret, API keys, customer accounts (CSV
 * import) and webhooks. Secrets are shown only on the response that creates them; every other
 * page says when they were made and nothing more.
 */
export const integrations = new Hono<DashEnv>();

// Its pages are settings pages: one guard for all of them.
integrations.use("/settings/*", adminOnly("Only admins can change settings"));

const notices: Record<string, string> = {
  revoked: "API key revoked: it is refused from now on.",
  webhook: "Webhook saved.",
  "webhook-off": "Webhook turned off: no more deliveries are queued.",
  test: "Test delivery queued. The next delivery run (every minute) sends it; its outcome appears below.",
  retry: "Delivery queued again: the next delivery run makes one more attempt.",
};

const notice = (c: Context<DashEnv>) => {
  const key = c.req.query("done");
  if (key?.startsWith("imported-")) {
    const n = Number(key.slice("imported-".length));
    if (Number.isInteger(n) && n > 0) return `Imported ${n} account${n === 1 ? "" : "s"}.`;
  }
  return noticeFor(notices, key);
};

function timeZone(c: Context<DashEnv>) {
  const { id, policyVersion } = c.var.session.merchant;
  return policyAt(database(c.env.DB), id, policyVersion).then((p) => p.timeZone);
}

// ---- Identity verification (per site) ----

/** The identity page of one of the merchant's sites (404 for another merchant's), with the new secret when one was just made. */
export async function showIdentity(
  c: Context<DashEnv>,
  siteId: string,
  extra: { secret?: string; created?: boolean; status?: number } = {},
) {
  const db = database(c.env.DB);
  const row = await db
    .select()
    .from(sites)
    .where(and(eq(sites.id, siteId), eq(sites.merchantId, c.var.session.merchant.id)))
    .get();
  if (!row) throw new ApiError("not-found", "No such site");
  return page(
    c,
    { title: `Identity — ${row.name}`, section: "settings", ...(extra.status ? { status: extra.status } : {}) },
    <SettingsIdentityPage
      csrf={c.var.session.csrf}
      site={{
        id: row.id,
        name: row.name,
        siteKey: row.siteKey,
        secretAt: row.identitySecretAt ?? row.createdAt,
        previousUntil: row.identityPreviousUntil,
      }}
      timeZone={await timeZone(c)}
      now={c.var.now}
      graceMs={IDENTITY_GRACE_MS}
      examples={identityExamples}
      identifyCall={identifyCall}
      secret={extra.secret}
      created={extra.created ?? false}
      notice={notice(c)}
    />,
  );
}

integrations.get("/settings/sites/:id/identity", (c) => showIdentity(c, c.req.param("id")));

// The new secret is in this response only (no redirect: it must not travel in a URL or be stored to
// show later), answered 201 like every page that shows a secret just made.
integrations.post("/settings/sites/:id/identity/rotate", async (c) => {
  const id = c.req.param("id");
  const secret = await rotateIdentitySecret(database(c.env.DB), c.var.session.merchant.id, id, c.var.now);
  return showIdentity(c, id, { secret, status: 201 });
});

// ---- API keys ----

async function showKeys(
  c: Context<DashEnv>,
  extra: { created?: { name: string; key: string }; errors?: FieldError[]; status?: number } = {},
) {
  const keys = await listApiKeys(database(c.env.DB), c.var.session.merchant.id);
  return page(
    c,
    { title: "API keys", section: "settings", ...(extra.status ? { status: extra.status } : {}) },
    <SettingsApiKeysPage
      csrf={c.var.session.csrf}
      origin={new URL(c.req.url).origin}
      keys={keys}
      timeZone={await timeZone(c)}
      created={extra.created}
      notice={notice(c)}
      errors={extra.errors}
    />,
  );
}

integrations.get("/settings/api-keys", (c) => showKeys(c));

integrations.post("/settings/api-keys", async (c) => {
  const check = new FormCheck(await readForm(c));
  const name = check.text("name", { min: 1, max: 80, label: "a name" });
  if (check.errors.length) return showKeys(c, { errors: check.errors, status: 400 });
  const { key } = await createApiKey(database(c.env.DB), c.var.session.merchant.id, name, c.var.session.staff.id, c.var.now);
  return showKeys(c, { created: { name, key }, status: 201 });
});

integrations.post("/settings/api-keys/:id/revoke", async (c) => {
  await revokeApiKey(database(c.env.DB), c.var.session.merchant.id, c.req.param("id"), c.var.now);
  return done(c, "/dashboard/settings/api-keys", "revoked");
});

// ---- Customer accounts ----

async function showAccounts(c: Context<DashEnv>, extra: { errors?: FieldError[]; status?: number } = {}) {
  const db = database(c.env.DB);
  const merchantId = c.var.session.merchant.id;
  const [rows, total] = await Promise.all([listAccounts(db, merchantId), countRows(db, accounts, eq(accounts.merchantId, merchantId))]);
  return page(
    c,
    { title: "Customer accounts", section: "settings", ...(extra.status ? { status: extra.status } : {}) },
    <SettingsAccountsPage
      csrf={c.var.session.csrf}
      accounts={rows}
      total={total}
      columns={importColumns}
      maxRows={MAX_IMPORT_ROWS}
      maxBytes={MAX_FORM_BYTES}
      timeZone={await timeZone(c)}
      notice={notice(c)}
      errors={extra.errors}
    />,
  );
}

integrations.get("/settings/accounts", (c) => showAccounts(c));

// The upload was read whole by formGuard through the capped stream reader (MAX_FORM_BYTES), so an
// oversized file is a 413 before anything here runs.
integrations.post("/settings/accounts/import", async (c) => {
  const file = (await c.req.parseBody()).file;
  if (!(file instanceof File) || file.size === 0) {
    return showAccounts(c, { status: 400, errors: [{ path: "file", message: "Choose a CSV file to import" }] });
  }
  const parsed = parseAccountsCsv(await file.text());
  if (!parsed.ok) return showAccounts(c, { status: 400, errors: parsed.errors });
  const n = await importAccounts(database(c.env.DB), c.var.session.merchant.id, parsed.updates, c.var.now);
  return done(c, "/dashboard/settings/accounts", `imported-${n}`);
});

// ---- Webhooks ----

async function showWebhooks(
  c: Context<DashEnv>,
  extra: { secret?: string; rotated?: boolean; errors?: FieldError[]; draft?: { url: string; events: string[] }; status?: number } = {},
) {
  const db = database(c.env.DB);
  const merchantId = c.var.session.merchant.id;
  const [settings, deliveries] = await Promise.all([webhookSettings(db, merchantId), recentDeliveries(db, merchantId)]);
  return page(
    c,
    { title: "Webhooks", section: "settings", ...(extra.status ? { status: extra.status } : {}) },
    <SettingsWebhooksPage
      csrf={c.var.session.csrf}
      url={extra.draft?.url ?? settings.url ?? ""}
      events={extra.draft?.events ?? settings.events}
      allEvents={webhookEvents}
      hasSecret={settings.hasSecret}
      secretAt={settings.secretAt}
      deliveries={deliveries}
      timeZone={await timeZone(c)}
      now={c.var.now}
      secret={extra.secret}
      rotated={extra.rotated ?? false}
      notice={notice(c)}
      errors={extra.errors}
    />,
  );
}

integrations.get("/settings/webhooks", (c) => showWebhooks(c));

/** Every value of a repeated field (checkboxes) of an urlencoded form, from the body formGuard already read. */
async function allValues(c: Context<DashEnv>, name: string): Promise<string[]> {
  return new URLSearchParams(await c.req.text()).getAll(name);
}

integrations.post("/settings/webhooks", async (c) => {
  const form = await readForm(c);
  const url = (form.url ?? "").trim();
  const chosen = [...new Set(await allValues(c, "events"))];
  const errors: FieldError[] = [];
  const problem = url === "" ? undefined : webhookUrlProblem(url);
  if (problem) errors.push({ path: "url", message: problem });
  const unknown = chosen.filter((e) => !(webhookEvents as readonly string[]).includes(e));
  if (unknown.length) errors.push({ path: "events", message: `Unknown event ${unknown.join(", ")}` });
  if (url !== "" && chosen.length === 0) errors.push({ path: "events", message: "Choose at least one event to send" });
  if (errors.length) return showWebhooks(c, { status: 400, errors, draft: { url, events: chosen } });
  const events = webhookEvents.filter((e) => chosen.includes(e)) as WebhookEvent[];
  const secret = await saveWebhook(database(c.env.DB), c.var.session.merchant.id, { url: url || null, events }, c.var.now);
  if (secret) return showWebhooks(c, { secret, status: 201 });
  return done(c, "/dashboard/settings/webhooks", url ? "webhook" : "webhook-off");
});

integrations.post("/settings/webhooks/secret", async (c) => {
  const db = database(c.env.DB);
  const merchantId = c.var.session.merchant.id;
  if (!(await webhookSettings(db, merchantId)).hasSecret) throw new ApiError("conflict", "Save a webhook URL first");
  return showWebhooks(c, { secret: await rotateWebhookSecret(db, merchantId, c.var.now), rotated: true, status: 201 });
});

integrations.post("/settings/webhooks/test", async (c) => {
  await queueTestDelivery(database(c.env.DB), c.var.session.merchant.id, c.var.now);
  return done(c, "/dashboard/settings/webhooks", "test");
});

integrations.post("/settings/webhooks/deliveries/:id/retry", async (c) => {
  await retryDelivery(database(c.env.DB), c.var.session.merchant.id, c.req.param("id"), c.var.now);
  return done(c, "/dashboard/settings/webhooks", "retry");
});

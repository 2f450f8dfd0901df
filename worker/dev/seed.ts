import type { accounts, merchants, policies, sites, staff, ticketEvents, tickets } from "../../schema/db.ts";
import { policySchema } from "../../schema/policy.ts";
import { classify } from "../engine/policy.ts";
import { randomToken, sha256Hex } from "../infra/crypto.ts";
import { hashPassword } from "../infra/password.ts";
import { type PresetId, presetIds, presetInputs } from "../presets/index.ts";
import { randomReference } from "../tickets/reference.ts";
import { scheduleOf } from "../tickets/rows.ts";

/** The password of every demo staff login (local development only). */
export const DEMO_PASSWORD = "replyby-demo";

/** Rows of the demo data, table by table, in insertion order. */
export interface DemoRows {
  merchants: (typeof merchants.$inferInsert)[];
  policies: (typeof policies.$inferInsert)[];
  sites: (typeof sites.$inferInsert)[];
  staff: (typeof staff.$inferInsert)[];
  accounts: (typeof accounts.$inferInsert)[];
  tickets: (typeof tickets.$inferInsert)[];
  ticketEvents: (typeof ticketEvents.$inferInsert)[];
}

/** A demo staff login, printed by `npm start`. */
export interface DemoLogin {
  preset: PresetId;
  email: string;
  role: "admin" | "agent";
}

const accents: Record<PresetId, string> = { ecellar: "#7a1f3d", "easy-commission": "#0b5cad", commerceup: "#1d6b4f", ecshops: "#b3400a" };

const samples: Record<
  PresetId,
  { issueType: string; severity: string; email: string; description: string; hoursAgo: number; status?: "waiting-on-customer" }[]
> = {
  ecellar: [
    {
      issueType: "ordering-down",
      severity: "blocking",
      email: "tasting@hillsidecellars.test",
      description: "Checkout fails with an error for every customer since 10am.",
      hoursAgo: 0.5,
    },
    {
      issueType: "setup-problem",
      severity: "normal",
      email: "ops@ridgeview.test",
      description: "The auto-discount for club members is not applying to magnums.",
      hoursAgo: 20,
    },
    {
      issueType: "offering-help",
      severity: "normal",
      email: "club@stonebarn.test",
      description: "Please help us set up the spring allocation offering.",
      hoursAgo: 30,
      status: "waiting-on-customer",
    },
    {
      issueType: "feature",
      severity: "normal",
      email: "gm@oakfield.test",
      description: "We would like a waitlist for sold-out wines.",
      hoursAgo: 50,
    },
  ],
  "easy-commission": [
    {
      issueType: "calculation",
      severity: "system-down",
      email: "payroll@acme.test",
      description: "Commission run fails and payroll is due tomorrow.",
      hoursAgo: 3,
    },
    {
      issueType: "report-error",
      severity: "cosmetic",
      email: "finance@acme.test",
      description: "The rep summary report does not sort by region.",
      hoursAgo: 22,
    },
    { issueType: "access", severity: "problem", email: "it@globex.test", description: "Two new users cannot log in.", hoursAgo: 30 },
  ],
  commerceup: [
    {
      issueType: "site-down",
      severity: "critical",
      email: "owner@spicebazaar.test",
      description: "Store front returns 502 for all visitors.",
      hoursAgo: 1,
    },
    {
      issueType: "sales-impacting",
      severity: "high",
      email: "ops@spicebazaar.test",
      description: "Coupon codes are rejected at checkout.",
      hoursAgo: 5,
    },
    {
      issueType: "ui-design",
      severity: "normal",
      email: "design@teahouse.test",
      description: "Banner overlaps the menu on mobile.",
      hoursAgo: 26,
    },
    {
      issueType: "feature-request",
      severity: "low",
      email: "owner@teahouse.test",
      description: "Add gift wrapping as a checkout option.",
      hoursAgo: 72,
    },
  ],
  ecshops: [
    {
      issueType: "incident",
      severity: "interrupted",
      email: "tienda@olivares.test",
      description: "El pago con tarjeta falla desde esta mañana.",
      hoursAgo: 6,
    },
    {
      issueType: "incident",
      severity: "degraded",
      email: "admin@zapateria.test",
      description: "Las imágenes de producto cargan muy lentas.",
      hoursAgo: 40,
      status: "waiting-on-customer",
    },
    {
      issueType: "feature",
      severity: "question",
      email: "gerencia@olivares.test",
      description: "Queremos un programa de puntos para clientes.",
      hoursAgo: 30,
    },
  ],
};

/** Builds the demo data: a merchant per preset with site key `demo-<preset>`, staff, accounts and sample tickets. */
export async function demoRows(opts: { origins: string[]; now: number }): Promise<{ rows: DemoRows; logins: DemoLogin[] }> {
  const { now } = opts;
  const rows: DemoRows = { merchants: [], policies: [], sites: [], staff: [], accounts: [], tickets: [], ticketEvents: [] };
  const logins: DemoLogin[] = [];
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const preset of presetIds) {
    const merchantId = `m_${preset}`;
    const policy = policySchema.parse(presetInputs[preset]);
    rows.merchants.push({
      id: merchantId,
      name: policy.name,
      policyVersion: 1,
      webhookUrl: null,
      webhookSecret: null,
      replySecret: randomToken(),
      createdAt: now,
    });
    rows.policies.push({ merchantId, version: 1, preset, body: presetInputs[preset], createdAt: now });
    const siteId = `s_${preset}`;
    rows.sites.push({
      id: siteId,
      merchantId,
      siteKey: `demo-${preset}`,
      name: `${policy.name} demo store`,
      allowedOrigins: opts.origins,
      branding: { accent: accents[preset], title: { en: `${policy.name} support`, es: `Soporte de ${policy.name}` } },
      defaultLocale: policy.locales[0] ?? "en",
      identitySecret: `demo-identity-${preset}`,
      inboundAddress: `help@${preset}.demo`,
      createdAt: now,
    });
    for (const role of ["admin", "agent"] as const) {
      const email = `${role}@${preset}.demo`;
      rows.staff.push({
        id: `st_${preset}_${role}`,
        merchantId,
        email,
        name: role === "admin" ? `${policy.name} Admin` : `${policy.name} Agent`,
        role,
        passwordHash,
        passwordChangedAt: now,
        createdAt: now,
      });
      logins.push({ preset, email, role });
    }
    if (preset === "easy-commission") {
      // Two standard-plan accounts: acme, in good standing, and lapsed, behind on dues.
      for (const [externalId, duesCurrent, daysAgo] of [
        ["acme", true, 10],
        ["lapsed", false, 400],
      ] as const) {
        rows.accounts.push({
          id: `a_${externalId}`,
          merchantId,
          externalId,
          plan: "standard",
          flags: { duesCurrent },
          subscribedAt: now - daysAgo * 86_400_000,
          createdAt: now,
        });
      }
    }
    for (const [i, s] of samples[preset].entries()) {
      const receivedAt = now - Math.round(s.hoursAgo * 3_600_000);
      const priority = classify(policy, s.issueType, s.severity);
      const status: "open" | "waiting-on-customer" = s.status ?? "open";
      const ticket = {
        id: `t_${preset}_${i}`,
        merchantId,
        siteId,
        ref: randomReference(),
        policyVersion: 1,
        issueType: s.issueType,
        severity: s.severity,
        classifiedPriority: priority,
        priority,
        status,
        email: s.email,
        name: null,
        orderId: null,
        description: s.description,
        locale: policy.locales[0] ?? "en",
        timeZone: policy.timeZone,
        accountId: null,
        incidentId: null,
        outcome: null,
        chargeable: false,
        receivedAt,
        pauses: (status === "waiting-on-customer" ? [[receivedAt + 3_600_000, null]] : []) as [number, number | null][],
        restartedAt: null,
        afterHoursChoice: null,
        firstRespondedAt: status === "waiting-on-customer" ? receivedAt + 3_600_000 : null,
        resolvedAt: null,
        closedAt: null,
        accessTokenHash: await sha256Hex(randomToken()),
        createdAt: receivedAt,
        updatedAt: receivedAt,
      };
      rows.tickets.push({ ...ticket, ...scheduleOf(policy, ticket, now) });
      rows.ticketEvents.push({
        ticketId: ticket.id,
        merchantId,
        at: receivedAt,
        type: "created",
        actor: "customer",
        public: true,
        body: s.description,
        data: { priority },
      });
      if (status === "waiting-on-customer") {
        rows.ticketEvents.push({
          ticketId: ticket.id,
          merchantId,
          at: receivedAt + 3_600_000,
          type: "info-requested",
          actor: "staff",
          staffId: `st_${preset}_agent`,
          public: true,
          body:
            preset === "ecshops"
              ? "¿Puede indicarnos la URL exacta y una captura?"
              : "Could you send the offering name and the club tiers it should include?",
        });
      }
    }
  }
  return { rows, logins };
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `'${text.replaceAll("'", "''")}'`;
}

const columns: Record<"merchants" | "policies" | "sites" | "staff" | "accounts", { table: string; cols: Record<string, string> }> = {
  merchants: {
    table: "merchants",
    cols: {
      id: "id",
      name: "name",
      policyVersion: "policy_version",
      webhookUrl: "webhook_url",
      webhookSecret: "webhook_secret",
      replySecret: "reply_secret",
      createdAt: "created_at",
    },
  },
  policies: {
    table: "policies",
    cols: { merchantId: "merchant_id", version: "version", preset: "preset", body: "body", createdAt: "created_at" },
  },
  sites: {
    table: "sites",
    cols: {
      id: "id",
      merchantId: "merchant_id",
      siteKey: "site_key",
      name: "name",
      allowedOrigins: "allowed_origins",
      branding: "branding",
      defaultLocale: "default_locale",
      identitySecret: "identity_secret",
      inboundAddress: "inbound_address",
      createdAt: "created_at",
    },
  },
  staff: {
    table: "staff",
    cols: {
      id: "id",
      merchantId: "merchant_id",
      email: "email",
      name: "name",
      role: "role",
      passwordHash: "password_hash",
      passwordChangedAt: "password_changed_at",
      createdAt: "created_at",
    },
  },
  accounts: {
    table: "accounts",
    cols: {
      id: "id",
      merchantId: "merchant_id",
      externalId: "external_id",
      plan: "plan",
      flags: "flags",
      subscribedAt: "subscribed_at",
      createdAt: "created_at",
    },
  },
};

const snake = (k: string) => k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

/**
 * The demo rows as SQL for `wrangler d1 execute --file`, adding only what is missing: a restart
 * keeps every change made since (policy versions, holidays, sites and their origins, staff,
 * tickets). The one thing it adds to an existing demo site is this run's own origins, appended
 * when not listed, so a new PORT is allowed without dropping origins the merchant added.
 */
export function demoSql(rows: DemoRows): string {
  const out: string[] = [];
  for (const name of ["merchants", "policies", "sites", "staff", "accounts"] as const) {
    const spec = columns[name];
    for (const row of rows[name] as Record<string, unknown>[]) {
      const cols = Object.keys(spec.cols);
      const names = cols.map((k) => spec.cols[k] as string);
      out.push(`INSERT OR IGNORE INTO ${spec.table} (${names.join(", ")}) VALUES (${cols.map((k) => literal(row[k])).join(", ")});`);
    }
  }
  for (const site of rows.sites) {
    for (const origin of site.allowedOrigins) {
      out.push(
        `UPDATE sites SET allowed_origins = json_insert(allowed_origins, '$[#]', ${literal(origin)}) WHERE id = ${literal(site.id)} AND NOT EXISTS (SELECT 1 FROM json_each(sites.allowed_origins) WHERE json_each.value = ${literal(origin)});`,
      );
    }
  }
  // Sample tickets are inserted once: a restart keeps whatever happened to them since.
  for (const row of rows.tickets as Record<string, unknown>[]) {
    const cols = Object.keys(row).filter((k) => row[k] !== undefined);
    out.push(`INSERT OR IGNORE INTO tickets (${cols.map(snake).join(", ")}) VALUES (${cols.map((k) => literal(row[k])).join(", ")});`);
  }
  // A sample's events are dated from this run's clock: one of each type per ticket, whatever the run.
  for (const row of rows.ticketEvents as Record<string, unknown>[]) {
    const cols = Object.keys(row).filter((k) => row[k] !== undefined);
    out.push(
      `INSERT INTO ticket_events (${cols.map(snake).join(", ")}) SELECT ${cols.map((k) => literal(row[k])).join(", ")} WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = ${literal(row.ticketId)} AND e.type = ${literal(row.type)});`,
    );
  }
  return `${out.join("\n")}\n`;
}

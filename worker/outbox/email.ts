import { and, count, eq, gt, inArray, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { devMailbox, merchants, outbox, sites, staff, suppressions, tickets } from "../../schema/db.ts";
import type { Policy } from "../../schema/policy.ts";
import { filesOf } from "../attachments/store.ts";
import { type EmailContent, renderEmail } from "../email/render.tsx";
import { replyAddress, replyToken, threadId } from "../email/reply-token.ts";
import { type accountTemplates, type EmailTemplate, isAccountTemplate } from "../email/templates.ts";
import { formatDateWithYear, formatInstant, formatInstantWithYear, formatMoney, type Locale, localeOf, pick } from "../engine/format.ts";
import { issueTypeOf } from "../engine/policy.ts";
import { randomId } from "../infra/crypto.ts";
import { type Database, database } from "../infra/db.ts";
import { brandOf } from "../merchant/branding.ts";
import { policyAt } from "../merchant/policy-versions.ts";
import { issueVerifyToken, VERIFY_TTL_MS } from "../signup/verification.ts";
import { teamEmail } from "../staff/emails.ts";
import { linkStatement } from "../status/links.ts";
import type { TicketRow } from "../tickets/rows.ts";
import type { Attempt, OutboxRow } from "./delivery.ts";

/** Emails one address may get about one ticket in an hour, and from one merchant in a day: no loop runs away. */
export const EMAIL_CAPS = { perTicketHour: 10, perMerchantDay: 50 } as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Where an email's links point: the worker's public origin (PUBLIC_URL). */
function origin(env: Env): string {
  return (env.PUBLIC_URL || "https://replyby.invalid").replace(/\/+$/, "");
}

/** The key of a pair in a lookup map. */
const pair = (a: string, b: string) => `${a}\n${b}`;

/** `column IN (…values)` with the whole list bound as one JSON parameter (D1 allows 100 per statement). */
const inList = (column: SQLiteColumn, values: readonly string[]) =>
  sql`${column} IN (SELECT value FROM json_each(${JSON.stringify([...new Set(values)])}))`;

/**
 * What one delivery run reads about all its emails in one D1 batch: suppressed addresses, what each
 * address was sent recently (the caps), the tickets, sites and merchants the emails are about.
 * The counts go up as the run prepares emails, so every email of the run counts the earlier ones.
 */
export interface EmailLookups {
  readonly suppressed: ReadonlyMap<string, string>;
  readonly sentAboutTicketThisHour: Map<string, number>;
  readonly sentByMerchantToday: Map<string, number>;
  readonly tickets: ReadonlyMap<string, TicketRow>;
  readonly sites: ReadonlyMap<string, typeof sites.$inferSelect>;
  readonly merchants: ReadonlyMap<string, { replySecret: string | null; version: number }>;
}

/** Reads the EmailLookups of a run's email rows: six statements in one batch, whatever the run's size. */
export async function emailLookups(env: Env, rows: readonly OutboxRow[], now: number): Promise<EmailLookups> {
  const db = database(env.DB);
  const emails = rows.filter((r) => r.channel === "email" && r.recipient);
  const recipients = emails.map((r) => (r.recipient as string).toLowerCase());
  const merchantIds = emails.map((r) => r.merchantId);
  const ticketIds = emails.flatMap((r) => (r.ticketId ? [r.ticketId] : []));
  const sent = and(eq(outbox.channel, "email"), eq(outbox.status, "sent"), inList(outbox.recipient, recipients));
  const [suppressed, perTicket, perDay, ticketRows, siteRows, merchantRows] = await db.batch([
    db
      .select()
      .from(suppressions)
      .where(and(inList(suppressions.merchantId, merchantIds), inList(suppressions.email, recipients))),
    db
      .select({ ticketId: outbox.ticketId, recipient: outbox.recipient, n: count() })
      .from(outbox)
      .where(and(sent, inList(outbox.ticketId, ticketIds), gt(outbox.deliveredAt, now - HOUR)))
      .groupBy(outbox.ticketId, outbox.recipient),
    db
      .select({ merchantId: outbox.merchantId, recipient: outbox.recipient, n: count() })
      .from(outbox)
      .where(and(sent, inList(outbox.merchantId, merchantIds), gt(outbox.deliveredAt, now - DAY)))
      .groupBy(outbox.merchantId, outbox.recipient),
    db.select().from(tickets).where(inList(tickets.id, ticketIds)),
    db.select().from(sites).where(inList(sites.merchantId, merchantIds)),
    db
      .select({ id: merchants.id, replySecret: merchants.replySecret, version: merchants.policyVersion })
      .from(merchants)
      .where(inList(merchants.id, merchantIds)),
  ]);
  return {
    suppressed: new Map(suppressed.map((r) => [pair(r.merchantId, r.email), r.reason])),
    sentAboutTicketThisHour: new Map(perTicket.map((r) => [pair(r.ticketId ?? "", r.recipient ?? ""), r.n])),
    sentByMerchantToday: new Map(perDay.map((r) => [pair(r.merchantId, r.recipient ?? ""), r.n])),
    tickets: new Map(ticketRows.map((t) => [t.id, t])),
    sites: new Map(siteRows.map((site) => [site.id, site])),
    merchants: new Map(merchantRows.map((m) => [m.id, m])),
  };
}

/** Whether the recipient has had too many emails already; if not, counts this one. */
function overCap(lookups: EmailLookups, row: OutboxRow, recipient: string): string | undefined {
  const ticketKey = row.ticketId ? pair(row.ticketId, recipient) : undefined;
  const dayKey = pair(row.merchantId, recipient);
  const perTicket = ticketKey ? (lookups.sentAboutTicketThisHour.get(ticketKey) ?? 0) : 0;
  const perDay = lookups.sentByMerchantToday.get(dayKey) ?? 0;
  if (perTicket >= EMAIL_CAPS.perTicketHour) return `More than ${EMAIL_CAPS.perTicketHour} emails about this ticket in an hour`;
  if (perDay >= EMAIL_CAPS.perMerchantDay) return `More than ${EMAIL_CAPS.perMerchantDay} emails to this address in a day`;
  if (ticketKey) lookups.sentAboutTicketThisHour.set(ticketKey, perTicket + 1);
  lookups.sentByMerchantToday.set(dayKey, perDay + 1);
  return undefined;
}

function topicOf(policy: Policy, t: Pick<TicketRow, "issueType" | "severity">, locale: Locale): string {
  let type = t.issueType;
  try {
    type = pick(issueTypeOf(policy, t.issueType).label, locale);
  } catch {}
  const severity = policy.severities.find((s) => s.id === t.severity);
  return severity ? `${type} · ${pick(severity.label, locale)}` : type;
}

function priorityLabel(policy: Policy, id: string, locale: Locale): string {
  const p = policy.priorities.find((x) => x.id === id);
  return p ? pick(p.label, locale) : id;
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" ? v : undefined);

/** An email ready to send: the statements to commit before it goes (its status-page links), and the send. */
export interface PreparedEmail {
  readonly statements: D1PreparedStatement[];
  send(): Promise<Attempt>;
}

/**
 * Prepares one queued email: refuses (for good) a suppressed address or one over its caps, renders
 * the template from the ticket as it is now in the reader's locale and zone, with a fresh
 * status-page link, to be sent through the `send_email` binding with our thread id in References,
 * Reply-To the ticket's reply address and `Auto-Submitted: auto-generated`.
 */
export async function prepareEmail(env: Env, lookups: EmailLookups, row: OutboxRow, now: number): Promise<PreparedEmail | Attempt> {
  const db = database(env.DB);
  const recipient = row.recipient?.toLowerCase();
  if (!recipient) return { ok: false, error: "No recipient", final: true };
  const suppressed = lookups.suppressed.get(pair(row.merchantId, recipient));
  if (suppressed) return { ok: false, error: `Not sent: ${suppressed}`, final: true, suppressed: true };
  const capped = overCap(lookups, row, recipient);
  if (capped) return { ok: false, error: `Not sent: ${capped}`, final: true, suppressed: true };

  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  const template = row.event as EmailTemplate;
  if (isAccountTemplate(template))
    return { statements: [], send: () => deliverAccountEmail(env, db, row, template, recipient, payload, now) };
  const ticket = row.ticketId ? lookups.tickets.get(row.ticketId) : undefined;
  const siteId = ticket?.siteId ?? str(payload.siteId);
  const found = siteId ? lookups.sites.get(siteId) : undefined;
  const site = found?.merchantId === row.merchantId ? found : undefined;
  const merchant = lookups.merchants.get(row.merchantId);
  if (!site?.inboundAddress || !merchant?.replySecret)
    return { ok: false, error: "The site has no support address to send from", final: true };
  const policy = await policyAt(db, row.merchantId, ticket?.policyVersion ?? merchant.version);
  // On-call alerts are read by the merchant's team: in the site's language and the policy's zone.
  const toStaff = template === "alert-new" || template === "alert-breach";
  const locale = localeOf(toStaff ? site.defaultLocale : (ticket?.locale ?? site.defaultLocale));
  const zone = toStaff ? policy.timeZone : (ticket?.timeZone ?? policy.timeZone);
  const when = (ms: number | null | undefined) => (ms === null || ms === undefined ? undefined : formatInstant(ms, zone, locale));
  // A quote's validity or planned date may be months away: with its year.
  const whenIso = (v: unknown) => (str(v) ? formatInstantWithYear(Date.parse(str(v) as string), zone, locale) : undefined);
  const statements: D1PreparedStatement[] = [];
  const linkTo = async (t: TicketRow) => {
    const link = await linkStatement(env.DB, t, now);
    statements.push(link.statement);
    return `${origin(env)}${link.path}`;
  };

  let content: EmailContent;
  const brand = brandOf(site, locale);
  if (template === "links") {
    const refs = (Array.isArray(payload.references) ? payload.references : [])
      .filter((r): r is string => typeof r === "string")
      .slice(0, 20);
    const open = refs.length
      ? await db.query.tickets.findMany({
          where: and(eq(tickets.merchantId, row.merchantId), eq(tickets.siteId, site.id), inArray(tickets.ref, refs)),
        })
      : [];
    const links = [];
    for (const t of open.filter((t) => t.email.toLowerCase() === recipient)) {
      links.push({ reference: t.ref, topic: topicOf(policy, t, locale), url: await linkTo(t) });
    }
    content = { template, locale, brand, reference: "", customerName: null, topic: "", priority: "", url: origin(env), links };
  } else {
    if (!ticket) return { ok: false, error: "The ticket no longer exists", final: true };
    const url = toStaff ? `${origin(env)}/dashboard/tickets/${ticket.ref}` : await linkTo(ticket);
    const amount = num(payload.amount);
    const currency = str(payload.currency);
    content = {
      template,
      locale,
      brand,
      reference: ticket.ref,
      customerName: toStaff ? null : ticket.name,
      topic: topicOf(policy, ticket, locale),
      priority: priorityLabel(policy, ticket.priority, locale),
      firstReplyBy: ticket.firstRespondedAt === null ? when(ticket.firstResponseDueAt) : undefined,
      resolutionBy: template === "received" ? when(ticket.resolutionDueAt) : undefined,
      explanation: Array.isArray(payload.explanation) ? payload.explanation.filter((l): l is string => typeof l === "string") : undefined,
      quoteWorkflow: payload.quote === true,
      // An alert quotes what the customer wrote: on-call staff see what is wrong before opening the dashboard.
      body: template === "alert-new" ? ticket.description.slice(0, 2000) : str(payload.body),
      files: filesOf(payload).map((f) => f.name),
      quote: {
        amount: amount !== undefined && currency ? formatMoney(amount, currency, locale) : undefined,
        validUntil: whenIso(payload.validUntil),
        revised: (num(payload.revision) ?? 1) > 1,
      },
      // A planned delivery is a day staff picked in the policy's calendar: the date, without a time.
      plannedFor: str(payload.plannedFor)
        ? formatDateWithYear(Date.parse(str(payload.plannedFor) as string), policy.timeZone, locale)
        : undefined,
      reopenUntil: ticket.status === "resolved" ? when(ticket.reopenUntil) : undefined,
      url,
    };
  }
  const rendered = renderEmail(content);
  const token = ticket ? await replyToken(merchant.replySecret, ticket.ref) : undefined;
  const domain = site.inboundAddress.slice(site.inboundAddress.lastIndexOf("@") + 1);
  const headers: Record<string, string> = {
    "Auto-Submitted": "auto-generated",
    // Out-of-office and other automatic replies to us would only start a loop.
    "X-Auto-Response-Suppress": "All",
    ...(token ? { References: threadId(token, domain) } : {}),
  };
  const from = { name: brand.title.replace(/[\r\n"<>]+/g, " ").slice(0, 100), email: site.inboundAddress };
  const replyTo = token ? replyAddress(site.inboundAddress, token) : site.inboundAddress;
  return { statements, send: () => send(env, db, { from, to: recipient, replyTo, rendered, headers }, now) };
}

/**
 * Sends one rendered email through the `send_email` binding, automatic (`Auto-Submitted`, no
 * auto-replies wanted), and keeps a copy in the local mailbox under DEV_MODE.
 */
async function send(
  env: Env,
  db: Database,
  m: {
    from: { name: string; email: string };
    to: string;
    replyTo?: string;
    rendered: ReturnType<typeof renderEmail>;
    headers: Record<string, string>;
  },
  now: number,
): Promise<Attempt> {
  const headers: Record<string, string> = { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All", ...m.headers };
  const sent = await env.EMAIL.send({
    from: m.from,
    to: m.to,
    ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    subject: m.rendered.subject,
    text: m.rendered.text,
    html: m.rendered.html,
    headers,
  });
  if (env.DEV_MODE === "true") {
    await db.insert(devMailbox).values({
      id: randomId("mail"),
      sender: `${m.from.name} <${m.from.email}>`,
      recipient: m.to,
      subject: m.rendered.subject,
      text: m.rendered.text,
      html: m.rendered.html,
      headers: { ...headers, ...(m.replyTo ? { "Reply-To": m.replyTo } : {}), "Message-ID": sent.messageId },
      sentAt: now,
    });
  }
  return { ok: true, messageId: sent.messageId };
}

/**
 * An email about a staff login, from Replyby itself (MAIL_FROM), not from a merchant's support
 * address: a team invitation or password reset (staff/emails.ts), the sign-up verification link
 * (made now, so the outbox row never holds it; nothing is sent once the address is verified).
 */
async function deliverAccountEmail(
  env: Env,
  db: Database,
  row: OutboxRow,
  template: (typeof accountTemplates)[number],
  recipient: string,
  payload: Record<string, unknown>,
  now: number,
): Promise<Attempt> {
  const from = { name: "Replyby", email: env.MAIL_FROM };
  if (template === "invitation" || template === "password-reset") {
    const content = await teamEmail(db, row, payload, origin(env), now);
    if (typeof content === "string") return { ok: false, error: `Not sent: ${content}`, final: true };
    return send(env, db, { from, to: recipient, rendered: renderEmail(content), headers: {} }, now);
  }
  const staffId = str(payload.staffId) ?? "";
  const member = await db
    .select({ email: staff.email, merchant: merchants.name })
    .from(staff)
    .innerJoin(merchants, eq(merchants.id, staff.merchantId))
    .where(and(eq(staff.id, staffId), eq(staff.merchantId, row.merchantId)))
    .get();
  if (!member || member.email !== recipient) return { ok: false, error: "The login no longer exists", final: true };
  const token = await issueVerifyToken(db, staffId, now);
  if (!token) return { ok: false, error: "Not sent: the address is already verified", final: true, suppressed: true };
  const url = `${origin(env)}/dashboard/verify?k=${token}`;
  const rendered = renderEmail({
    template,
    locale: localeOf(str(payload.locale) ?? "en"),
    brand: { title: "Replyby", accent: undefined },
    reference: "",
    customerName: null,
    topic: "",
    priority: "",
    merchantName: member.merchant,
    expiresInHours: VERIFY_TTL_MS / 3_600_000,
    url,
  });
  return send(env, db, { from, to: recipient, rendered, headers: {} }, now);
}

import { and, eq, inArray, sql } from "drizzle-orm";
import { inboundMessages, type inboundOutcomes, outbox, sites, suppressions, tickets } from "../../schema/db.ts";
import { filesData, screen, usageOf, withStaged } from "../attachments/store.ts";
import { ApiError } from "../errors.ts";
import { randomId, sha256Hex } from "../infra/crypto.ts";
import { constraintFailed, type Database, database } from "../infra/db.ts";
import { statementOf } from "../infra/statements.ts";
import { readCapped } from "../infra/streams.ts";
import { type SiteContext, siteByInboundAddress } from "../merchant/site-context.ts";
import { contextOf } from "../tickets/commit.ts";
import { createTicket } from "../tickets/create.ts";
import { customerMessage, reopenable } from "../tickets/lifecycle.ts";
import { referenceIn } from "../tickets/reference.ts";
import type { TicketRow } from "../tickets/rows.ts";
import { baseAddress, factsOf, MAX_REFERENCES, MAX_TEXT, type MailFacts, messageIdsIn, oneLine, parseMime } from "./message.ts";
import { claimedReference, tokenInAddress, tokensInReferences, verifyReplyToken } from "./reply-token.ts";
import { classifyMail } from "./subject-rules.ts";

/*
 * Mail to a merchant's support address: routed to its site, read (message.ts), recorded once per
 * Message-ID, and handed to the ticket lifecycle as a new ticket or the customer's message on the
 * ticket it continues. The inbound record is written in the same D1 batch as the ticket or the
 * message, so a second copy of a mail, however it races the first, changes nothing.
 */

/** Messages larger than this are refused (Email Routing's own limit is 25 MiB). */
export const MAX_RAW_BYTES = 10 * 1024 * 1024;
/** How much of the original is kept in R2. */
export const STORED_RAW_BYTES = 1024 * 1024;

/** An inbound email as the platform hands it over (a ForwardableEmailMessage, minus what we do not use). */
export interface InboundEmail {
  /** Envelope sender. */
  readonly from: string;
  /** Envelope recipient: the support address, maybe with a reply token (help+<token>@…). */
  readonly to: string;
  readonly headers: Headers;
  readonly raw: ReadableStream<Uint8Array>;
  readonly rawSize: number;
}

/** What became of a mail; a "rejected" one is refused to the sending server with `reason`. */
export interface InboundResult {
  readonly outcome: (typeof inboundOutcomes)[number];
  readonly reason: string;
  readonly reference?: string;
  /** A copy of a mail already recorded: nothing was written. */
  readonly duplicate?: true;
}

const rejected = (reason: string): InboundResult => ({ outcome: "rejected", reason });

/** The record of one mail, and the removal of an earlier refusal of the same Message-ID (it may be sent again). */
function recordQueries(
  db: Database,
  site: SiteContext,
  mail: { messageId: string; sender: string; subject: string; rawKey: string | null },
  outcome: Exclude<InboundResult["outcome"], "rejected">,
  ticketId: string | null,
  now: number,
) {
  return [
    db
      .delete(inboundMessages)
      .where(
        and(
          eq(inboundMessages.merchantId, site.merchantId),
          eq(inboundMessages.messageId, mail.messageId),
          eq(inboundMessages.outcome, "rejected"),
        ),
      ),
    db.insert(inboundMessages).values({ merchantId: site.merchantId, ...mail, outcome, ticketId, receivedAt: now }),
  ];
}

/** Records a refusal (when the same Message-ID was not recorded already), so staff can see it. */
async function recordRejection(
  db: Database,
  site: SiteContext,
  mail: { messageId: string; sender: string; subject: string; rawKey: string | null },
  now: number,
) {
  await db
    .insert(inboundMessages)
    .values({ merchantId: site.merchantId, ...mail, outcome: "rejected", ticketId: null, receivedAt: now })
    .onConflictDoNothing();
}

/** Keeps the original (its first STORED_RAW_BYTES) under the merchant; the key is stable per Message-ID. */
async function storeRaw(env: Env, site: SiteContext, messageId: string, raw: Uint8Array<ArrayBuffer>, now: number): Promise<string> {
  const key = `${site.merchantId}/inbound/${await sha256Hex(messageId)}.eml`;
  const truncated = raw.byteLength > STORED_RAW_BYTES;
  await env.FILES.put(key, truncated ? raw.subarray(0, STORED_RAW_BYTES) : raw, {
    httpMetadata: { contentType: "message/rfc822" },
    customMetadata: { size: String(raw.byteLength), truncated: String(truncated), receivedAt: String(now) },
  });
  return key;
}

/** A ticket of this merchant by the reply token a mail carries, if the token is genuine. */
async function ticketsByTokens(
  db: Database,
  site: SiteContext,
  secret: string | null,
  tokens: readonly string[],
): Promise<TicketRow | undefined> {
  if (!secret) return undefined;
  const claims = [...new Set(tokens)].slice(0, 10).flatMap((token) => {
    const ref = claimedReference(token);
    return ref ? [{ token, ref }] : [];
  });
  if (claims.length === 0) return undefined;
  const rows = await db.query.tickets.findMany({
    where: and(
      eq(tickets.merchantId, site.merchantId),
      inArray(
        tickets.ref,
        claims.map((c) => c.ref),
      ),
    ),
  });
  for (const c of claims) {
    const row = rows.find((r) => r.ref === c.ref);
    if (row && (await verifyReplyToken(secret, c.ref, c.token))) return row;
  }
  return undefined;
}

/** A ticket of this merchant whose sent email has one of these Message-IDs. */
async function ticketByOutbox(db: Database, site: SiteContext, ids: readonly string[]): Promise<TicketRow | undefined> {
  if (ids.length === 0) return undefined;
  // The provider's id may be stored with or without its angle brackets.
  const forms = ids.flatMap((id) => [id, id.slice(1, -1)]);
  const sent = await db
    .select({ ticketId: outbox.ticketId, messageId: outbox.messageId })
    .from(outbox)
    .where(and(eq(outbox.merchantId, site.merchantId), inArray(outbox.messageId, forms)))
    .all();
  for (const id of ids) {
    const hit = sent.find((s) => s.messageId === id || s.messageId === id.slice(1, -1));
    if (hit?.ticketId) {
      const row = await db.query.tickets.findFirst({ where: and(eq(tickets.id, hit.ticketId), eq(tickets.merchantId, site.merchantId)) });
      if (row) return row;
    }
  }
  return undefined;
}

/**
 * The ticket a mail continues, in this order: the reply token in the address it was sent to, our
 * ids in In-Reply-To and References (and In-Reply-To among the ids of the emails we sent), then a
 * reference in the subject when the sender is the ticket's customer. Every lookup is within the
 * merchant: another merchant's token or reference finds nothing.
 */
async function threadOf(
  db: Database,
  site: SiteContext,
  secret: string | null,
  to: string,
  mail: MailFacts,
): Promise<TicketRow | undefined> {
  const plus = tokenInAddress(to.trim().toLowerCase());
  const byAddress = plus ? await ticketsByTokens(db, site, secret, [plus]) : undefined;
  if (byAddress) return byAddress;
  const inReplyTo = tokensInReferences(mail.inReplyTo, 10);
  const references = tokensInReferences(mail.references, MAX_REFERENCES).reverse();
  const byReferences = await ticketsByTokens(db, site, secret, [...inReplyTo, ...references]);
  if (byReferences) return byReferences;
  const byOutbox = await ticketByOutbox(db, site, messageIdsIn(mail.inReplyTo, 5));
  if (byOutbox) return byOutbox;
  const ref = referenceIn(mail.subject);
  if (ref && mail.sender) {
    const row = await db.query.tickets.findFirst({ where: and(eq(tickets.ref, ref), eq(tickets.merchantId, site.merchantId)) });
    if (row && row.email.toLowerCase() === mail.sender) return row;
  }
  return undefined;
}

/** The description of a new ticket from mail: its subject, then the customer's words. */
function descriptionOf(mail: MailFacts): string {
  const text = [mail.subject, mail.text].filter((s) => s.trim() !== "").join("\n\n");
  return (text || "(The email had no subject and no text.)").slice(0, MAX_TEXT);
}

/**
 * Receives one mail at `now`. Never throws for what a mail contains: every outcome is recorded
 * (or, before the merchant is known, only answered) with a reason; "rejected" is to be refused to
 * the sender with it, so nothing the sender thinks delivered is dropped in silence.
 */
export async function receiveEmail(env: Env, message: InboundEmail, now: number): Promise<InboundResult> {
  const db = database(env.DB);
  const address = baseAddress(message.to);
  const found = await siteByInboundAddress(db, address);
  if (!found) return rejected("No such support address");
  const { site, replySecret } = found;
  const headerId = oneLine(message.headers.get("message-id") ?? undefined, 998);
  const envelope = { messageId: headerId, sender: oneLine(message.from, 254), subject: oneLine(message.headers.get("subject") ?? "", 300) };

  const tooLarge = `Message too large (${(message.rawSize / 1048576).toFixed(1)} MB): the limit is ${MAX_RAW_BYTES / 1048576} MB`;
  if (message.rawSize > MAX_RAW_BYTES) {
    if (headerId) await recordRejection(db, site, { ...envelope, rawKey: null }, now);
    return rejected(tooLarge);
  }
  const raw = await readCapped(message.raw, MAX_RAW_BYTES);
  if (!raw) return rejected(tooLarge);

  let mail: MailFacts;
  try {
    const ownDomain = address.slice(address.lastIndexOf("@") + 1);
    const isOwnAddress = async (address: string) =>
      (await db.select({ id: sites.id }).from(sites).where(eq(sites.inboundAddress, address)).get()) !== undefined;
    mail = await factsOf(await parseMime(raw), raw, message.from, { isOwnAddress, domain: ownDomain });
  } catch (e) {
    console.warn(JSON.stringify({ email: "unparseable", merchant: site.merchantId, error: String(e).slice(0, 300) }));
    const messageId =
      headerId || `<unparseable.${(await sha256Hex(envelope.sender + envelope.subject + raw.byteLength)).slice(0, 32)}@replyby.invalid>`;
    await recordRejection(db, site, { ...envelope, messageId, rawKey: await storeRaw(env, site, messageId, raw, now) }, now);
    return rejected("The message could not be read as an email (malformed MIME)");
  }

  const seen = await db.query.inboundMessages.findFirst({
    where: and(eq(inboundMessages.merchantId, site.merchantId), eq(inboundMessages.messageId, mail.messageId)),
  });
  if (seen && seen.outcome !== "rejected") return duplicateOf(db, seen);

  const rawKey = await storeRaw(env, site, mail.messageId, raw, now);
  const record = { messageId: mail.messageId, sender: mail.sender ?? envelope.sender, subject: mail.subject, rawKey };
  const d1 = env.DB;
  const settle = async (outcome: "ignored" | "bounce", reason: string, more: D1PreparedStatement[] = []): Promise<InboundResult> => {
    try {
      await d1.batch([...recordQueries(db, site, record, outcome, null, now).map((q) => statementOf(d1, q)), ...more]);
    } catch (e) {
      if (constraintFailed(e, "inbound_messages")) return { outcome, reason, duplicate: true };
      throw e;
    }
    return { outcome, reason };
  };

  if (mail.failedRecipients) {
    // Only a customer of this merchant is suppressed: a forged report cannot silence anyone else.
    // Addresses are compared (and suppressed) in lower case; a customer may have typed capitals.
    const email = sql<string>`lower(${tickets.email})`;
    const known = mail.failedRecipients.length
      ? await db
          .selectDistinct({ email })
          .from(tickets)
          .where(and(eq(tickets.merchantId, site.merchantId), inArray(email, mail.failedRecipients.slice(0, 50))))
          .all()
      : [];
    const suppress = known.map((k) =>
      statementOf(
        d1,
        db
          .insert(suppressions)
          .values({ merchantId: site.merchantId, email: k.email, reason: "bounced", createdAt: now })
          .onConflictDoNothing(),
      ),
    );
    return settle(
      "bounce",
      known.length ? `Undeliverable: ${known.map((k) => k.email).join(", ")}` : "Delivery report for no known customer",
      suppress,
    );
  }
  if (mail.automation.kind === "auto-reply") return settle("ignored", `Automatic reply (${mail.automation.why})`);
  if (!mail.sender) {
    await recordRejection(db, site, record, now);
    return rejected("The message has no sender address to answer");
  }
  const sender = mail.sender;
  const autoReply = mail.automation.kind === "person";

  try {
    for (let attempt = 0; ; attempt++) {
      const thread = await threadOf(db, site, replySecret, message.to, mail);
      const continues = thread && thread.status !== "closed" && (thread.status !== "resolved" || reopenable(thread, now));
      if (thread && continues) {
        try {
          const ctx = await contextOf(db, thread);
          // Files past a cap are dropped, with a note on the message; the mail itself is still filed.
          const { accepted, refused } = screen(mail.files, await usageOf(db, thread));
          await withStaged(env, thread, "customer", accepted, now, (staged) =>
            customerMessage(env, ctx, mail.text || (accepted.length ? "" : "(The email had no text.)"), now, {
              autoReply,
              data: filesData(staged.refs, refused),
              extra: (q) => [...recordQueries(q, site, record, "appended", thread.id, now), ...staged.rows(q)],
            }),
          );
          return { outcome: "appended", reason: `Customer message on ${thread.ref}`, reference: thread.ref };
        } catch (e) {
          // Someone changed the ticket since it was read: read it again.
          if (e instanceof ApiError && e.code === "conflict" && attempt < 2) continue;
          throw e;
        }
      }
      const follows = thread && thread.email.toLowerCase() === sender ? thread.ref : undefined;
      const { issueType, severity, priority } = classifyMail(site.policy, mail.subject);
      const key = await sha256Hex(`email:${mail.messageId}`);
      const ticketId = randomId("tkt");
      const { accepted, refused } = screen(mail.files, { files: 0, bytes: 0 });
      const { created, replayed } = await withStaged(
        env,
        { id: ticketId, merchantId: site.merchantId },
        "customer",
        accepted,
        now,
        (staged) =>
          createTicket(
            env,
            site,
            {
              issueType,
              severity,
              priority,
              email: sender,
              name: mail.name ?? null,
              description: descriptionOf(mail),
              locale: mail.locale ?? null,
              follows,
              source: "email",
              autoReply,
            },
            {
              idempotency: { key: `email:${key}`, requestHash: key },
              caps: [
                { key: `tickets:site:${site.id}`, limit: Number(env.TICKETS_PER_SITE_HOUR) },
                { key: `tickets:email:${sender}:${site.id}`, limit: Number(env.TICKETS_PER_IP_HOUR) },
              ],
              now,
              ticketId,
              eventData: filesData(staged.refs, refused),
              extra: (q, t) => [...recordQueries(q, site, record, "created", t.id, now), ...staged.rows(q)],
            },
          ),
        // A copy that lost to the first (replayed) wrote nothing: its files go again.
        (r) => !r.replayed,
      );
      if (replayed) return { outcome: "created", reason: "Already received", reference: created.reference, duplicate: true };
      return {
        outcome: "created",
        reason: autoReply
          ? "New ticket"
          : `New ticket, no automatic email (${mail.automation.kind === "automatic" ? mail.automation.why : ""})`,
        reference: created.reference,
      };
    }
  } catch (e) {
    if (constraintFailed(e, "inbound_messages")) {
      const winner = await db.query.inboundMessages.findFirst({
        where: and(eq(inboundMessages.merchantId, site.merchantId), eq(inboundMessages.messageId, mail.messageId)),
      });
      if (winner) return duplicateOf(db, winner);
    }
    if (
      e instanceof ApiError &&
      (e.code === "ineligible" || e.code === "rate-limited" || e.code === "validation-failed" || e.code === "conflict")
    ) {
      await recordRejection(db, site, record, now);
      const detail = e.code === "rate-limited" ? "Too many new requests from this address this hour; please try again later" : e.message;
      return rejected(detail);
    }
    throw e;
  }
}

async function duplicateOf(db: Database, seen: typeof inboundMessages.$inferSelect): Promise<InboundResult> {
  const ticket = seen.ticketId
    ? await db.query.tickets.findFirst({ columns: { ref: true }, where: eq(tickets.id, seen.ticketId) })
    : undefined;
  return { outcome: seen.outcome, reason: "Already received", duplicate: true, ...(ticket ? { reference: ticket.ref } : {}) };
}

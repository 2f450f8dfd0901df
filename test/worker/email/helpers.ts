import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import * as tables from "../../../schema/db.ts";
import worker from "../../../worker/index.ts";
import { db } from "../helpers.ts";

/** A mail's parts; anything left out gets a plain default. */
export interface MailParts {
  readonly from?: string;
  readonly to?: string;
  readonly subject?: string;
  /** The Message-ID header (angle brackets included); null leaves it out. */
  readonly messageId?: string | null;
  readonly headers?: Record<string, string>;
  readonly contentType?: string;
  readonly body?: string;
}

/** A raw RFC 5322 message (CRLF line ends). */
export function rawMail(parts: MailParts = {}): string {
  const lines = [
    `From: ${parts.from ?? "Ana Ruiz <ana@example.com>"}`,
    `To: ${parts.to ?? "help@commerceup.demo"}`,
    `Subject: ${parts.subject ?? "The checkout page is blank"}`,
    "Date: Wed, 18 Nov 2026 12:00:00 +0000",
    ...(parts.messageId === null ? [] : [`Message-ID: ${parts.messageId ?? `<${crypto.randomUUID()}@example.com>`}`]),
    "MIME-Version: 1.0",
    `Content-Type: ${parts.contentType ?? "text/plain; charset=utf-8"}`,
    ...Object.entries(parts.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    "",
    parts.body ?? "Since this morning customers see an empty page at checkout.",
  ];
  return lines.join("\r\n");
}

/** What the handler did with a mail: the reason it was refused with, if it was. */
export interface Delivery {
  readonly rejected: string | undefined;
}

/**
 * Delivers a raw message to the worker's real email() handler as Email Routing would: a
 * ForwardableEmailMessage with envelope addresses, the parsed top-level headers and the raw stream.
 */
export async function deliver(
  raw: string | Uint8Array<ArrayBuffer>,
  envelope: { from?: string; to?: string; rawSize?: number } = {},
): Promise<Delivery> {
  const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
  const text = typeof raw === "string" ? raw : "";
  const headers = new Headers();
  for (const line of text.split(/\r\n\r\n/)[0]?.split(/\r\n(?![ \t])/) ?? []) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      try {
        headers.append(
          line.slice(0, colon).trim(),
          line
            .slice(colon + 1)
            .replace(/\r\n[ \t]/g, " ")
            .trim(),
        );
      } catch {
        // A header the platform would not expose either.
      }
    }
  }
  let rejected: string | undefined;
  const message = {
    from: envelope.from ?? "ana@example.com",
    to: envelope.to ?? "help@commerceup.demo",
    headers,
    raw: new Blob([bytes]).stream(),
    rawSize: envelope.rawSize ?? bytes.byteLength,
    canBeForwarded: true,
    setReject(reason: string) {
      rejected = reason;
    },
    forward: async () => ({ messageId: "" }),
    reply: async () => ({ messageId: "" }),
  } as unknown as ForwardableEmailMessage;
  // The worker's own email() export, called in this isolate: over the exports loopback (RPC) the
  // message's setReject would be a stub whose call the handler does not await.
  await worker.email(message, env);
  return { rejected };
}

/** The inbound record of a Message-ID at a merchant. */
export async function inboundRecord(merchantId: string, messageId: string) {
  return db.query.inboundMessages.findFirst({
    where: and(eq(tables.inboundMessages.merchantId, merchantId), eq(tables.inboundMessages.messageId, messageId)),
  });
}

/** The tickets of a merchant from this sender, oldest first. */
export async function ticketsFrom(merchantId: string, email: string) {
  return db.query.tickets.findMany({
    where: and(eq(tables.tickets.merchantId, merchantId), eq(tables.tickets.email, email)),
    orderBy: tables.tickets.createdAt,
  });
}

/** The events of a ticket, in order. */
export async function eventsOf(ticketId: string) {
  return db.query.ticketEvents.findMany({ where: eq(tables.ticketEvents.ticketId, ticketId), orderBy: tables.ticketEvents.id });
}

/** A merchant's reply secret (the HMAC key of its reply tokens). */
export async function replySecretOf(merchantId: string): Promise<string> {
  const row = await db.query.merchants.findFirst({ columns: { replySecret: true }, where: eq(tables.merchants.id, merchantId) });
  if (!row?.replySecret) throw new Error(`no reply secret for ${merchantId}`);
  return row.replySecret;
}

let mails = 0;

/** A sender address no other test of this file uses. */
export function freshSender(name = "customer"): string {
  mails += 1;
  return `${name}.${mails}@example.com`;
}

/** Files a ticket by mail from `sender` and returns its row. */
export async function ticketByMail(sender: string, parts: MailParts = {}, to = "help@commerceup.demo") {
  const d = await deliver(rawMail({ from: sender, to, ...parts }), { from: sender, to });
  if (d.rejected) throw new Error(`mail refused: ${d.rejected}`);
  const merchantId = `m_${to.slice(to.indexOf("@") + 1, -".demo".length)}`;
  const list = await ticketsFrom(merchantId, sender);
  const t = list[list.length - 1];
  if (!t) throw new Error(`no ticket from ${sender}`);
  return t;
}

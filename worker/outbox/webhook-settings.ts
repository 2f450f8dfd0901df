import { and, desc, eq, inArray } from "drizzle-orm";
import { merchants, outbox } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import { randomToken } from "../infra/crypto.ts";
import type { Database } from "../infra/db.ts";
import { webhookEvents } from "../tickets/notifications.ts";
import { outboxInsert } from "./outbox.ts";

/** A webhook event name. */
export type WebhookEvent = (typeof webhookEvents)[number];

/** The event of a delivery queued by "send test": never caused by a ticket, always sent. */
export const TEST_EVENT = "webhook.test";

/** A new webhook signing secret (256 random bits). */
export function newWebhookSecret(): string {
  return `whsec_${randomToken()}`;
}

/** The merchant's webhook settings as the dashboard shows them (the secret only as whether one is set). */
export async function webhookSettings(db: Database, merchantId: string) {
  const row = await db
    .select({
      url: merchants.webhookUrl,
      secret: merchants.webhookSecret,
      events: merchants.webhookEvents,
      secretAt: merchants.webhookSecretAt,
    })
    .from(merchants)
    .where(eq(merchants.id, merchantId))
    .get();
  if (!row) throw new ApiError("not-found", "No such merchant");
  return { url: row.url, hasSecret: row.secret !== null, secretAt: row.secretAt, events: row.events ?? [...webhookEvents] };
}

/**
 * Saves the webhook URL (already checked by webhookUrlProblem; null turns the webhook off) and the
 * events to send. A first URL gets a secret, returned so it can be shown once; otherwise undefined.
 */
export async function saveWebhook(
  db: Database,
  merchantId: string,
  settings: { url: string | null; events: readonly WebhookEvent[] },
  now: number,
): Promise<string | undefined> {
  const current = await webhookSettings(db, merchantId);
  const secret = settings.url !== null && !current.hasSecret ? newWebhookSecret() : undefined;
  await db
    .update(merchants)
    .set({
      webhookUrl: settings.url,
      webhookEvents: [...settings.events],
      ...(secret ? { webhookSecret: secret, webhookSecretAt: now } : {}),
    })
    .where(eq(merchants.id, merchantId));
  return secret;
}

/** Replaces the signing secret and returns the new one (the only time it is shown); deliveries from now on use it. */
export async function rotateWebhookSecret(db: Database, merchantId: string, now: number): Promise<string> {
  const secret = newWebhookSecret();
  await db.update(merchants).set({ webhookSecret: secret, webhookSecretAt: now }).where(eq(merchants.id, merchantId));
  return secret;
}

/** Queues a `webhook.test` delivery through the outbox: the next delivery run sends it like any event. */
export async function queueTestDelivery(db: Database, merchantId: string, now: number): Promise<string> {
  const settings = await webhookSettings(db, merchantId);
  if (settings.url === null) throw new ApiError("conflict", "Save a webhook URL first");
  const { id, statement } = outboxInsert(
    db.$client,
    { channel: "webhook", event: TEST_EVENT, merchantId, payload: { message: "A test delivery from Replyby's dashboard" } },
    now,
  );
  await statement.run();
  return id;
}

/** Deliveries the log shows. */
export const LOG_SIZE = 50;

/** The merchant's most recent webhook deliveries, newest first. */
export function recentDeliveries(db: Database, merchantId: string) {
  return db
    .select({
      id: outbox.id,
      event: outbox.event,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      nextAttemptAt: outbox.nextAttemptAt,
      deliveredAt: outbox.deliveredAt,
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .where(and(eq(outbox.merchantId, merchantId), eq(outbox.channel, "webhook")))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(LOG_SIZE);
}

/**
 * Puts one of the merchant's failed or waiting deliveries back in the queue, due now: the next run
 * makes one more attempt (a failed one that fails again stays failed). A sent one, or another
 * merchant's, is refused.
 */
export async function retryDelivery(db: Database, merchantId: string, id: string, now: number): Promise<void> {
  const row = await db
    .select({ status: outbox.status })
    .from(outbox)
    .where(and(eq(outbox.id, id), eq(outbox.merchantId, merchantId), eq(outbox.channel, "webhook")))
    .get();
  if (!row) throw new ApiError("not-found", "No such delivery");
  if (row.status === "sent") throw new ApiError("conflict", "This delivery was already sent");
  await db
    .update(outbox)
    .set({ status: "queued", nextAttemptAt: now })
    .where(and(eq(outbox.id, id), eq(outbox.merchantId, merchantId), inArray(outbox.status, ["queued", "failed", "suppressed"])));
}

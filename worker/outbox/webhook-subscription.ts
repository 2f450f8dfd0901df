/** Which webhook events a merchant receives: none (no webhook), every one, or the ones it chose. */
export type WebhookSubscription = boolean | readonly string[];

/** A merchant's subscription from its row: no URL is none; no choice made yet is every event. */
export function webhookSubscription(m: { webhookUrl: string | null; webhookEvents: string[] | null }): WebhookSubscription {
  if (m.webhookUrl === null) return false;
  return m.webhookEvents ?? true;
}

/** Whether a subscription takes this event. */
export function subscribed(sub: WebhookSubscription, event: string): boolean {
  return typeof sub === "boolean" ? sub : sub.includes(event);
}

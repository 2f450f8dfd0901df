import { hmacHex } from "../infra/crypto.ts";
import type { Attempt, OutboxRow } from "./delivery.ts";

/** How long a merchant's endpoint may take to answer. */
const TIMEOUT_MS = 5000;

/**
 * Posts one notification to the merchant's webhook, signed `Replyby-Signature: t=<ms>,v1=<hex>`
 * (HMAC-SHA256 of `<t>.<body>` with the merchant's secret). The body's `id` is the outbox row's id:
 * the same on every retry, so the receiver can de-duplicate by it.
 */
export async function postWebhook(url: string | null, secret: string | null, row: OutboxRow, now: number): Promise<Attempt> {
  if (!url || !secret) return { ok: false, error: "No webhook configured" };
  const body = JSON.stringify({ id: row.id, event: row.event, data: JSON.parse(row.payload) as unknown });
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Replyby-Signature": `t=${now},v1=${await hmacHex(secret, `${now}.${body}`)}` },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // Only the status matters; the body is dropped unread.
    await res.body?.cancel();
    return res.ok ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
  } catch (e) {
    const err = e as Error;
    if (err.name === "TimeoutError") return { ok: false, error: `No answer from ${new URL(url).host} within ${TIMEOUT_MS / 1000} s` };
    return { ok: false, error: `Could not reach ${new URL(url).host}: ${String(err.message ?? e)}`.slice(0, 200) };
  }
}

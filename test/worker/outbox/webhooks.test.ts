import { afterEach, describe, expect, it, vi } from "vitest";
import { hmacHex } from "../../../worker/infra/crypto.ts";
import type { OutboxRow } from "../../../worker/outbox/delivery.ts";
import { postWebhook } from "../../../worker/outbox/webhooks.ts";

const row = {
  id: "ob_test_1",
  event: "ticket.created",
  payload: JSON.stringify({ reference: "EC-1" }),
} as OutboxRow;

/** Stubs fetch with one answer and returns the requests it saw. */
function endpoint(status: number) {
  const seen: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    seen.push(new Request(input, init));
    return new Response("ok", { status });
  });
  return seen;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("postWebhook", () => {
  it("posts the event as JSON with the outbox row's id, to de-duplicate by", async () => {
    const seen = endpoint(200);
    expect(await postWebhook("https://hooks.example.com/x", "whsec_k", row, 1_000)).toEqual({ ok: true });
    expect(seen[0]?.method).toBe("POST");
    expect(await seen[0]?.json()).toEqual({ id: "ob_test_1", event: "ticket.created", data: { reference: "EC-1" } });
  });

  it("signs t=<ms>,v1=<HMAC-SHA256 of t.body> with the merchant's secret", async () => {
    const seen = endpoint(200);
    await postWebhook("https://hooks.example.com/x", "whsec_k", row, 1_000);
    const body = (await seen[0]?.text()) ?? "";
    expect(seen[0]?.headers.get("Replyby-Signature")).toBe(`t=1000,v1=${await hmacHex("whsec_k", `1000.${body}`)}`);
  });

  it("sends the same id on a retry, with a new timestamp", async () => {
    const seen = endpoint(200);
    await postWebhook("https://hooks.example.com/x", "whsec_k", row, 1_000);
    await postWebhook("https://hooks.example.com/x", "whsec_k", row, 61_000);
    const ids = await Promise.all(seen.map(async (r) => ((await r.json()) as { id: string }).id));
    expect(ids).toEqual(["ob_test_1", "ob_test_1"]);
    expect(seen[1]?.headers.get("Replyby-Signature")).toMatch(/^t=61000,/);
  });

  it("reports an answer other than 2xx as a failed attempt with its status", async () => {
    endpoint(500);
    expect(await postWebhook("https://hooks.example.com/x", "whsec_k", row, 1_000)).toEqual({ ok: false, error: "HTTP 500" });
  });

  it("names the host it could not reach", async () => {
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new Error("connection refused"));
    expect(await postWebhook("https://hooks.example.com/x", "whsec_k", row, 1_000)).toEqual({
      ok: false,
      error: "Could not reach hooks.example.com: connection refused",
    });
  });

  it("fails without a URL or secret, sending nothing", async () => {
    const seen = endpoint(200);
    expect(await postWebhook(null, "whsec_k", row, 1_000)).toMatchObject({ ok: false });
    expect(seen).toEqual([]);
  });
});

import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer, wrangler } from "../../worker/dev/server.ts";

// A merchant's webhook receiver on loopback, and the real worker's cron delivering to it.
const SECRET = "whsec-test-1234";
const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
let receiver: Server;
let hookUrl = "";
let server: DevServer;

beforeAll(async () => {
  let fail = 1;
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += String(d);
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      // The first delivery fails, so the retry is exercised too.
      res.statusCode = fail-- > 0 ? 503 : 204;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const addr = receiver.address();
  hookUrl = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/hooks/replyby`;
  server = await startDevServer();
  wrangler([
    "d1",
    "execute",
    "replyby",
    "--local",
    "--persist-to",
    server.persistTo,
    "--command",
    `UPDATE merchants SET webhook_url = '${hookUrl}', webhook_secret = '${SECRET}' WHERE id = 'm_commerceup'`,
  ]);
});

afterAll(async () => {
  await server?.stop();
  receiver?.close();
});

async function cron(at: number): Promise<void> {
  const res = await fetch(`${server.url}/cdn-cgi/local/scheduled?time=${at}&cron=*+*+*+*+*`);
  expect(res.ok).toBe(true);
}

let reference = "";

describe("webhooks", () => {
  it("delivers ticket.created signed with HMAC-SHA256 of t.body, retrying after a failure", async () => {
    const res = await fetch(`${server.url}/v1/sites/demo-commerceup/tickets`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url, "idempotency-key": crypto.randomUUID() },
      body: JSON.stringify({ issueType: "site-down", severity: "critical", email: "owner@example.test", description: "Down" }),
    });
    reference = ((await res.json()) as { reference: string }).reference;
    await cron(Date.now());
    // The first attempt got a 503: the outbox keeps it for a later run (backoff is 2 minutes).
    await cron(Date.now() + 3 * 60_000);
    const deliveries = received.filter((r) => r.body.includes(reference));
    expect(deliveries.length).toBe(2);
    const last = deliveries[1];
    const sig = String(last?.headers["replyby-signature"] ?? "");
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig) ?? [];
    expect(v1).toBe(createHmac("sha256", SECRET).update(`${t}.${last?.body}`).digest("hex"));
    expect(JSON.parse(last?.body ?? "{}")).toMatchObject({ event: "ticket.created", data: { reference, priority: "C1" } });
  });

  it("does not deliver a delivered notification again", async () => {
    const created = () => received.filter((r) => r.body.includes(reference) && r.body.includes('"ticket.created"')).length;
    const before = created();
    await cron(Date.now() + 60 * 60_000);
    expect(before).toBe(2);
    expect(created()).toBe(before);
  });
});

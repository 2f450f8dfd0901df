import { afterAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../../worker/dev/server.ts";

// A real `wrangler dev` on a real local D1 folder, stopped in the middle of a stream of
// creations and started again on the same folder.
let server: DevServer | undefined;

afterAll(async () => {
  await server?.stop();
});

interface Attempt {
  key: string;
  body: string;
  status: number | "network-error";
  reference?: string;
  accessToken?: string;
}

async function create(s: DevServer, n: number, key = `restart-${n}-${crypto.randomUUID()}`, body?: string): Promise<Attempt> {
  const payload =
    body ?? JSON.stringify({ issueType: "question", severity: "normal", email: `r${n}@example.test`, description: `Restart ticket ${n}` });
  try {
    const res = await fetch(`${s.url}/v1/sites/demo-ecellar/tickets`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: s.url,
        "idempotency-key": key,
        "cf-connecting-ip": `10.9.${n >> 8}.${n & 255}`,
      },
      body: payload,
    });
    const json = res.status === 201 ? ((await res.json()) as { reference: string; accessToken: string }) : undefined;
    return { key, body: payload, status: res.status, ...(json ? { reference: json.reference, accessToken: json.accessToken } : {}) };
  } catch {
    return { key, body: payload, status: "network-error" };
  }
}

describe("restart in the middle of a load", () => {
  it("keeps every ticket that got a 201, and retried requests land exactly once", async () => {
    server = await startDevServer();
    const { port, persistTo } = server;
    const attempts: Promise<Attempt>[] = [];
    let n = 0;
    let landed = 0;
    // Eight concurrent streams of creations; the server is stopped while they run.
    const streams = Array.from({ length: 8 }, async () => {
      for (;;) {
        const a = create(server as DevServer, n++);
        attempts.push(a);
        const r = await a;
        if (r.status === 201) landed += 1;
        if (r.status === "network-error" || n > 400) return;
      }
    });
    // Stop mid-stream, once creations are landing (a cold worker takes a while to answer the first).
    for (let waited = 0; landed < 5 && waited < 60_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    await server.stop();
    await Promise.all(streams);
    const results = await Promise.all(attempts);
    const created = results.filter((r) => r.status === 201);
    const failed = results.filter((r) => r.status !== 201);
    expect(created.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);

    server = await startDevServer({ port, persistTo });
    for (const [i, t] of created.entries()) {
      const res = await fetch(`${server.url}/v1/tickets/${t.reference}`, {
        headers: { authorization: `Bearer ${t.accessToken}`, origin: server.url, "cf-connecting-ip": `10.8.${i >> 8}.${i & 255}` },
      });
      expect(res.status, t.reference).toBe(200);
    }
    // A client retries what it never got an answer to, with the same key: each lands once.
    const retried = await Promise.all(failed.map((f, i) => create(server as DevServer, 10_000 + i, f.key, f.body)));
    expect(retried.every((r) => r.status === 201)).toBe(true);
    const again = await Promise.all(failed.map((f, i) => create(server as DevServer, 20_000 + i, f.key, f.body)));
    expect(again.map((r) => r.reference)).toEqual(retried.map((r) => r.reference));
    const refs = new Set([...created, ...retried].map((r) => r.reference));
    expect(refs.size).toBe(created.length + failed.length);
  });
});

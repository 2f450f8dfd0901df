import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The outbox's scheduling, with the real Api client against a real HTTP server on loopback.
// Node has no Web Storage or window events: the test provides a minimal Storage and a no-op
// global addEventListener before loading the widget modules.
class MemoryStorage {
  #m = new Map<string, string>();
  getItem(k: string) {
    return this.#m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.#m.set(k, String(v));
  }
  removeItem(k: string) {
    this.#m.delete(k);
  }
}
const g = globalThis as unknown as { localStorage: MemoryStorage; addEventListener: () => void };
g.localStorage = new MemoryStorage();
g.addEventListener = () => {};

const { Api } = await import("../../widget/src/lib/api.ts");
const { Outbox } = await import("../../widget/src/lib/outbox.ts");

let server: Server;
let base = "";
let creates = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    // Drain the body, then answer like the API's 201.
    req.resume();
    req.on("end", () => {
      creates += 1;
      res.setHeader("Content-Type", "application/json");
      res.statusCode = 201;
      const window = { priority: "C3", eligibility: { eligible: true }, explanation: [] };
      res.end(
        JSON.stringify({
          reference: "RB-TEST-0001",
          accessToken: "t".repeat(43),
          status: "open",
          createdAt: new Date().toISOString(),
          window,
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
});

afterAll(() => {
  server.close();
});

describe("Outbox", () => {
  it("still retries after a flush that found nothing due (a timer firing just before nextAt)", async () => {
    const api = new Api(base, "demo-outbox");
    const outbox = Outbox.for(api);
    const due = Date.now() + 60_000;
    const pending = {
      key: "k-1",
      json: JSON.stringify({ issueType: "x", severity: "y", email: "a@b.test", description: "d" }),
      queuedAt: Date.now(),
      attempts: 1,
      nextAt: due,
    };
    g.localStorage.setItem("replyby:v1:demo-outbox:outbox", JSON.stringify([pending]));
    await outbox.flush();
    expect(creates).toBe(0);
    // Now it is due: the next flush must send it.
    g.localStorage.setItem("replyby:v1:demo-outbox:outbox", JSON.stringify([{ ...pending, nextAt: Date.now() - 1 }]));
    await outbox.flush();
    expect(creates).toBe(1);
    expect(outbox.pending).toEqual([]);
  });
});

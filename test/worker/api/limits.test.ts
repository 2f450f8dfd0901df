import { beforeAll, describe, expect, it } from "vitest";
import { call, seed } from "../helpers.ts";

// Its own file: the rate-limit binding's counters outlive a test, and these tests spend them.
beforeAll(async () => {
  await seed();
});

async function until429(request: () => Promise<Response>): Promise<Response | undefined> {
  for (let i = 0; i < 200; i++) {
    const res = await request();
    if (res.status === 429) return res;
    expect(res.status).toBe(200);
  }
  return undefined;
}

describe("burst limits", () => {
  it("the rate-limit binding answers 429 with Retry-After once an IP exceeds the per-minute burst on a site", async () => {
    const limited = await until429(() => call("/v1/sites/demo-ecellar/config", { headers: { "CF-Connecting-IP": "198.51.100.7" } }));
    if (!limited) throw new Error("never limited");
    expect(limited.headers.get("Retry-After")).toBe("60");
    expect(((await limited.json()) as { type: string }).type).toBe("https://replyby.dev/problems/rate-limited");
  });

  it("window previews are limited per visitor too, with the seconds left in the minute", async () => {
    const limited = await until429(() =>
      call("/v1/sites/demo-ecellar/window", {
        method: "POST",
        json: { issueType: "question", severity: "normal" },
        headers: { "CF-Connecting-IP": "198.51.100.9" },
      }),
    );
    const retry = Number(limited?.headers.get("Retry-After"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
  });

  it("counts IPs separately", async () => {
    const res = await call("/v1/sites/demo-ecellar/config", { headers: { "CF-Connecting-IP": "198.51.100.8" } });
    expect(res.status).toBe(200);
  });
});

import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { merchants, staff } from "../../../schema/db.ts";
import { db, seed } from "../helpers.ts";
import { createStaff, signedIn } from "./helpers.ts";

beforeAll(async () => {
  await seed();
});

describe("roles", () => {
  it("keeps settings from agents", async () => {
    const b = await signedIn("agent@ecellar.demo");
    expect((await b.get("/dashboard/settings/policy")).status).toBe(403);
  });

  it("refuses an agent's settings form post", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const res = await b.post("/dashboard/settings/staff", { name: "x", email: "x@x.test", role: "admin" });
    expect(res.status).toBe(403);
    expect(await db.query.staff.findFirst({ where: eq(staff.email, "x@x.test") })).toBeUndefined();
  });

  it("hides the settings link from agents", async () => {
    const b = await signedIn("agent@ecellar.demo");
    expect(await (await b.get("/dashboard/queue")).text()).not.toContain('href="/dashboard/settings/policy"');
  });
});

describe("unexpected failures", () => {
  it("are answered by the app's fixed 500, leaking nothing", async () => {
    const now = Date.now();
    await db
      .insert(merchants)
      .values({ id: "m_broken", name: "Broken", policyVersion: 99, webhookUrl: null, webhookSecret: null, createdAt: now });
    await createStaff({ id: "st_broken", merchantId: "m_broken", email: "agent@broken.test" });
    const b = await signedIn("agent@broken.test");
    const res = await b.get("/dashboard/queue");
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      type: "https://replyby.dev/problems/internal",
      title: "Something went wrong on our side",
      status: 500,
    });
  });
});

describe("not found", () => {
  it("answers an unknown dashboard path with the dashboard's 404 page", async () => {
    const b = await signedIn("agent@ecellar.demo");
    const res = await b.get("/dashboard/nothing/here");
    expect(res.status).toBe(404);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
  });
});

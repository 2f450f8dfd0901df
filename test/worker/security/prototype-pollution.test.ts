import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { merchants } from "../../../schema/db.ts";
import { type Browser, signedIn } from "../dashboard/helpers.ts";
import { call, db, seed, ticketBody } from "../helpers.ts";
import { around } from "./support/http.ts";
import { changed } from "./support/state.ts";

// Prototype keys where input names an object key. Found by the fuzz (test/worker/fuzz, at 800
// runs per endpoint): the holidays form looked its calendar up with `calendars[name]`, so
// `calendar=__proto__` wrote `holidays` onto Object.prototype — every later response of that
// isolate then failed (Hono copies headers with for…in) until the isolate was recycled.

const prototypeKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];

const pristine = () => Object.getOwnPropertyNames(Object.prototype).sort().join(",");
const before = pristine();

let admin: Browser;

beforeAll(async () => {
  await seed();
  admin = await signedIn("admin@ecellar.demo");
});

async function version(): Promise<string> {
  return String((await db.select({ v: merchants.policyVersion }).from(merchants).where(eq(merchants.id, "m_ecellar")).get())?.v);
}

describe("the holidays form's calendar name", () => {
  it.each(prototypeKeys)("%s is an unknown calendar (400), writes nothing and pollutes nothing", async (key) => {
    const form = { calendar: key, holidays: "2030-01-01", base: await version() };
    const { result: res, before: was, after } = await around(() => admin.post("/dashboard/settings/holidays", form));
    expect(res.status).toBe(400);
    expect(changed(was, after)).toEqual([]);
    expect(pristine()).toBe(before);
    expect(({} as Record<string, unknown>).holidays).toBeUndefined();
  });

  it("leaves every page working afterwards", async () => {
    await admin.post("/dashboard/settings/holidays", { calendar: "__proto__", holidays: "2030-01-01", base: await version() });
    expect((await admin.get("/dashboard/queue")).status).toBe(200);
  });
});

describe("JSON bodies with prototype keys", () => {
  it.each(prototypeKeys)("a ticket body carrying %s is refused (400) and pollutes nothing", async (key) => {
    const text = `{${JSON.stringify(key)}:{"polluted":true},${JSON.stringify(ticketBody()).slice(1)}`;
    const res = await call("/v1/sites/demo-ecellar/tickets", {
      body: text,
      headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
    });
    expect(res.status).toBe(400);
    expect(pristine()).toBe(before);
  });
});

import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { staff } from "../../../schema/db.ts";
import { hashPassword, MAX_PBKDF2_ITERATIONS, verifyPassword } from "../../../worker/infra/password.ts";
import { Browser, createStaff } from "../dashboard/helpers.ts";
import { db, seed } from "../helpers.ts";

// Password hash caps (worker/infra/password.ts): our code never runs PBKDF2 above 100,000
// iterations (Workers refuse more in production; local workerd would not), and no stored hash,
// however malformed, makes verification throw — a bad row is "no match", never a 500.

const PASSWORD = "hash-cap-password-1";
let good: string;

beforeAll(async () => {
  await seed();
  good = await hashPassword(PASSWORD, 1000);
});

const iterations = (n: string) => good.replace("$1000$", () => `$${n}$`);

const storedHashes: [string, () => string][] = [
  ["100,001 iterations", () => iterations("100001")],
  ["a million iterations written 1e6", () => iterations("1e6")],
  ["2^53 + 1 iterations", () => iterations("9007199254740993")],
  ["Infinity iterations", () => iterations("Infinity")],
  ["zero iterations", () => iterations("0")],
  ["negative iterations", () => iterations("-1")],
  ["fractional iterations", () => iterations("1.5")],
  ["no iteration count", () => iterations("")],
  ["NaN iterations", () => iterations("NaN")],
  ["another scheme", () => good.replace("pbkdf2-sha256", "pbkdf2-sha1")],
  ["a salt that is not base64", () => "pbkdf2-sha256$1000$***$AAAA"],
  ["a hash that is not base64", () => good.replace(/\$[^$]+$/, () => "$***")],
  ["missing parts", () => "pbkdf2-sha256$1000"],
  ["an empty string", () => ""],
  ["a disabled login marker", () => "!"],
];

describe("stored hashes", () => {
  it.each(storedHashes)("%s never matches and never throws", async (_, stored) => {
    await expect(verifyPassword(PASSWORD, stored())).resolves.toEqual({ ok: false, upgrade: false });
  });

  // The control: the intact hash matches.
  it("the intact hash matches", async () => {
    expect((await verifyPassword(PASSWORD, good)).ok).toBe(true);
  });

  let n = 0;
  it.each(storedHashes)("a login whose stored hash has %s is refused with 401, not an error", async (_, stored) => {
    n += 1;
    const email = await createStaff({ id: `st_hash_cap_${n}`, email: `hash-cap-${n}@ecellar.demo`, passwordHash: stored() });
    expect((await new Browser().login(email, PASSWORD)).status).toBe(401);
  });
});

describe("hashing", () => {
  it.each([["0"], ["-1"], ["1.5"], ["NaN"], ["Infinity"], [String(MAX_PBKDF2_ITERATIONS + 1)], ["1000000"]])(
    "refuses %s iterations before any work",
    async (n) => {
      await expect(hashPassword(PASSWORD, Number(n))).rejects.toThrow(RangeError);
    },
  );

  it("hashes at the ceiling by default", async () => {
    expect(await hashPassword(PASSWORD)).toMatch(/^pbkdf2-sha256\$100000\$/);
  });

  it("bounds the work of a sign-in with a huge password: refused like any wrong password", async () => {
    const res = await new Browser().login("huge-password@ecellar.demo", "p".repeat(200_000));
    expect(res.status).toBe(401);
  });
});

describe("password hashing", () => {
  it("refuses to hash with more than 100,000 PBKDF2 iterations", async () => {
    await expect(hashPassword("any-password-123", MAX_PBKDF2_ITERATIONS + 1)).rejects.toThrow(RangeError);
  });

  it("treats a stored hash above 100,000 iterations as not matching", async () => {
    const stored = (await hashPassword("any-password-123")).replace("$100000$", "$100001$");
    expect(await verifyPassword("any-password-123", stored)).toEqual({ ok: false, upgrade: false });
  });

  it("refuses sign-in (without an error) for a login whose hash exceeds the ceiling", async () => {
    const stored = (await hashPassword("ceiling-password-1")).replace("$100000$", "$200000$");
    await createStaff({ id: "st_ceiling", email: "ceiling@ecellar.demo", passwordHash: stored });
    expect((await new Browser().login("ceiling@ecellar.demo", "ceiling-password-1")).status).toBe(401);
  });

  it("upgrades a hash with outdated parameters at the next sign-in", async () => {
    await createStaff({ id: "st_upgrade", email: "upgrade@ecellar.demo", passwordHash: await hashPassword("upgrade-password-1", 1000) });
    expect((await new Browser().login("upgrade@ecellar.demo", "upgrade-password-1")).status).toBe(303);
    const row = await db.query.staff.findFirst({ where: eq(staff.id, "st_upgrade") });
    expect(row?.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(await verifyPassword("upgrade-password-1", row?.passwordHash ?? "")).toEqual({ ok: true, upgrade: false });
  });
});

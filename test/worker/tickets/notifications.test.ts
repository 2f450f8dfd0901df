import { beforeAll, describe, expect, it } from "vitest";
import { preset } from "../../../worker/presets/index.ts";
import { notificationsFor } from "../../../worker/tickets/notifications.ts";
import { createTicket, seed, ticketRow } from "../helpers.ts";

beforeAll(async () => {
  await seed();
});

const commerceup = preset("commerceup");
const saturdayNight = Date.parse("2026-11-21T02:00:00+05:30");
const mondayNoon = Date.parse("2026-11-23T12:00:00+05:30");

async function c1() {
  return ticketRow((await createTicket("demo-commerceup", { issueType: "site-down", severity: "critical" })).reference);
}

const alerts = (out: ReturnType<typeof notificationsFor>) =>
  out.filter((n) => n.event.startsWith("alert-")).map((n) => [n.event, n.recipient]);

describe("on-call alerts", () => {
  it("a C1 created outside CommerceUp's business hours alerts the on-call address", async () => {
    const t = await c1();
    const out = notificationsFor({ type: "created" }, t, { webhook: false, now: saturdayNight, policy: commerceup });
    expect(alerts(out)).toEqual([["alert-new", "oncall@commerceup.demo"]]);
  });

  it("a C1 created in business hours alerts nobody (the team is at work)", async () => {
    const t = await c1();
    expect(alerts(notificationsFor({ type: "created" }, t, { webhook: false, now: mondayNoon, policy: commerceup }))).toEqual([]);
  });

  it("a priority the policy does not list alerts nobody", async () => {
    const t = await ticketRow((await createTicket("demo-commerceup", { issueType: "minor", severity: "low" })).reference);
    expect(alerts(notificationsFor({ type: "created" }, t, { webhook: false, now: saturdayNight, policy: commerceup }))).toEqual([]);
  });

  it("a breach alerts the on-call address", async () => {
    const t = await ticketRow((await createTicket("demo-commerceup", { issueType: "minor", severity: "low" })).reference);
    expect(alerts(notificationsFor({ type: "breached" }, t, { webhook: false, now: mondayNoon, policy: commerceup }))).toEqual([
      ["alert-breach", "oncall@commerceup.demo"],
    ]);
  });
});

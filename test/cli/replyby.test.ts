import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = mkdtempSync(path.join(tmpdir(), "replyby-cli-"));

function file(name: string, value: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof value === "string" ? value : JSON.stringify(value));
  return p;
}

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string; json: unknown } {
  const r = spawnSync(process.execPath, ["worker/cli/replyby.ts", ...args], { encoding: "utf8" });
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

const weekdays = [["09:00", "17:00"]];
const calendar = file("cal.json", {
  timeZone: "UTC",
  hours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
  holidays: ["2026-12-25"],
});

describe("replyby preset", () => {
  it("prints a preset's policy JSON", () => {
    const r = cli("preset", "commerceup");
    expect(r.status).toBe(0);
    expect((r.json as { id: string }).id).toBe("commerceup");
  });

  it("refuses an unknown preset on stderr with exit 1 and nothing on stdout", () => {
    const r = cli("preset", "nope");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Unknown preset");
  });
});

describe("replyby check", () => {
  it("accepts every preset written to a file", () => {
    for (const name of ["ecellar", "easy-commission", "commerceup", "ecshops"]) {
      const policy = file(`${name}.json`, cli("preset", name).stdout);
      const r = cli("check", "--policy", policy);
      expect(r.status, name).toBe(0);
      expect(r.json).toMatchObject({ valid: true, id: name });
    }
  });

  it("reports field-level errors and exits 1 for an invalid policy", () => {
    const preset = JSON.parse(cli("preset", "ecellar").stdout);
    preset.calendars.business.timeZone = "Mars/Olympus";
    preset.priorities[1].firstResponse.sameDayIfBefore = "25:00";
    const r = cli("check", "--policy", file("bad.json", preset));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    const paths = (JSON.parse(r.stderr) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toContain("calendars.business.timeZone");
    expect(paths).toContain("priorities[1].firstResponse.sameDayIfBefore");
  });

  it("reports a calendar with no open time at all as a field error and exits 1", () => {
    const preset = JSON.parse(cli("preset", "ecellar").stdout);
    preset.calendars.business.hours = {};
    const r = cli("check", "--policy", file("closed.json", preset));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect((JSON.parse(r.stderr) as { errors: unknown[] }).errors).toContainEqual({
      path: "calendars.business.hours",
      message: "No open time at all: give weekly hours or an override with open intervals",
    });
  });

  it("says which file is not JSON", () => {
    const r = cli("check", "--policy", file("broken.json", "{nope"));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("not valid JSON");
  });
});

describe("replyby window", () => {
  it("classifies and computes the reply-by time from a preset", () => {
    const r = cli("window", "--preset", "ecellar", "--issue-type", "question", "--severity", "normal", "--at", "2026-11-20T16:05:00-08:00");
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ priority: "standard", firstResponse: { dueAt: "2026-11-24T01:00:00Z" } });
  });

  it("takes a priority directly", () => {
    const r = cli("window", "--preset", "commerceup", "--priority", "C1", "--at", "2026-11-21T02:00:00+05:30");
    expect(r.json).toMatchObject({ priority: "C1", firstResponse: { dueAt: "2026-11-20T22:30:00Z" } });
  });

  it("refuses an instant without a zone", () => {
    const r = cli("window", "--preset", "commerceup", "--priority", "C1", "--at", "2026-11-21T02:00");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("ISO-8601 instant with a zone");
  });

  it("refuses an unknown issue type with the engine's message", () => {
    const r = cli("window", "--preset", "ecellar", "--issue-type", "nope", "--severity", "normal", "--at", "2026-11-20T16:05:00-08:00");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Unknown issue type \\"nope\\"');
  });
});

describe("replyby bill", () => {
  it("prints billed minutes, rate class, rate and amount", () => {
    const r = cli("bill", "--preset", "ecellar", "--at", "2026-11-21T10:00:00-08:00", "--minutes", "20", "--category", "user-error");
    expect(r.json).toMatchObject({
      billedMinutes: 30,
      rateClass: "after-hours",
      ratePerHour: { amount: 22500, currency: "USD" },
      amount: { amount: 11250, currency: "USD" },
    });
  });

  it("refuses negative minutes", () => {
    expect(cli("bill", "--preset", "ecellar", "--at", "2026-11-21T10:00:00-08:00", "--minutes=-5").status).toBe(1);
  });
});

describe("replyby calendar", () => {
  it("adds business hours", () => {
    expect(cli("calendar", "add", "--calendar", calendar, "--from", "2026-11-20T16:00:00Z", "--amount", "4", "--unit", "hours").json).toBe(
      "2026-11-23T12:00:00Z",
    );
  });

  it("adds business days skipping a holiday", () => {
    expect(cli("calendar", "add", "--calendar", calendar, "--from", "2026-12-24T10:00:00Z", "--amount", "1", "--unit", "days").json).toBe(
      "2026-12-28T10:00:00Z",
    );
  });

  it.each([
    ["skipping a holiday (Mon 28 Dec 10:00 − 1 = Thu 24 Dec 10:00; Fri 25 Dec a holiday)", "2026-12-28T10:00:00Z", "2026-12-24T10:00:00Z"],
    ["keeping the local time to the second (Tue 10:15:30 − 1 = Mon 10:15:30)", "2026-11-24T10:15:30Z", "2026-11-23T10:15:30Z"],
    ["onto a closed time, which returns that day's closing (Tue 18:00 − 1 → Mon 17:00)", "2026-11-24T18:00:00Z", "2026-11-23T17:00:00Z"],
  ])("subtracts business days %s", (_, from, expected) => {
    expect(cli("calendar", "subtract", "--calendar", calendar, "--from", from, "--amount", "1", "--unit", "days").json).toBe(expected);
  });

  it("subtracts to an opening", () => {
    expect(
      cli("calendar", "subtract", "--calendar", calendar, "--from", "2026-11-23T10:00:00Z", "--amount", "60", "--unit", "minutes").json,
    ).toBe("2026-11-23T09:00:00Z");
  });

  it("counts open seconds between two instants", () => {
    expect(cli("calendar", "within", "--calendar", calendar, "--from", "2026-11-20T16:00:00Z", "--to", "2026-11-23T10:00:00Z").json).toBe(
      7200,
    );
  });

  it("says whether the calendar is open", () => {
    expect(cli("calendar", "open", "--calendar", calendar, "--at", "2026-11-21T10:00:00Z").json).toBe(false);
    expect(cli("calendar", "open", "--calendar", calendar, "--at", "2026-11-20T10:00:00Z").json).toBe(true);
  });

  it("refuses a negative amount", () => {
    const r = cli("calendar", "add", "--calendar", calendar, "--from", "2026-11-20T16:00:00Z", "--amount=-4", "--unit", "hours");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("must not be negative");
  });

  it("refuses an unknown unit", () => {
    expect(
      cli("calendar", "add", "--calendar", calendar, "--from", "2026-11-20T16:00:00Z", "--amount", "4", "--unit", "fortnights").status,
    ).toBe(1);
  });

  it("reports calendar field errors", () => {
    const bad = file("badcal.json", {
      timeZone: "UTC",
      hours: {
        mon: [
          ["09:00", "17:00"],
          ["16:00", "18:00"],
        ],
        funday: [],
      },
    });
    const r = cli("calendar", "open", "--calendar", bad, "--at", "2026-11-20T10:00:00Z");
    expect(r.status).toBe(1);
    const errors = (JSON.parse(r.stderr) as { errors: { path: string; message: string }[] }).errors;
    expect(errors).toContainEqual({ path: "hours.mon[1]", message: "Overlaps another interval" });
    expect(errors.map((e) => e.path)).toContain("hours.funday");
  });
});

describe("replyby usage", () => {
  it("exits 1 for an unknown command", () => {
    const r = cli("frobnicate");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
  });
});

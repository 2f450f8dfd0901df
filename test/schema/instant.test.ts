import { describe, expect, it } from "vitest";
import { parseInstant } from "../../schema/instant.ts";

describe("parseInstant", () => {
  it("reads an instant with a zone", () => {
    expect(parseInstant("2026-11-01T09:30:00+01:00")).toBe(Date.UTC(2026, 10, 1, 8, 30));
  });

  it("reads 29 February of a leap year", () => {
    expect(parseInstant("2028-02-29T00:00:00Z")).toBe(Date.UTC(2028, 1, 29));
  });

  it.each(["2026-02-30T10:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z"])(
    "refuses the impossible date %s rather than rolling it over",
    (text) => {
      expect(parseInstant(text)).toBeNull();
    },
  );

  it("refuses a local time without a zone", () => {
    expect(parseInstant("2026-11-01T09:30:00")).toBeNull();
  });
});

import type { PolicyInput } from "../../schema/policy.ts";
import { type PresetId, presetIds, presetInputs } from "../presets/index.ts";

/** Ids of the starting policies a new merchant may choose: the presets, or a blank one. */
export const startingPolicyIds = [...presetIds, "blank"] as const;
/** One starting policy id. */
export type StartingPolicyId = (typeof startingPolicyIds)[number];

/** What each starting policy is and how it reads its seed policy, in one or two sentences (shown in step 1). */
export const startingPolicyDescriptions: Record<StartingPolicyId, { title: string; reading: string }> = {
  ecellar: {
    title: "eCellar (wineries' e-commerce platform)",
    reading:
      "Business days Mon–Fri 8:30–17:00 Pacific with US holidays. Ordering or launch blocked by a platform error: first reply within 1 hour around the clock; every other email same day if received by 15:00 on a business day, else the next business day; offering help in 3–5 business days; billable work at $150/hour in 15-minute increments; feature requests go through a quote.",
  },
  "easy-commission": {
    title: "Easy-Commission (commission software)",
    reading:
      "Coverage Mon–Fri 9:00–17:00 and 22:00–06:00 Pacific. Every contact answered within 24 hours (elapsed); priorities P1–P4, the customer's pick a first guess staff confirm; free cases per edition, then chargeable; support only for customers current with all dues.",
  },
  commerceup: {
    title: "CommerceUp (hosted store builder)",
    reading:
      "Business hours Mon–Fri 10:00–18:00 IST. C1 (system down) answered within 2 hours around the clock and reduced to C2 within 2–6 hours; C2 within 4 business hours; C3 within 1 business day; C4 within 2 business days.",
  },
  ecshops: {
    title: "ECShops (shop agency)",
    reading:
      "No business hours: every technical request answered within 48 hours (elapsed), restarting when the customer answers a request for information; extra functionality is quoted first. Spanish first, then English.",
  },
  blank: {
    title: "Blank",
    reading:
      "Start small and edit: business hours Mon–Fri 9:00–17:00 (UTC until you set your time zone in step 2), two issue types, and a first reply within 1 business day (4 business hours when urgent).",
  },
};

/** A minimal valid policy to start from: one business calendar, two issue types, two priorities. */
export function blankPolicy(name: string, timeZone = "UTC"): PolicyInput {
  const day: [string, string][] = [["09:00", "17:00"]];
  return {
    id: "custom",
    name,
    timeZone,
    locales: ["en"],
    calendars: { business: { timeZone, hours: { mon: day, tue: day, wed: day, thu: day, fri: day } } },
    issueTypes: [
      { id: "question", label: "A question" },
      { id: "problem", label: "Something is not working" },
    ],
    severities: [
      { id: "normal", label: "Normal" },
      { id: "urgent", label: "Urgent: it stops my business" },
    ],
    priorities: [
      { id: "standard", label: "Standard", firstResponse: { within: "P1D", clock: "business" } },
      { id: "urgent", label: "Urgent", firstResponse: { within: "PT4H", clock: "business" } },
    ],
    classification: [{ severity: "urgent", priority: "urgent" }, { priority: "standard" }],
  };
}

/** The policy body and preset id of a starting policy for a merchant (a blank one carries its name). */
export function startingPolicy(
  id: StartingPolicyId,
  merchantName: string,
  timeZone?: string,
): { body: PolicyInput; preset: PresetId | null } {
  if (id === "blank") return { body: blankPolicy(merchantName, timeZone), preset: null };
  return { body: presetInputs[id], preset: id };
}

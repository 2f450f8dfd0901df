import { expect, it } from "vitest";
import type { WindowResult } from "../../../schema/api.ts";
import type { Account } from "../../../worker/engine/policy.ts";
import { computeWindow } from "../../../worker/engine/window.ts";
import { type PresetId, preset } from "../../../worker/presets/index.ts";

/** Epoch ms of an ISO instant written with its offset, so each case reads in local time. */
export function at(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`bad instant ${text}`);
  return ms;
}

/** The ISO string the window result uses for an instant written with an offset. */
export function z(text: string): string {
  return new Date(at(text)).toISOString().replace(".000Z", "Z");
}

/** The window of a preset for an issue type and severity received at a local instant. */
export function windowOf(
  id: PresetId,
  issueType: string,
  severity: string,
  received: string,
  extra: { account?: Account; locale?: string } = {},
): WindowResult {
  return computeWindow(preset(id), { issueType, severity, at: at(received), ...extra });
}

/** When the first response is due for a request received at a local instant (ISO, as the window writes it). */
export function firstDue(id: PresetId, issueType: string, severity: string, received: string): string | undefined {
  return windowOf(id, issueType, severity, received).firstResponse?.dueAt;
}

/** A due-date case: its name, the issue type and severity, and the local instants it is received and due. */
export type DueCase = [name: string, issueType: string, severity: string, received: string, due: string];

/** One test a case: a request received at the case's instant has its first response (or resolution) due at the case's due instant. */
export function itIsDue(id: PresetId, target: "firstResponse" | "resolution", cases: DueCase[]): void {
  it.each(cases)("%s", (_name, issueType, severity, received, due) => {
    expect(windowOf(id, issueType, severity, received)[target]?.dueAt).toBe(z(due));
  });
}

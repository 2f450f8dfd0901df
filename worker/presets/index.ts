import { type Policy, type PolicyInput, policySchema } from "../../schema/policy.ts";
import { commerceup } from "./commerceup.ts";
import { easyCommission } from "./easy-commission.ts";
import { ecellar } from "./ecellar.ts";
import { ecshops } from "./ecshops.ts";

/** Preset ids (fixed by DESIGN.md). */
export const presetIds = ["ecellar", "easy-commission", "commerceup", "ecshops"] as const;
/** One preset id. */
export type PresetId = (typeof presetIds)[number];

/** The presets as merchants would write them. */
export const presetInputs: Record<PresetId, PolicyInput> = {
  ecellar,
  "easy-commission": easyCommission,
  commerceup,
  ecshops,
};

const parsed = new Map<PresetId, Policy>();

/** A preset validated and ready for the engine (parsed once). */
export function preset(id: PresetId): Policy {
  let p = parsed.get(id);
  if (!p) {
    p = policySchema.parse(presetInputs[id]);
    parsed.set(id, p);
  }
  return p;
}

/** Whether a string names a preset. */
export function isPresetId(id: string): id is PresetId {
  return (presetIds as readonly string[]).includes(id);
}

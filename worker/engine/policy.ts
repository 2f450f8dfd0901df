import type { Policy } from "../../schema/policy.ts";
import { EngineError } from "./errors.ts";

/** Facts about the customer's account that some policies depend on (plan, dues, usage). */
export interface Account {
  readonly plan?: string;
  readonly flags?: Readonly<Record<string, boolean>>;
  /** Cases already opened in the current allowance period. */
  readonly casesUsed?: number;
  readonly subscribedAt?: number;
  readonly setupMinutesUsed?: number;
}

/** One issue type of a policy. */
export type IssueType = Policy["issueTypes"][number];
/** One priority of a policy. */
export type Priority = Policy["priorities"][number];

/** The issue type with this id, or an EngineError. */
export function issueTypeOf(policy: Policy, id: string): IssueType {
  const t = policy.issueTypes.find((x) => x.id === id);
  if (!t) throw new EngineError("unknown-issue-type", `Unknown issue type "${id}"`);
  return t;
}

/** The priority with this id, or an EngineError. */
export function priorityOf(policy: Policy, id: string): Priority {
  const p = policy.priorities.find((x) => x.id === id);
  if (!p) throw new EngineError("unknown-priority", `Unknown priority "${id}"`);
  return p;
}

/**
 * Whether staff may start a quote on a ticket of this priority: its workflow is the quote
 * workflow, or the policy lets any ticket be quoted.
 */
export function quotable(policy: Policy, priority: string): boolean {
  return priorityOf(policy, priority).workflow === "quote" || policy.quotes?.anyTicket === true;
}

const matches = (rule: string | string[] | undefined, value: string) =>
  rule === undefined || (Array.isArray(rule) ? rule.includes(value) : rule === value);

/** Issue type + severity → priority id: the first matching rule, in order. */
export function classify(policy: Policy, issueType: string, severity: string): string {
  issueTypeOf(policy, issueType);
  if (!policy.severities.some((s) => s.id === severity)) {
    throw new EngineError("unknown-severity", `Unknown severity "${severity}"`);
  }
  const rule = policy.classification.find((r) => matches(r.issueType, issueType) && matches(r.severity, severity));
  // Validation guarantees every pair classifies; this guards hand-built policies.
  if (!rule) throw new EngineError("invalid-policy", `No rule classifies "${issueType}" with severity "${severity}"`);
  return rule.priority;
}

import { and, gt, isNotNull, isNull, lte, or, type SQL } from "drizzle-orm";
import { tickets } from "../../schema/db.ts";
import { type SlaCondition, type SlaInstants, slaRule, type TimedSlaState } from "../engine/sla.ts";

// The tickets columns the rule's two instants are stored in, named by drizzle's own schema.
const columns: Record<keyof SlaInstants, string> = { nextDueAt: tickets.nextDueAt.name, atRiskAt: tickets.atRiskAt.name };

/** A SQL condition with its bound values, for raw D1 statements. */
export interface SqlCondition {
  readonly sql: string;
  readonly params: number[];
}

function render(c: SlaCondition, prefix: string, now: number): SqlCondition {
  const col = `${prefix}${columns[c.field]}`;
  if (c.is === "reached") return { sql: `${col} IS NOT NULL AND ${col} <= ?`, params: [now] };
  if (c.is === "ahead") return { sql: `${col} IS NOT NULL AND ${col} > ?`, params: [now] };
  return { sql: `(${col} IS NULL OR ${col} > ?)`, params: [now] };
}

/**
 * The SQL form of one state of the SLA rule (engine/sla.ts) at `now`: the queue's filters and the
 * cron's flips select with exactly the conditions `slaAt` evaluates. `alias` qualifies the columns.
 */
export function slaSql(state: TimedSlaState, now: number, alias?: string): SqlCondition {
  const parts = slaRule[state].map((c: SlaCondition) => render(c, alias ? `${alias}.` : "", now));
  return { sql: parts.map((p) => p.sql).join(" AND "), params: parts.flatMap((p) => p.params) };
}

/** The same state of the SLA rule as a drizzle condition on the tickets table. */
export function slaWhere(state: TimedSlaState, now: number): SQL {
  const col = { nextDueAt: tickets.nextDueAt, atRiskAt: tickets.atRiskAt };
  return and(
    ...slaRule[state].map((c: SlaCondition) => {
      const v = col[c.field];
      if (c.is === "reached") return and(isNotNull(v), lte(v, now));
      if (c.is === "ahead") return and(isNotNull(v), gt(v, now));
      return or(isNull(v), gt(v, now));
    }),
  ) as SQL;
}

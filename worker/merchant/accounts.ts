import { and, eq, gt, gte, lt, sum } from "drizzle-orm";
import { accounts, tickets, timeEntries } from "../../schema/db.ts";
import { allowancePeriod } from "../engine/account.ts";
import type { Account } from "../engine/policy.ts";
import { ApiError } from "../errors.ts";
import { countRows, type Database } from "../infra/db.ts";
import { signatureMatches } from "./identity-signature.ts";
import type { SiteContext } from "./site-context.ts";

/** A verified customer account: its row id and the facts policies read. */
export interface VerifiedAccount {
  readonly id: string;
  readonly facts: Account;
}

/**
 * Verifies a signed identity (current secret, or the previous one within its grace period) and
 * gathers the account's facts: plan, flags, subscription date, cases already opened this allowance
 * period (the merchant's reported count plus tickets filed since) and setup minutes used. Unknown accounts are
 * anonymous; a bad signature is refused so a page cannot claim someone else's plan.
 */
export async function verifiedAccount(
  db: Database,
  site: SiteContext,
  identity: { accountId: string; signature: string } | undefined,
  now: number,
): Promise<VerifiedAccount | undefined> {
  if (!identity) return undefined;
  if (!(await signatureMatches(site, identity.accountId, identity.signature, now))) {
    throw new ApiError("validation-failed", undefined, {
      errors: [{ path: "identity.signature", message: "The signature does not match this account" }],
    });
  }
  const row = await db.query.accounts.findFirst({
    where: and(eq(accounts.merchantId, site.merchantId), eq(accounts.externalId, identity.accountId)),
  });
  if (!row) return undefined;
  const period = allowancePeriod(site.policy, now);
  // A count the merchant reported in this period stands for every case up to its instant; ours add
  // only what came after it. A count from an earlier period no longer applies.
  const reported =
    row.casesUsed !== null && row.casesUsedAt !== null && row.casesUsedAt >= period.start && row.casesUsedAt < period.end
      ? { count: row.casesUsed, at: row.casesUsedAt }
      : undefined;
  const setupType = site.policy.setupAssistance?.issueType;
  const [cases, setup] = await Promise.all([
    countRows(
      db,
      tickets,
      and(
        eq(tickets.merchantId, site.merchantId),
        eq(tickets.accountId, row.id),
        reported ? gt(tickets.receivedAt, reported.at) : gte(tickets.receivedAt, period.start),
        lt(tickets.receivedAt, period.end),
      ),
    ),
    setupType
      ? db
          .select({ minutes: sum(timeEntries.minutes) })
          .from(timeEntries)
          .innerJoin(tickets, eq(timeEntries.ticketId, tickets.id))
          .where(and(eq(tickets.merchantId, site.merchantId), eq(tickets.accountId, row.id), eq(tickets.issueType, setupType)))
          .get()
      : undefined,
  ]);
  return {
    id: row.id,
    facts: {
      ...(row.plan !== null ? { plan: row.plan } : {}),
      flags: row.flags,
      ...(row.subscribedAt !== null ? { subscribedAt: row.subscribedAt } : {}),
      casesUsed: (reported?.count ?? 0) + cases,
      setupMinutesUsed: Number(setup?.minutes ?? 0),
    },
  };
}

import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { merchants, type Onboarding, sites, staff } from "../../schema/db.ts";
import { countRows, type Database } from "../infra/db.ts";
import { installOf, type SiteInstall } from "../merchant/installs.ts";

/** The first-run checklist's steps, in order. */
export const onboardingSteps = ["policy", "hours", "site", "install", "team"] as const;
/** One step. */
export type OnboardingStep = (typeof onboardingSteps)[number];

/** Staff a merchant needs for the team step to be done (the admin and at least one more). */
export const TEAM_SIZE = 2;

/** Where a signed-up merchant stands on its checklist. */
export interface Checklist {
  readonly done: Record<OnboardingStep, boolean>;
  /** Every step done. */
  readonly complete: boolean;
  /** The checklist was put away (after completing it). */
  readonly finished: boolean;
  /** The merchant's first site: the one the checklist sets up. */
  readonly site: typeof sites.$inferSelect | undefined;
  readonly install: SiteInstall | undefined;
  readonly staffCount: number;
}

/** The merchant's checklist, or null for a merchant that did not sign up (set up by other means). */
export async function checklistOf(db: Database, merchantId: string): Promise<Checklist | null> {
  const [merchant, site, staffCount] = await Promise.all([
    db.select({ onboarding: merchants.onboarding }).from(merchants).where(eq(merchants.id, merchantId)).get(),
    db.select().from(sites).where(eq(sites.merchantId, merchantId)).orderBy(asc(sites.createdAt), asc(sites.id)).limit(1).get(),
    // Members and pending invitations: inviting someone is this step's work; who left does not count.
    countRows(db, staff, and(eq(staff.merchantId, merchantId), inArray(staff.status, ["active", "invited"]))),
  ]);
  const state: Onboarding | null | undefined = merchant?.onboarding;
  if (!state) return null;
  const install = site ? await installOf(db, site.id) : undefined;
  const done: Record<OnboardingStep, boolean> = {
    policy: state.policyAt !== undefined,
    hours: state.hoursAt !== undefined,
    site: (site?.allowedOrigins.length ?? 0) > 0,
    install: install?.firstSeenAt != null,
    team: staffCount >= TEAM_SIZE,
  };
  return {
    done,
    complete: onboardingSteps.every((s) => done[s]),
    finished: state.doneAt !== undefined,
    site,
    install,
    staffCount,
  };
}

/** Whether the merchant signed up and has not finished its checklist (sign-in lands there; the nav shows it). */
export async function checklistPending(db: Database, merchantId: string): Promise<boolean> {
  const row = await db
    .select({ id: merchants.id })
    .from(merchants)
    .where(
      and(eq(merchants.id, merchantId), isNotNull(merchants.onboarding), sql`json_extract(${merchants.onboarding}, '$.doneAt') IS NULL`),
    )
    .get();
  return row !== undefined;
}

/** Records a step the data cannot show by itself (only for a merchant that has a checklist). */
export async function recordStep(db: Database, merchantId: string, key: keyof Onboarding, now: number): Promise<void> {
  await db
    .update(merchants)
    .set({ onboarding: sql`json_set(${merchants.onboarding}, ${`$.${key}`}, ${now})` })
    .where(and(eq(merchants.id, merchantId), isNotNull(merchants.onboarding)));
}

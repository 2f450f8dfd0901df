import { and, eq } from "drizzle-orm";
import { merchants, staff } from "../../schema/db.ts";
import type { EmailContent } from "../email/render.tsx";
import { formatInstantWithYear } from "../engine/format.ts";
import type { Database } from "../infra/db.ts";
import { policyAt } from "../merchant/policy-versions.ts";
import { RESET_TTL_MS } from "./team.ts";
import { newToken } from "./tokens.ts";

/**
 * What an invitation or password-reset email says, with its link made now: the token exists only
 * in this email (its hash in D1), never in the outbox payload. A `string` is why it is not sent
 * (for good): the invitation was revoked or expired, the member is no longer active, the link
 * would already have expired.
 */
export async function teamEmail(
  db: Database,
  row: { merchantId: string; event: string },
  payload: Record<string, unknown>,
  origin: string,
  now: number,
): Promise<EmailContent | string> {
  const staffId = typeof payload.staffId === "string" ? payload.staffId : "";
  const [member, merchant] = await Promise.all([
    db.query.staff.findFirst({ where: and(eq(staff.id, staffId), eq(staff.merchantId, row.merchantId)) }),
    db.select({ name: merchants.name, version: merchants.policyVersion }).from(merchants).where(eq(merchants.id, row.merchantId)).get(),
  ]);
  if (!member || !merchant) return "The staff member no longer exists";
  // Staff have no zone of their own: expiry times are in the merchant's (its policy's) zone.
  const zone = (await policyAt(db, row.merchantId, merchant.version)).timeZone;
  const base = { locale: "en" as const, brand: { title: "Replyby", accent: undefined }, reference: "", topic: "", priority: "" };
  /** The email with its link (to `page`), whose token is made here and works until `expiresAt`. */
  const withLink = async (
    purpose: "invite" | "reset",
    template: "invitation" | "password-reset",
    page: string,
    expiresAt: number,
    team: { inviter?: string; role?: string } = {},
  ): Promise<EmailContent> => {
    const { token, insert } = await newToken(db, member, purpose, expiresAt, now);
    await insert;
    return {
      ...base,
      template,
      customerName: member.name || null,
      url: `${origin}/dashboard/${page}?k=${token}`,
      team: { merchant: merchant.name, ...team, expiresAt: formatInstantWithYear(expiresAt, zone, "en") },
    };
  };
  if (row.event === "invitation") {
    const expiresAt = member.inviteExpiresAt ?? 0;
    if (member.status !== "invited" || expiresAt <= now) return "The invitation was accepted, revoked or has expired";
    const inviter =
      typeof payload.invitedBy === "string"
        ? await db.select({ name: staff.name }).from(staff).where(eq(staff.id, payload.invitedBy)).get()
        : undefined;
    return withLink("invite", "invitation", "join", expiresAt, { inviter: inviter?.name || "An admin", role: member.role });
  }
  const requestedAt = typeof payload.requestedAt === "number" ? payload.requestedAt : 0;
  const expiresAt = requestedAt + RESET_TTL_MS;
  if (member.status !== "active") return "The staff member is no longer active";
  if (expiresAt <= now) return "The reset link would already have expired";
  return withLink("reset", "password-reset", "reset", expiresAt);
}

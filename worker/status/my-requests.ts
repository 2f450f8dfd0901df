import { and, asc, eq, ne, sql } from "drizzle-orm";
import { tickets } from "../../schema/db.ts";
import { constraintFailed, database } from "../infra/db.ts";
import { type Cap, capExceeded, capGuard, countCaps } from "../infra/rate-caps.ts";
import { outboxInserts } from "../outbox/outbox.ts";

/** "Email me my requests" asked per client IP per hour (every site together). */
export const LINK_REQUESTS_PER_IP_HOUR = 20;
/** "Email me my requests" asked per address and site per hour. */
export const LINK_REQUESTS_PER_ADDRESS_HOUR = 3;
/** At most this many requests are listed in one email (the most recent open ones). */
export const MAX_LISTED = 20;

/** The site a request for links is about. */
export interface LinksSite {
  readonly id: string;
  readonly merchantId: string;
}

/**
 * Queues one "links" email (template "links", payload `{ siteId, references }`) to an address
 * listing its open requests on a site, when it has any (an unknown site — null — has none). Counted against the per-IP and
 * per-address hourly caps whether or not it has any, in the same batch as the email, so neither
 * the answer nor the cap tells whether an address is known. 429 once a cap is used up.
 */
export async function requestLinks(env: Env, site: LinksSite | null, email: string, ip: string, now: number): Promise<void> {
  const address = email.trim().toLowerCase();
  const db = database(env.DB);
  const open = !site
    ? []
    : await db
        .select({ ref: tickets.ref })
        .from(tickets)
        .where(
          and(
            eq(tickets.merchantId, site.merchantId),
            eq(tickets.siteId, site.id),
            sql`lower(${tickets.email}) = ${address}`,
            ne(tickets.status, "closed"),
          ),
        )
        .orderBy(asc(tickets.receivedAt))
        .limit(MAX_LISTED);
  const caps: Cap[] = [
    { key: `links:ip:${ip}`, limit: LINK_REQUESTS_PER_IP_HOUR },
    { key: `links:address:${site?.id ?? "-"}:${address}`, limit: LINK_REQUESTS_PER_ADDRESS_HOUR },
  ];
  const d1 = env.DB;
  const queued = outboxInserts(
    d1,
    site && open.length
      ? [
          {
            channel: "email",
            event: "links",
            merchantId: site.merchantId,
            recipient: address,
            payload: { siteId: site.id, references: open.map((t) => t.ref) },
          },
        ]
      : [],
    now,
  );
  try {
    await d1.batch([countCaps(d1, caps, now), capGuard(d1, caps, now), ...queued.statements]);
  } catch (e) {
    if (constraintFailed(e, "write_guard")) throw capExceeded(now);
    throw e;
  }
  queued.committed(env);
}

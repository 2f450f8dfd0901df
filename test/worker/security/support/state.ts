import { env } from "cloudflare:workers";

/**
 * One query that fingerprints everything a request could write: the row count of every table,
 * plus a sum over the columns that in-place updates change (ticket and quote versions, policy
 * versions, site settings and identity secrets, webhook settings, account updates, revoked API keys, staff roles, passwords
 * and access, staff tokens, assignees, ended incidents, counters). Two equal
 * fingerprints mean no row was added, removed or updated in any of those ways.
 */
const FINGERPRINT = `SELECT
  (SELECT count(*) FROM merchants) AS merchants,
  (SELECT total(policy_version) FROM merchants) AS "merchants.policyVersion",
  (SELECT total(length(webhook_url)) + total(length(webhook_events)) + total(webhook_secret_at) FROM merchants) AS "merchants.webhook",
  (SELECT count(*) FROM policies) AS policies,
  (SELECT count(*) FROM sites) AS sites,
  (SELECT total(length(name) + length(allowed_origins) + length(branding)) FROM sites) AS "sites.settings",
  (SELECT total(identity_secret_at) + total(length(identity_previous_secret)) + total(identity_previous_until) FROM sites) AS "sites.identity",
  (SELECT count(*) FROM accounts) AS accounts,
  (SELECT total(cases_used) + count(cases_used) + total(updated_at) FROM accounts) AS "accounts.update",
  (SELECT count(*) FROM api_keys) AS api_keys,
  (SELECT count(revoked_at) FROM api_keys) AS "api_keys.revoked",
  (SELECT count(*) FROM tickets) AS tickets,
  (SELECT total(updated_at) FROM tickets) AS "tickets.updatedAt",
  (SELECT count(*) FROM ticket_events) AS ticket_events,
  (SELECT count(*) FROM quotes) AS quotes,
  (SELECT total(updated_at) FROM quotes) AS "quotes.updatedAt",
  (SELECT count(*) FROM time_entries) AS time_entries,
  (SELECT count(*) FROM incidents) AS incidents,
  (SELECT count(ended_at) FROM incidents) AS "incidents.ended",
  (SELECT count(*) FROM staff) AS staff,
  (SELECT total(password_changed_at) + total(role = 'admin') + total(length(password_hash)) + total(email_verified) FROM staff) AS "staff.credentials",
  (SELECT total(length(status) * rowid) + total(invite_expires_at) FROM staff) AS "staff.status",
  (SELECT count(*) FROM staff_tokens) AS staff_tokens,
  (SELECT count(used_at) FROM staff_tokens) AS "staff_tokens.used",
  (SELECT count(assignee_id) + total(length(assignee_id)) FROM tickets) AS "tickets.assignee",
  (SELECT count(*) FROM sessions) AS sessions,
  (SELECT count(*) FROM idempotency_keys) AS idempotency_keys,
  (SELECT count(*) FROM rate_counters) AS rate_counters,
  (SELECT total(count) FROM rate_counters) AS "rate_counters.count",
  (SELECT count(*) FROM outbox) AS outbox,
  (SELECT count(*) FROM attachments) AS attachments,
  (SELECT count(*) FROM site_installs) AS site_installs,
  (SELECT total(refused_at) + total(first_seen_at) FROM site_installs) AS "site_installs.at",
  (SELECT count(*) FROM write_guard) AS write_guard`;

/** A fingerprint of the database: see FINGERPRINT. */
export type Fingerprint = Record<string, number>;

/** The database's fingerprint now (read from the binding directly, outside any D1 session). */
export async function fingerprint(): Promise<Fingerprint> {
  const row = await env.DB.prepare(FINGERPRINT).first<Fingerprint>();
  if (!row) throw new Error("no fingerprint");
  return row;
}

/** The fingerprint entries that differ, e.g. ["tickets", "ticket_events"]. */
export function changed(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys(after).filter((k) => before[k] !== after[k]);
}

/** The table an entry of the fingerprint belongs to ("tickets.updatedAt" → "tickets"). */
export function tableOf(entry: string): string {
  return entry.split(".")[0] as string;
}

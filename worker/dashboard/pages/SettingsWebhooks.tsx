import type { FieldError } from "../../../schema/policy.ts";
import { SecretReveal } from "../components/SecretReveal.tsx";
import { SettingsHeader } from "../components/SettingsHeader.tsx";
import { Csrf, Field, FieldErrors, Table } from "../components/ui.tsx";
import { when } from "../format.ts";

/** One webhook delivery in the log. */
export interface DeliveryItem {
  readonly id: string;
  readonly event: string;
  readonly status: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly nextAttemptAt: number;
  readonly deliveredAt: number | null;
  readonly createdAt: number;
}

/** Webhooks: URL and events, the signing secret (shown once), a test delivery, and the delivery log. */
export function SettingsWebhooksPage({
  csrf,
  url,
  events,
  allEvents,
  hasSecret,
  secretAt,
  deliveries,
  timeZone,
  now,
  secret,
  rotated = false,
  notice,
  errors,
}: {
  csrf: string;
  url: string;
  events: readonly string[];
  allEvents: readonly string[];
  hasSecret: boolean;
  secretAt: number | null;
  deliveries: readonly DeliveryItem[];
  timeZone: string;
  now: number;
  /** A new signing secret, on the one response that shows it. */
  secret?: string | undefined;
  /** The secret was rotated (rather than made with the first URL). */
  rotated?: boolean;
  notice?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  const configured = url !== "" && !errors?.length;
  return (
    <>
      <SettingsHeader current="webhooks" notice={notice} />
      {secret ? (
        <SecretReveal
          id="webhook-secret"
          title={rotated ? "New webhook signing secret" : "Webhook saved: its signing secret"}
          value={secret}
          note="Deliveries from now on are signed with it; check Replyby-Signature with it on your server."
        />
      ) : null}
      <section class="card" aria-labelledby="hook-h">
        <h2 id="hook-h">Endpoint</h2>
        <FieldErrors errors={errors} />
        <form method="post" action="/dashboard/settings/webhooks">
          <Csrf token={csrf} />
          <Field label="URL (https, on a public host; leave empty to stop deliveries)" htmlFor="hook-url">
            <input id="hook-url" name="url" type="url" maxLength={2000} value={url} placeholder="https://example.com/hooks/replyby" />
          </Field>
          <fieldset>
            <legend>Events to send</legend>
            {allEvents.map((e) => (
              <label key={e} class="check">
                <input type="checkbox" name="events" value={e} checked={events.includes(e)} /> <code>{e}</code>
              </label>
            ))}
          </fieldset>
          <button type="submit">Save webhook</button>
        </form>
      </section>
      <section class="card" aria-labelledby="secret-h">
        <h2 id="secret-h">Signing secret</h2>
        <p>
          Each delivery carries <code>Replyby-Signature: t=&lt;ms&gt;,v1=&lt;hex&gt;</code>: the hex HMAC-SHA256 of{" "}
          <code>&lt;t&gt;.&lt;body&gt;</code> with this secret. The body is <code>{'{ "id", "event", "data" }'}</code>; the same{" "}
          <code>id</code> comes again on a retry, so de-duplicate by it.
        </p>
        {hasSecret && secretAt !== null ? (
          <p>Generated {when(secretAt, timeZone)}; it was shown only then and cannot be shown again.</p>
        ) : hasSecret ? (
          <p>A secret is set; it cannot be shown. Rotate to get one you can copy.</p>
        ) : (
          <p class="muted">A secret is generated and shown once when you first save a URL.</p>
        )}
        {hasSecret ? (
          <form method="post" action="/dashboard/settings/webhooks/secret">
            <Csrf token={csrf} />
            <p class="muted">Rotating replaces the secret at once: deliveries from then on are signed only with the new one.</p>
            <button type="submit">Rotate signing secret</button>
          </form>
        ) : null}
      </section>
      <section class="card" aria-labelledby="log-h">
        <h2 id="log-h">Deliveries</h2>
        {configured ? (
          <form method="post" action="/dashboard/settings/webhooks/test" class="actions">
            <Csrf token={csrf} />
            <button type="submit" class="secondary">
              Send test
            </button>
            <span class="muted">queues a webhook.test delivery; the next delivery run (every minute) sends it</span>
          </form>
        ) : null}
        {deliveries.length === 0 ? (
          <p class="muted">No deliveries yet.</p>
        ) : (
          <Table columns={["Queued", "Event", "Status", { label: "Attempts", num: true }, "Last error", "Next attempt", ""]}>
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td>{when(d.createdAt, timeZone)}</td>
                <td>
                  <code>{d.event}</code>
                </td>
                <td>
                  {d.status === "sent" && d.deliveredAt !== null
                    ? `sent ${when(d.deliveredAt, timeZone)}`
                    : d.status === "queued" && d.attempts > 0
                      ? "failed, will retry"
                      : d.status}
                </td>
                <td class="num">{d.attempts}</td>
                <td>{d.lastError ?? <span class="muted">—</span>}</td>
                <td>
                  {d.status === "queued" ? (
                    d.nextAttemptAt <= now ? (
                      "due now"
                    ) : (
                      when(d.nextAttemptAt, timeZone)
                    )
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
                <td>
                  {d.status !== "sent" && (d.status !== "queued" || d.nextAttemptAt > now) ? (
                    <form method="post" action={`/dashboard/settings/webhooks/deliveries/${d.id}/retry`}>
                      <Csrf token={csrf} />
                      <button type="submit" class="secondary">
                        Retry now
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </>
  );
}

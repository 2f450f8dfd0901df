import type { FieldError } from "../../../schema/policy.ts";
import { SecretReveal } from "../components/SecretReveal.tsx";
import { SettingsHeader } from "../components/SettingsHeader.tsx";
import { Csrf, Field, FieldErrors, Table } from "../components/ui.tsx";
import { when } from "../format.ts";

/** An API key as listed: its name and prefix, never the key. */
export interface ApiKeyItem {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

/** API keys for the merchant's own API: create (shown once), list by prefix, revoke. */
export function SettingsApiKeysPage({
  csrf,
  origin,
  keys,
  timeZone,
  created,
  notice,
  errors,
}: {
  csrf: string;
  origin: string;
  keys: readonly ApiKeyItem[];
  timeZone: string;
  /** The key just created, on the one response that shows it. */
  created?: { name: string; key: string } | undefined;
  notice?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <>
      <SettingsHeader current="api-keys" notice={notice} />
      {created ? (
        <SecretReveal
          id="api-key"
          title={`API key "${created.name}" created`}
          value={created.key}
          note="Replyby keeps only a hash of it. Send it as Authorization: Bearer <key>."
        />
      ) : null}
      <section class="card" aria-labelledby="keys-h">
        <h2 id="keys-h">API keys</h2>
        <p>
          Your servers use an API key to keep customer accounts current: plan, dues and cases used, which allowances and eligibility read. A
          key reaches only this merchant's accounts. Revoking a key refuses it at once.
        </p>
        {keys.length === 0 ? (
          <p class="muted">No keys yet.</p>
        ) : (
          <Table columns={["Name", "Key", "Created", "Last used", "Status"]}>
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{when(k.createdAt, timeZone)}</td>
                <td>{k.lastUsedAt === null ? <span class="muted">never</span> : when(k.lastUsedAt, timeZone)}</td>
                <td>
                  {k.revokedAt !== null ? (
                    <span class="muted">revoked {when(k.revokedAt, timeZone)}</span>
                  ) : (
                    <form method="post" action={`/dashboard/settings/api-keys/${k.id}/revoke`} class="actions">
                      <Csrf token={csrf} />
                      <span>active</span>
                      <button type="submit" class="secondary" aria-label={`Revoke ${k.name}`}>
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
        <h3>Create a key</h3>
        <FieldErrors errors={errors} />
        <form method="post" action="/dashboard/settings/api-keys">
          <Csrf token={csrf} />
          <div class="actions">
            <Field label="Name (what uses it)" htmlFor="key-name">
              <input id="key-name" name="name" type="text" required maxLength={80} placeholder="Billing sync" />
            </Field>
            <button type="submit">Create key</button>
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="api-h">
        <h2 id="api-h">Updating an account</h2>
        <p>
          <code>PUT /v1/admin/accounts/:id</code> creates or updates one account (201 when new, 200 when updated); fields left out keep
          their value. A missing, unknown or revoked key is answered 401. The full contract is in <a href="/openapi.json">/openapi.json</a>.
        </p>
        <pre class="snippet">{`curl -X PUT ${origin}/v1/admin/accounts/acme \\
  -H "Authorization: Bearer $REPLYBY_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"plan":"professional","duesCurrent":true,"casesUsed":3}'`}</pre>
      </section>
    </>
  );
}

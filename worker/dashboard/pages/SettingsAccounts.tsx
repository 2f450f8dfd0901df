import type { FieldError } from "../../../schema/policy.ts";
import { SettingsHeader } from "../components/SettingsHeader.tsx";
import { Csrf, Field, FieldErrors, Table } from "../components/ui.tsx";
import { when } from "../format.ts";

/** A customer account as the accounts page lists it. */
export interface AccountListItem {
  readonly externalId: string;
  readonly plan: string | null;
  readonly flags: Readonly<Record<string, boolean>>;
  readonly casesUsed: number | null;
  readonly casesUsedAt: number | null;
  readonly subscribedAt: number | null;
  readonly updatedAt: number | null;
  readonly createdAt: number;
}

/** Customer accounts: the list, and the CSV import (all lines or none). */
export function SettingsAccountsPage({
  csrf,
  accounts,
  total,
  columns,
  maxRows,
  maxBytes,
  timeZone,
  notice,
  errors,
}: {
  csrf: string;
  accounts: readonly AccountListItem[];
  total: number;
  columns: readonly string[];
  maxRows: number;
  maxBytes: number;
  timeZone: string;
  notice?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <>
      <SettingsHeader current="accounts" notice={notice} />
      <section class="card" aria-labelledby="import-h">
        <h2 id="import-h">Import accounts from CSV</h2>
        {errors?.length ? (
          <>
            <p class="flash error" role="alert">
              Nothing was imported: fix these lines and upload the file again.
            </p>
            <FieldErrors errors={errors} />
          </>
        ) : null}
        <p>
          A header row, then one account per line. Columns (any order): {columns.map((c, i) => [i ? ", " : "", <code key={c}>{c}</code>])}.
          Only <code>account_id</code> is required: the id your pages sign for identify. An empty cell leaves that value as it is;{" "}
          <code>dues_current</code> is true or false; <code>cases_used</code> counts this allowance period as of the import (cases filed
          through Replyby afterwards are added); <code>subscribed_at</code> is a date such as 2026-11-01 (UTC).
        </p>
        <p class="muted">
          Every line is checked first: if any line is invalid, nothing is imported. Up to {maxRows} accounts and{" "}
          {Math.floor(maxBytes / 1024)} KB per file.
        </p>
        <pre class="snippet">{`account_id,plan,dues_current,cases_used\nacme,professional,true,3\nlapsed,standard,false,`}</pre>
        <form method="post" action="/dashboard/settings/accounts/import" enctype="multipart/form-data">
          <Csrf token={csrf} />
          <Field label="CSV file" htmlFor="accounts-file">
            <input id="accounts-file" name="file" type="file" accept=".csv,text/csv" required />
          </Field>
          <button type="submit">Import</button>
        </form>
      </section>
      <h2>
        Accounts <span class="muted">({total})</span>
      </h2>
      {accounts.length === 0 ? (
        <p class="muted">No accounts yet. Import a CSV above or use the accounts API (see API keys).</p>
      ) : (
        <>
          {total > accounts.length ? <p class="muted">The first {accounts.length} by account id.</p> : null}
          <Table columns={["Account id", "Plan", "Dues current", "Cases used (reported)", "Subscribed", "Updated"]}>
            {accounts.map((a) => (
              <tr key={a.externalId}>
                <td>
                  <code>{a.externalId}</code>
                </td>
                <td>{a.plan ?? <span class="muted">none</span>}</td>
                <td>{a.flags.duesCurrent === undefined ? <span class="muted">not set</span> : a.flags.duesCurrent ? "yes" : "no"}</td>
                <td>
                  {a.casesUsed === null || a.casesUsedAt === null ? (
                    <span class="muted">not reported</span>
                  ) : (
                    <>
                      {a.casesUsed} <span class="muted">as of {when(a.casesUsedAt, timeZone)}</span>
                    </>
                  )}
                </td>
                <td>{a.subscribedAt === null ? <span class="muted">—</span> : when(a.subscribedAt, timeZone)}</td>
                <td>{when(a.updatedAt ?? a.createdAt, timeZone)}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </>
  );
}

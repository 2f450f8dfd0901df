import { staffRoles, type staffStatuses } from "../../../schema/db.ts";
import type { FieldError } from "../../../schema/policy.ts";
import { SettingsHeader } from "../components/SettingsHeader.tsx";
import { Csrf, Field, Table } from "../components/ui.tsx";
import { when } from "../format.ts";

/** A staff member as listed (removed members are not). */
export interface StaffView {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: string;
  readonly status: (typeof staffStatuses)[number];
  readonly inviteExpiresAt: number | null;
  readonly passwordChangedAt: number;
}

const roles = staffRoles.map((r) => ({ id: r, label: r }));

/** A one-button form posting to a staff member's action. */
function Action({
  csrf,
  id,
  action,
  label,
  who,
  danger,
}: {
  csrf: string;
  id: string;
  action: string;
  label: string;
  /** Whom it concerns, for the button's accessible name ("Remove Ana"). */
  who: string;
  danger?: boolean;
}) {
  return (
    <form method="post" action={`/dashboard/settings/staff/${id}/${action}`} class="inline">
      <Csrf token={csrf} />
      <button type="submit" class={danger ? "danger" : "secondary"} aria-label={`${label} ${who}`}>
        {label}
      </button>
    </form>
  );
}

/** An active member can be deactivated; anyone else (deactivated) reactivated. */
const deactivate = { action: "deactivate", label: "Deactivate" };
const reactivate = { action: "reactivate", label: "Reactivate" };

/** The team: members with their role and access, pending invitations, and the invitation form. */
export function SettingsStaffPage({
  csrf,
  selfId,
  members,
  timeZone,
  now,
  notice,
  error,
  errors,
}: {
  csrf: string;
  selfId: string;
  members: readonly StaffView[];
  timeZone: string;
  now: number;
  notice?: string | undefined;
  error?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  const team = members.filter((m) => m.status !== "invited");
  const invited = members.filter((m) => m.status === "invited");
  return (
    <>
      <SettingsHeader current="staff" notice={notice} error={error} errors={errors} />
      <h2>Team</h2>
      <Table columns={["Name", "Email", "Role", "Access", ""]}>
        {team.map((m) => (
          <tr key={m.id}>
            <td>
              {m.name}
              {m.id === selfId ? <span class="muted"> (you)</span> : null}
            </td>
            <td>{m.email}</td>
            <td>
              {m.id === selfId ? (
                m.role
              ) : (
                <form method="post" action={`/dashboard/settings/staff/${m.id}/role`} class="actions">
                  <Csrf token={csrf} />
                  <select name="role" aria-label={`Role of ${m.name}`}>
                    {roles.map((r) => (
                      <option key={r.id} value={r.id} selected={r.id === m.role}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                  <button type="submit" class="secondary">
                    Save
                  </button>
                </form>
              )}
            </td>
            <td>
              {m.status === "active" ? <span class="badge on-track">active</span> : <span class="badge paused">deactivated</span>}
              <div class="muted">password changed {when(m.passwordChangedAt, timeZone)}</div>
            </td>
            <td>
              {m.id === selfId ? (
                <span class="muted">Manage your own login on the Account page</span>
              ) : (
                <div class="actions">
                  <Action csrf={csrf} id={m.id} who={m.name} {...(m.status === "active" ? deactivate : reactivate)} />
                  <Action csrf={csrf} id={m.id} action="remove" label="Remove" who={m.name} danger />
                </div>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <p class="muted">
        Deactivating or removing someone signs them out everywhere at once. Their replies, notes and time entries stay on the tickets, with
        their name. A deactivated member can be reactivated; a removed one can be invited again. The team always keeps at least one active
        admin.
      </p>

      <h2>Pending invitations</h2>
      {invited.length === 0 ? (
        <p class="muted">No invitations waiting to be accepted.</p>
      ) : (
        <Table columns={["Email", "Role", "Expires", ""]}>
          {invited.map((m) => {
            const expired = (m.inviteExpiresAt ?? 0) <= now;
            return (
              <tr key={m.id}>
                <td>
                  {m.email}
                  {m.name ? <span class="muted"> ({m.name})</span> : null}
                </td>
                <td>{m.role}</td>
                <td>
                  {expired ? (
                    <span class="badge breached">expired</span>
                  ) : (
                    <span class="muted">{when(m.inviteExpiresAt ?? 0, timeZone)}</span>
                  )}
                </td>
                <td>
                  <div class="actions">
                    <Action csrf={csrf} id={m.id} action="resend" label="Resend" who={m.email} />
                    <Action csrf={csrf} id={m.id} action="revoke" label="Revoke" who={m.email} danger />
                  </div>
                </td>
              </tr>
            );
          })}
        </Table>
      )}

      <section class="card" aria-labelledby="invite-h">
        <h2 id="invite-h">Invite someone</h2>
        <p class="muted">
          They get an email with a link to choose their own password. The link works once, for 7 days; you can resend or revoke it here.
        </p>
        <form method="post" action="/dashboard/settings/staff">
          <Csrf token={csrf} />
          <div class="actions">
            <Field label="Email" htmlFor="staff-email">
              <input id="staff-email" name="email" type="email" required maxLength={254} />
            </Field>
            <Field label="Name (optional, they can change it)" htmlFor="staff-name">
              <input id="staff-name" name="name" type="text" maxLength={120} />
            </Field>
            <Field label="Role" htmlFor="staff-role">
              <select id="staff-role" name="role">
                {roles.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label}
                  </option>
                ))}
              </select>
            </Field>
            <button type="submit">Send invitation</button>
          </div>
        </form>
      </section>
    </>
  );
}

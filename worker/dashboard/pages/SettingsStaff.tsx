import { staffRoles } from "../../../schema/db.ts";
import type { FieldError } from "../../../schema/policy.ts";
import { SettingsHeader } from "../components/SettingsHeader.tsx";
import { Csrf, Field, Table } from "../components/ui.tsx";
import { when } from "../format.ts";

/** A staff member as listed. */
export interface StaffView {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: string;
  readonly passwordChangedAt: number;
}

const roles = staffRoles.map((r) => ({ id: r, label: r }));

/** Staff users: create, change role, reset password. */
export function SettingsStaffPage({
  csrf,
  selfId,
  members,
  timeZone,
  notice,
  errors,
}: {
  csrf: string;
  selfId: string;
  members: readonly StaffView[];
  timeZone: string;
  notice?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <>
      <SettingsHeader current="staff" notice={notice} errors={errors} />
      <Table columns={["Name", "Email", "Role", "Password"]}>
        {members.map((m) => (
          <tr key={m.id}>
            <td>{m.name}</td>
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
              <span class="muted">changed {when(m.passwordChangedAt, timeZone)}</span>
              {m.id === selfId ? null : (
                <form method="post" action={`/dashboard/settings/staff/${m.id}/password`} class="actions">
                  <Csrf token={csrf} />
                  <input
                    name="password"
                    type="password"
                    autocomplete="new-password"
                    minLength={12}
                    required
                    aria-label={`New password for ${m.name}`}
                  />
                  <button type="submit" class="secondary">
                    Reset password
                  </button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <section class="card" aria-labelledby="new-staff-h">
        <h2 id="new-staff-h">Add a staff member</h2>
        <form method="post" action="/dashboard/settings/staff">
          <Csrf token={csrf} />
          <div class="actions">
            <Field label="Name" htmlFor="staff-name">
              <input id="staff-name" name="name" type="text" required maxLength={120} />
            </Field>
            <Field label="Email" htmlFor="staff-email">
              <input id="staff-email" name="email" type="email" required maxLength={254} />
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
            <Field label="Initial password (at least 12 characters)" htmlFor="staff-password">
              <input id="staff-password" name="password" type="password" autocomplete="new-password" minLength={12} required />
            </Field>
          </div>
          <button type="submit">Add staff member</button>
        </form>
      </section>
    </>
  );
}

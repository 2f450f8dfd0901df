import type { FieldError } from "../../../schema/policy.ts";
import { Csrf, FieldErrors, Flash } from "../components/ui.tsx";
import type { StaffSession } from "../env.ts";

/** The signed-in staff member's own account: change password. */
export function AccountPage({ session, notice, errors }: { session: StaffSession; notice?: string; errors?: FieldError[] }) {
  return (
    <>
      <h1>Your account</h1>
      <Flash message={notice} />
      <section class="card">
        <dl class="facts">
          <dt>Name</dt>
          <dd>{session.staff.name}</dd>
          <dt>Email</dt>
          <dd>{session.staff.email}</dd>
          <dt>Role</dt>
          <dd>{session.staff.role}</dd>
        </dl>
      </section>
      <section class="card">
        <h2>Change password</h2>
        <p class="muted">Changing your password signs you out everywhere else.</p>
        <FieldErrors errors={errors} />
        <form method="post" action="/dashboard/account/password">
          <Csrf token={session.csrf} />
          <div class="field">
            <label htmlFor="current">Current password</label>
            <input id="current" name="current" type="password" autocomplete="current-password" required />
          </div>
          <div class="field">
            <label htmlFor="password">New password (at least 12 characters)</label>
            <input id="password" name="password" type="password" autocomplete="new-password" required minLength={12} />
          </div>
          <button type="submit">Change password</button>
        </form>
      </section>
    </>
  );
}

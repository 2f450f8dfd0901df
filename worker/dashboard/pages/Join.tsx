import type { FieldError } from "../../../schema/policy.ts";
import { FieldErrors } from "../components/ui.tsx";

/** Accepting an invitation: the invited member's name and their own password. */
export function JoinPage({
  token,
  link,
  email,
  name,
  merchant,
  role,
  errors,
}: {
  token: string;
  link: string;
  email: string;
  name: string;
  merchant: string;
  role: string;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <section class="login card">
      <h1>Join {merchant}</h1>
      <p>
        You were invited as {role === "admin" ? "an admin" : "an agent"} with <strong>{email}</strong>. Choose the name your team sees and
        your password.
      </p>
      <FieldErrors errors={errors} />
      <form method="post" action="/dashboard/join">
        <input type="hidden" name="_csrf" value={token} />
        <input type="hidden" name="k" value={link} />
        <input type="text" name="username" autocomplete="username" value={email} hidden readOnly />
        <div class="field">
          <label htmlFor="name">Your name</label>
          <input id="name" name="name" type="text" autocomplete="name" required maxLength={120} value={name} />
        </div>
        <div class="field">
          <label htmlFor="password">Password (at least 12 characters)</label>
          <input id="password" name="password" type="password" autocomplete="new-password" required minLength={12} maxLength={200} />
        </div>
        <button type="submit">Join and sign in</button>
      </form>
    </section>
  );
}

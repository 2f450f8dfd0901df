import { Flash } from "../components/ui.tsx";

/** "Forgot password?": the address to send a reset link to. */
export function ForgotPasswordPage({ token, email, error }: { token: string; email?: string; error?: string | undefined }) {
  return (
    <section class="login card">
      <h1>Reset your password</h1>
      <p class="muted">Enter the email you sign in with. We will email you a link to choose a new password.</p>
      <Flash message={error} error />
      <form method="post" action="/dashboard/forgot">
        <input type="hidden" name="_csrf" value={token} />
        <div class="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required maxLength={254} value={email ?? ""} />
        </div>
        <button type="submit">Email me a reset link</button>
      </form>
      <p>
        <a href="/dashboard/login">Back to sign in</a>
      </p>
    </section>
  );
}

/** The one answer to a reset request, whether or not the address has a login. */
export function ResetSentPage() {
  return (
    <section class="login card">
      <h1>Check your email</h1>
      <p>
        If the address you entered is the email of a Replyby login, a link to choose a new password is on its way. The link works once, for
        one hour.
      </p>
      <p class="muted">Nothing arrived? Check the spam folder, or ask again in a few minutes.</p>
      <p>
        <a href="/dashboard/login">Back to sign in</a>
      </p>
    </section>
  );
}

/** The new-password form a reset link opens. */
export function ResetPasswordPage({
  token,
  link,
  email,
  merchant,
  error,
}: {
  token: string;
  link: string;
  email: string;
  merchant: string;
  error?: string | undefined;
}) {
  return (
    <section class="login card">
      <h1>Choose a new password</h1>
      <p>
        For <strong>{email}</strong> at <strong>{merchant}</strong>. Setting it signs this login out everywhere.
      </p>
      <Flash message={error} error />
      <form method="post" action="/dashboard/reset">
        <input type="hidden" name="_csrf" value={token} />
        <input type="hidden" name="k" value={link} />
        <input type="text" name="username" autocomplete="username" value={email} hidden readOnly />
        <div class="field">
          <label htmlFor="password">New password (at least 12 characters)</label>
          <input id="password" name="password" type="password" autocomplete="new-password" required minLength={12} maxLength={200} />
        </div>
        <button type="submit">Set new password</button>
      </form>
    </section>
  );
}

/** A reset or invitation link that no longer works: the one page, whatever the reason. */
export function LinkExpiredPage({ kind }: { kind: "reset" | "invite" }) {
  return (
    <section class="login card">
      <h1>This link no longer works</h1>
      {kind === "reset" ? (
        <>
          <p>Password reset links work once, for one hour. This one has expired or was already used.</p>
          <p>
            <a href="/dashboard/forgot">Ask for a new link</a> · <a href="/dashboard/login">Sign in</a>
          </p>
        </>
      ) : (
        <>
          <p>This invitation has expired, was withdrawn, or was already accepted. Ask an admin of the team to send a new one.</p>
          <p>
            <a href="/dashboard/login">Sign in</a>
          </p>
        </>
      )}
    </section>
  );
}

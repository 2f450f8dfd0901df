import { Flash } from "../components/ui.tsx";

/** The sign-in form. */
export function LoginPage({
  token,
  next,
  error,
  notice,
  email,
  signup,
}: {
  token: string;
  next: string;
  error?: string;
  notice?: string;
  email?: string;
  /** Whether sign-up is open here (a link to it under the form). */
  signup?: boolean;
}) {
  return (
    <section class="login card">
      <h1>Sign in to Replyby</h1>
      <Flash message={error} error />
      <Flash message={notice} />
      <form method="post" action="/dashboard/login">
        <input type="hidden" name="_csrf" value={token} />
        <input type="hidden" name="next" value={next} />
        <div class="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ""} />
        </div>
        <div class="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit">Sign in</button>
      </form>
      <p>
        <a href="/dashboard/forgot">Forgot password?</a>
      </p>
      {signup ? (
        <p>
          New to Replyby? <a href="/dashboard/signup">Create an account</a>
        </p>
      ) : null}
    </section>
  );
}

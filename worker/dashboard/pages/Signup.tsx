import type { FieldError } from "../../../schema/policy.ts";
import { Field, FieldMessage, Flash, invalid as invalidOf } from "../components/ui.tsx";

/** Sign-up: the merchant's name, the admin's email and password, the language of account emails. */
export function SignupPage({
  token,
  values,
  errors,
  error,
}: {
  token: string;
  values?: { merchant?: string; email?: string; locale?: string };
  errors?: readonly FieldError[] | undefined;
  error?: string | undefined;
}) {
  const invalid = (path: string) => invalidOf(errors, path);
  return (
    <section class="login card">
      <h1>Create your Replyby account</h1>
      <p class="muted">You become the first admin. We email you a link to confirm your address before you sign in.</p>
      <Flash message={error} error />
      <form method="post" action="/dashboard/signup" novalidate>
        <input type="hidden" name="_csrf" value={token} />
        <Field label="Business name" htmlFor="merchant">
          <input
            id="merchant"
            name="merchant"
            type="text"
            required
            maxLength={120}
            value={values?.merchant ?? ""}
            {...invalid("merchant")}
          />
        </Field>
        <FieldMessage errors={errors} path="merchant" />
        <Field label="Your email" htmlFor="email">
          <input id="email" name="email" type="email" autocomplete="username" required value={values?.email ?? ""} {...invalid("email")} />
        </Field>
        <FieldMessage errors={errors} path="email" />
        <Field label="Password (at least 12 characters)" htmlFor="password">
          <input id="password" name="password" type="password" autocomplete="new-password" required {...invalid("password")} />
        </Field>
        <FieldMessage errors={errors} path="password" />
        <Field label="Language of our emails to you" htmlFor="locale">
          <select id="locale" name="locale" {...invalid("locale")}>
            <option value="en" selected={values?.locale !== "es"}>
              English
            </option>
            <option value="es" selected={values?.locale === "es"}>
              Español
            </option>
          </select>
        </Field>
        <FieldMessage errors={errors} path="locale" />
        <button type="submit">Create account</button>
      </form>
      <p>
        Already have a login? <a href="/dashboard/login">Sign in</a>
      </p>
    </section>
  );
}

/** After a sign-up: the same words whether or not the address already had a login. */
export function SignupSentPage({ email }: { email: string }) {
  return (
    <section class="login card">
      <h1>Check your email</h1>
      <p>
        We sent a message to <strong>{email}</strong>. Follow the link in it to confirm your address, then sign in.
      </p>
      <p class="muted">
        The link works once and expires in 24 hours. Nothing arrived? Check your spam folder, or sign in to get a new link.
      </p>
      <p>
        <a href="/dashboard/login">Sign in</a>
      </p>
    </section>
  );
}

/** Sign-up is invite-only on this deployment. */
export function SignupClosedPage() {
  return (
    <section class="login card">
      <h1>Sign-up is by invitation</h1>
      <p>This Replyby server does not take new accounts by sign-up. Ask its operator for an invitation.</p>
      <p>
        Already have a login? <a href="/dashboard/login">Sign in</a>
      </p>
    </section>
  );
}

/** The verification link's landing page: a button, so a mail scanner opening the link confirms nothing. */
export function VerifyPage({ token, k, valid }: { token: string; k: string; valid: boolean }) {
  if (!valid) {
    return (
      <section class="login card">
        <h1>This link has expired or was already used</h1>
        <p>Sign in with your email and password: if your address is not confirmed yet, we send you a new link.</p>
        <p>
          <a href="/dashboard/login">Sign in</a>
        </p>
      </section>
    );
  }
  return (
    <section class="login card">
      <h1>Confirm your email</h1>
      <p>Press the button to confirm your address. Then sign in with your email and password.</p>
      <form method="post" action="/dashboard/verify">
        <input type="hidden" name="_csrf" value={token} />
        <input type="hidden" name="k" value={k} />
        <button type="submit">Confirm my email</button>
      </form>
    </section>
  );
}

/** Sign-in refused until the address is confirmed. */
export function UnverifiedPage({ email, sent }: { email: string; sent: boolean }) {
  return (
    <section class="login card">
      <h1>Confirm your email first</h1>
      <p>
        {sent
          ? `We sent a new confirmation link to ${email}. Follow it, then sign in again.`
          : `We already sent several confirmation links to ${email} this hour. Follow the newest one, or try again in an hour.`}
      </p>
      <p>
        <a href="/dashboard/login">Back to sign in</a>
      </p>
    </section>
  );
}

import type { FieldError } from "../../../schema/policy.ts";
import { FieldErrors } from "../components/ui.tsx";

/** An error page: what went wrong, in words, and a way back. */
export function ErrorPage({
  title,
  detail,
  errors,
  signedIn,
}: {
  title: string;
  detail?: string;
  errors?: FieldError[];
  signedIn: boolean;
}) {
  return (
    <section class="card">
      <h1>{title}</h1>
      {detail && detail !== title ? <p>{detail}</p> : null}
      <FieldErrors errors={errors} />
      <p>{signedIn ? <a href="/dashboard/queue">Back to the queue</a> : <a href="/dashboard/login">Sign in</a>}</p>
    </section>
  );
}

/** One merchant the signed-in email is staff of, with the one-time choice that signs in there. */
export interface MerchantChoice {
  readonly merchant: string;
  readonly role: string;
  readonly choice: string;
}

/** After the password, for an email that is staff of several merchants: where to sign in. */
export function ChooseMerchantPage({ token, next, choices }: { token: string; next: string; choices: readonly MerchantChoice[] }) {
  return (
    <section class="login card">
      <h1>Choose a team</h1>
      <p class="muted">Your email is on more than one team. Which one do you want to work in?</p>
      {choices.map((c) => (
        <form key={c.choice} method="post" action="/dashboard/login/choose" class="field">
          <input type="hidden" name="_csrf" value={token} />
          <input type="hidden" name="next" value={next} />
          <input type="hidden" name="choice" value={c.choice} />
          <button type="submit" class="secondary">
            {c.merchant} <span class="muted">· {c.role}</span>
          </button>
        </form>
      ))}
      <p>
        <a href="/dashboard/login">Back to sign in</a>
      </p>
    </section>
  );
}

import { SecretReveal } from "../components/SecretReveal.tsx";
import { SettingsHeader } from "../components/SettingsHeader.tsx";
import { Csrf } from "../components/ui.tsx";
import { when } from "../format.ts";

/** One site's identity verification: whether a secret is set, the grace period, how to sign. */
export function SettingsIdentityPage({
  csrf,
  site,
  timeZone,
  now,
  graceMs,
  examples,
  identifyCall,
  secret,
  created,
  notice,
}: {
  csrf: string;
  site: { id: string; name: string; siteKey: string; secretAt: number; previousUntil: number | null };
  timeZone: string;
  now: number;
  graceMs: number;
  examples: readonly { language: string; code: string }[];
  identifyCall: string;
  /** The new secret, on the one response that shows it (site created, or secret rotated). */
  secret?: string | undefined;
  /** The site was just created (rather than its secret rotated). */
  created?: boolean;
  notice?: string | undefined;
}) {
  const previousValid = site.previousUntil !== null && site.previousUntil > now;
  return (
    <>
      <SettingsHeader current="sites" notice={notice} />
      <p>
        <a href="/dashboard/settings/sites">← Sites</a>
      </p>
      {secret ? (
        <SecretReveal
          id="identity-secret"
          title={created ? `Site added: ${site.name}'s identity secret` : `New identity secret for ${site.name}`}
          value={secret}
          note={
            previousValid && site.previousUntil !== null
              ? `Put it on your servers as REPLYBY_IDENTITY_SECRET. The previous secret keeps working until ${when(site.previousUntil, timeZone)}.`
              : "Put it on your servers as REPLYBY_IDENTITY_SECRET."
          }
        />
      ) : null}
      <section class="card" aria-labelledby="identity-h">
        <h2 id="identity-h">Identity verification — {site.name}</h2>
        <p>
          When your page tells the widget who the signed-in customer is, Replyby reads their plan, dues and cases used from your customer
          accounts instead of trusting the page. The page proves the account id with a signature your server computes with this site's
          identity secret; a wrong signature is refused.
        </p>
        <dl class="facts">
          <dt>Site key</dt>
          <dd>
            <code>{site.siteKey}</code>
          </dd>
          <dt>Current secret</dt>
          <dd>generated {when(site.secretAt, timeZone)}; it is never shown again after that — rotate to get one you can copy</dd>
          {previousValid && site.previousUntil !== null ? (
            <>
              <dt>Previous secret</dt>
              <dd>still accepted until {when(site.previousUntil, timeZone)}</dd>
            </>
          ) : null}
        </dl>
        <form method="post" action={`/dashboard/settings/sites/${site.id}/identity/rotate`}>
          <Csrf token={csrf} />
          <p class="muted">
            Rotating shows a new secret once. Signatures made with the current one are still accepted for {Math.round(graceMs / 3_600_000)}{" "}
            hours, so you can update your servers; rotating again within that time ends the older secret at once.
          </p>
          <button type="submit">Rotate identity secret</button>
        </form>
      </section>
      <section class="card" aria-labelledby="sign-h">
        <h2 id="sign-h">Signing an account id</h2>
        <p>
          The signature is the hex HMAC-SHA256 of the account id, keyed with the identity secret. Compute it on your server — the secret
          must never reach the browser — for the same account id you use in the accounts API and CSV import.
        </p>
        {examples.map((e) => (
          <div key={e.language}>
            <h3>{e.language}</h3>
            <pre class="snippet" id={`example-${e.language}`}>
              {e.code}
            </pre>
            <button type="button" class="secondary" data-copy={`example-${e.language}`} hidden>
              Copy {e.language} example
            </button>
          </div>
        ))}
        <h3>On the page, after the widget's script tag</h3>
        <pre class="snippet" id="identify-call">
          {identifyCall}
        </pre>
      </section>
    </>
  );
}

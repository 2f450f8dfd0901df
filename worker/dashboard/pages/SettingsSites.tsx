import type { SiteBranding } from "../../../schema/db.ts";
import type { FieldError } from "../../../schema/policy.ts";
import { SettingsHeader } from "../components/SettingsHeader.tsx";
import { Csrf, Field, FieldErrors, invalid, LocalTextFields } from "../components/ui.tsx";

/** A site as the settings page edits it. */
export interface SiteView {
  readonly id: string;
  readonly name: string;
  readonly siteKey: string;
  readonly allowedOrigins: readonly string[];
  readonly branding: SiteBranding;
  readonly defaultLocale: string;
  readonly inboundAddress: string | null;
}

/** The fields of a site every site form shares after name and origins: language and support address. */
export function SiteMoreFields({
  id,
  site,
  errors,
}: {
  id: string;
  site?: SiteView | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <div class="actions site-more">
      <Field label="Widget language (default)" htmlFor={`locale-${id}`}>
        <select id={`locale-${id}`} name="locale" {...invalid(errors, "locale")}>
          <option value="en" selected={(site?.defaultLocale ?? "en") === "en"}>
            English
          </option>
          <option value="es" selected={site?.defaultLocale === "es"}>
            Español
          </option>
        </select>
      </Field>
      <Field label="Support email address (optional: mail Email Routing delivers to it becomes tickets)" htmlFor={`inbound-${id}`}>
        <input
          id={`inbound-${id}`}
          name="inbound"
          type="email"
          maxLength={254}
          value={site?.inboundAddress ?? ""}
          placeholder="help@shop.example"
          {...invalid(errors, "inbound")}
        />
      </Field>
    </div>
  );
}

/** The `<script>` tag a merchant pastes into the storefront. */
export function embedSnippet(origin: string, siteKey: string): string {
  return `<script src="${origin}/widget.js" data-site="${siteKey}" async></script>`;
}

/** Sites: allowed origins, branding and the embed snippet to copy. */
export function SettingsSitesPage({
  csrf,
  origin,
  sites,
  locales,
  notice,
  errors,
  errorSite,
}: {
  csrf: string;
  origin: string;
  sites: readonly SiteView[];
  /** The policy's locales: the widget title may be written in each. */
  locales: readonly string[];
  notice?: string | undefined;
  errors?: readonly FieldError[] | undefined;
  /** The site the errors belong to ("new" for the create form). */
  errorSite?: string | undefined;
}) {
  return (
    <>
      <SettingsHeader current="sites" notice={notice} />
      {sites.map((s) => (
        <section class="card" key={s.id} aria-labelledby={`site-${s.id}`}>
          <h2 id={`site-${s.id}`}>{s.name}</h2>
          <p>
            Site key <code>{s.siteKey}</code> · <a href={`/dashboard/settings/sites/${s.id}/identity`}>Identity verification</a>
          </p>
          <h3>Embed snippet</h3>
          <pre class="snippet" id={`snippet-${s.id}`}>
            {embedSnippet(origin, s.siteKey)}
          </pre>
          <button type="button" class="secondary" data-copy={`snippet-${s.id}`} hidden>
            Copy snippet
          </button>
          {errorSite === s.id ? <FieldErrors errors={errors} /> : null}
          <form method="post" action={`/dashboard/settings/sites/${s.id}`}>
            <Csrf token={csrf} />
            <Field label="Name" htmlFor={`name-${s.id}`}>
              <input id={`name-${s.id}`} name="name" type="text" required maxLength={120} value={s.name} />
            </Field>
            <Field label="Allowed origins (one per line, exactly scheme://host[:port])" htmlFor={`origins-${s.id}`}>
              <textarea id={`origins-${s.id}`} name="origins" rows={4}>
                {s.allowedOrigins.join("\n")}
              </textarea>
            </Field>
            <div class="actions">
              <LocalTextFields
                label="Widget title"
                name="title"
                id={`title-${s.id}`}
                locales={locales}
                value={s.branding.title}
                maxLength={80}
              />
              <Field label="Accent colour (#rrggbb)" htmlFor={`accent-${s.id}`}>
                <input id={`accent-${s.id}`} name="accent" type="text" maxLength={7} value={s.branding.accent ?? ""} />
              </Field>
            </div>
            <SiteMoreFields id={s.id} site={s} errors={errorSite === s.id ? errors : undefined} />
            <button type="submit">Save site</button>
          </form>
        </section>
      ))}
      <section class="card" aria-labelledby="new-site-h">
        <h2 id="new-site-h">Add a site</h2>
        {errorSite === "new" ? <FieldErrors errors={errors} /> : null}
        <form method="post" action="/dashboard/settings/sites">
          <Csrf token={csrf} />
          <Field label="Name" htmlFor="new-site-name">
            <input id="new-site-name" name="name" type="text" required maxLength={120} />
          </Field>
          <Field label="Allowed origins (one per line)" htmlFor="new-site-origins">
            <textarea id="new-site-origins" name="origins" rows={3} />
          </Field>
          <div class="actions">
            <LocalTextFields label="Widget title" name="title" id="new-site-title" locales={locales} value={undefined} maxLength={80} />
            <Field label="Accent colour (#rrggbb)" htmlFor="new-site-accent">
              <input id="new-site-accent" name="accent" type="text" maxLength={7} />
            </Field>
          </div>
          <SiteMoreFields id="new" errors={errorSite === "new" ? errors : undefined} />
          <button type="submit">Add site</button>
        </form>
      </section>
    </>
  );
}

import type { ComponentChildren } from "preact";
import type { FieldError } from "../../../schema/policy.ts";
import type { SiteInstall } from "../../merchant/installs.ts";
import { type OnboardingStep, onboardingSteps, TEAM_SIZE } from "../../signup/onboarding.ts";
import { type StartingPolicyId, startingPolicyDescriptions, startingPolicyIds } from "../../signup/starting-policies.ts";
import { HoursForm } from "../components/HoursForm.tsx";
import { Csrf, Field, FieldMessage, invalid, LocalTextFields, PostOutcome } from "../components/ui.tsx";
import { when } from "../format.ts";
import type { HoursFormValues } from "../hours-form.ts";
import { embedSnippet, SiteMoreFields, type SiteView } from "./SettingsSites.tsx";

const stepTitles: Record<OnboardingStep, string> = {
  policy: "Choose a starting policy",
  hours: "Set business hours and holidays",
  site: "Describe your site",
  install: "Install the widget",
  team: "Invite your team",
};

/** The path of a step's page. */
export const stepPath = (step: OnboardingStep) => `/dashboard/onboarding/${step}`;

/** The head of every checklist page: title, the steps with their state, the outcome of the last post. */
function Head({
  current,
  done,
  notice,
  errors,
  error,
}: {
  current?: OnboardingStep;
  done: Record<OnboardingStep, boolean>;
  notice?: string | undefined;
  errors?: readonly FieldError[] | undefined;
  error?: string | undefined;
}) {
  return (
    <>
      <h1>Get started</h1>
      <nav class="sub-nav" aria-label="Steps">
        <a href="/dashboard/onboarding" aria-current={current === undefined ? "page" : undefined}>
          Overview
        </a>
        {onboardingSteps.map((s, i) => (
          <a key={s} href={stepPath(s)} aria-current={s === current ? "page" : undefined}>
            {`${i + 1}. ${stepTitles[s]}${done[s] ? " ✓" : ""}`}
          </a>
        ))}
      </nav>
      <PostOutcome notice={notice} error={error} errors={errors} />
    </>
  );
}

function StepCard({ step, children }: { step: OnboardingStep; children: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={`step-${step}`}>
      <h2 id={`step-${step}`}>{`Step ${onboardingSteps.indexOf(step) + 1}: ${stepTitles[step]}`}</h2>
      {children}
    </section>
  );
}

/** The checklist: each step, done or not, with a link to it; a finish button once all are done. */
export function OnboardingOverview({
  csrf,
  done,
  complete,
  finished,
  notice,
}: {
  csrf: string;
  done: Record<OnboardingStep, boolean>;
  complete: boolean;
  finished: boolean;
  notice?: string | undefined;
}) {
  return (
    <>
      <Head done={done} notice={notice} />
      <section class="card">
        <p>Five steps take your support from sign-up to the first ticket. This checklist stays in the navigation until you finish it.</p>
        <ol class="checklist">
          {onboardingSteps.map((s, i) => (
            <li key={s}>
              <span class={`badge step-state ${done[s] ? "on-track" : "paused"}`}>{done[s] ? "done" : "to do"}</span>
              <a href={stepPath(s)}>{`${i + 1}. ${stepTitles[s]}`}</a>
            </li>
          ))}
        </ol>
      </section>
      {complete && !finished ? (
        <section class="card">
          <p>Every step is done: your support is live.</p>
          <form method="post" action="/dashboard/onboarding/finish">
            <Csrf token={csrf} />
            <button type="submit">Finish and go to the queue</button>
          </form>
        </section>
      ) : null}
      {finished ? <p class="muted">You finished this checklist. Everything here stays editable in Settings.</p> : null}
    </>
  );
}

/** Step 1: a preset (with how it reads its seed policy) or the blank policy. */
export function PolicyStep({
  csrf,
  version,
  current,
  done,
  errors,
  notice,
}: {
  notice?: string | undefined;
  csrf: string;
  version: number;
  /** The starting policy in force now, when one was chosen. */
  current: StartingPolicyId | undefined;
  done: Record<OnboardingStep, boolean>;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <>
      <Head current="policy" done={done} errors={errors} notice={notice} />
      <StepCard step="policy">
        <p class="muted">
          A starting policy decides your issue types, priorities and due times. Pick the one closest to how you work; you can change every
          rule later in Settings → Policy (JSON editor).
        </p>
        <form method="post" action={stepPath("policy")} novalidate>
          <Csrf token={csrf} />
          <input type="hidden" name="base" value={String(version)} />
          <fieldset class="presets" {...invalid(errors, "start")}>
            <legend>Starting policy</legend>
            {startingPolicyIds.map((id) => (
              <label key={id}>
                <input type="radio" name="start" value={id} checked={current === id} />
                <span>
                  <strong>{startingPolicyDescriptions[id].title}</strong>
                  <span class="reading">{startingPolicyDescriptions[id].reading}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <FieldMessage errors={errors} path="start" />
          <p>
            <button type="submit">Use this policy</button>
          </p>
        </form>
      </StepCard>
    </>
  );
}

/** Step 2: the hours form for one calendar, or a confirmation for a policy with none. */
export function HoursStep({
  csrf,
  version,
  calendar,
  values,
  done,
  errors,
  error,
  notice,
}: {
  notice?: string | undefined;
  csrf: string;
  version: number;
  /** The calendar the form edits; undefined when the policy has none. */
  calendar: string | undefined;
  values: HoursFormValues | null;
  done: Record<OnboardingStep, boolean>;
  errors?: readonly FieldError[] | undefined;
  error?: string | undefined;
}) {
  return (
    <>
      <Head current="hours" done={done} errors={errors} error={error} notice={notice} />
      <StepCard step="hours">
        {calendar === undefined ? (
          <>
            <p>Your policy has no business calendar: every due time runs around the clock, so there are no hours or holidays to set.</p>
            <form method="post" action={stepPath("hours")}>
              <Csrf token={csrf} />
              <input type="hidden" name="base" value={String(version)} />
              <input type="hidden" name="none" value="1" />
              <button type="submit">Keep around-the-clock times</button>
            </form>
          </>
        ) : values === null ? (
          <p>
            Calendar “{calendar}” has more intervals a day than this form shows. Edit it in{" "}
            <a href="/dashboard/settings/policy">Settings → Policy</a>.
          </p>
        ) : (
          <>
            <p class="muted">
              Calendar “{calendar}”: business-hours targets count only this time. Saving makes a new policy version; power users can edit
              the same calendar as JSON in <a href="/dashboard/settings/policy">Settings → Policy</a>.
            </p>
            <HoursForm
              action={stepPath("hours")}
              csrf={csrf}
              version={version}
              calendar={calendar}
              values={values}
              errors={errors}
              submit="Save hours"
            />
          </>
        )}
      </StepCard>
    </>
  );
}

/** Step 3: the site's name, allowed origins, brand colour, language and support address. */
export function SiteStep({
  csrf,
  site,
  locales,
  done,
  errors,
  notice,
}: {
  notice?: string | undefined;
  csrf: string;
  site: SiteView;
  locales: readonly string[];
  done: Record<OnboardingStep, boolean>;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <>
      <Head current="site" done={done} errors={errors} notice={notice} />
      <StepCard step="site">
        <form method="post" action={stepPath("site")} novalidate>
          <Csrf token={csrf} />
          <Field label="Site name" htmlFor="name">
            <input id="name" name="name" type="text" required maxLength={120} value={site.name} {...invalid(errors, "name")} />
          </Field>
          <FieldMessage errors={errors} path="name" />
          <Field label="Allowed origins: the pages that may show the widget, one per line (https://shop.example)" htmlFor="origins">
            <textarea id="origins" name="origins" rows={3} {...invalid(errors, "origins")}>
              {site.allowedOrigins.join("\n")}
            </textarea>
          </Field>
          {(errors ?? [])
            .filter((e) => e.path.startsWith("origins"))
            .map((e) => (
              <p key={e.path + e.message} class="field-error">
                {e.message}
              </p>
            ))}
          <div class="actions">
            <LocalTextFields label="Widget title" name="title" id="title" locales={locales} value={site.branding.title} maxLength={80} />
            <Field label="Brand colour (#rrggbb)" htmlFor="accent">
              <input
                id="accent"
                name="accent"
                type="text"
                maxLength={7}
                value={site.branding.accent ?? ""}
                {...invalid(errors, "accent")}
              />
            </Field>
          </div>
          <FieldMessage errors={errors} path="accent" />
          <SiteMoreFields id="site" site={site} errors={errors} />
          <FieldMessage errors={errors} path="locale" />
          <FieldMessage errors={errors} path="inbound" />
          <button type="submit">Save site</button>
        </form>
      </StepCard>
    </>
  );
}

/** Step 4: the snippet to paste, and whether the widget has called in (or which origin was refused). */
export function InstallStep({
  csrf,
  origin,
  site,
  install,
  zone,
  done,
  notice,
}: {
  csrf: string;
  origin: string;
  site: SiteView;
  install: SiteInstall | undefined;
  zone: string;
  done: Record<OnboardingStep, boolean>;
  notice?: string | undefined;
}) {
  const refusedLast =
    install?.refusedOrigin &&
    install.refusedAt !== null &&
    (install.firstSeenAt === null || install.refusedAt > (install.firstSeenAt ?? 0));
  return (
    <>
      <Head current="install" done={done} notice={notice} />
      <StepCard step="install">
        <p>Paste this tag into every page that should show the help button, just before &lt;/body&gt;:</p>
        <pre class="snippet" id="snippet">
          {embedSnippet(origin, site.siteKey)}
        </pre>
        <button type="button" class="secondary" data-copy="snippet" hidden>
          Copy snippet
        </button>
        <h3>Install check</h3>
        {install?.firstSeenAt ? (
          <p class="install ok" role="status">
            {`Installed: the widget's first request came from ${install.firstSeenOrigin ?? "an allowed origin"} on ${when(install.firstSeenAt, zone)}.`}
          </p>
        ) : (
          <p class="install idle" role="status">
            Waiting for the widget's first request from an allowed origin ({site.allowedOrigins.join(", ") || "none listed yet"}).
          </p>
        )}
        {refusedLast ? (
          <div class="install bad" role="alert">
            <p>{`Refused: a page on ${install?.refusedOrigin} asked for the widget on ${when(install?.refusedAt ?? 0, zone)}, but that origin is not allowed. Its visitors see "support isn't set up for this page yet".`}</p>
            <form method="post" action={`${stepPath("install")}/allow`}>
              <Csrf token={csrf} />
              <input type="hidden" name="origin" value={install?.refusedOrigin ?? ""} />
              <button type="submit">{`Allow ${install?.refusedOrigin}`}</button>
            </form>
          </div>
        ) : null}
        <p>
          <a href={stepPath("install")}>Check again</a>
        </p>
      </StepCard>
    </>
  );
}

/** Step 5: the team, invited on the staff page. */
export function TeamStep({
  staffCount,
  done,
  notice,
}: {
  staffCount: number;
  done: Record<OnboardingStep, boolean>;
  notice?: string | undefined;
}) {
  return (
    <>
      <Head current="team" done={done} notice={notice} />
      <StepCard step="team">
        <p>
          {staffCount >= TEAM_SIZE
            ? `Your team has ${staffCount} people, counting invitations not accepted yet.`
            : "Only you are on the team so far. Invite the people who answer tickets, as agents or admins."}
        </p>
        <p>
          <a href="/dashboard/settings/staff">Open Settings → Staff</a>
        </p>
      </StepCard>
    </>
  );
}

import type { FieldError } from "../../../schema/policy.ts";
import { HoursForm } from "../components/HoursForm.tsx";
import { SettingsHeader } from "../components/SettingsHeader.tsx";
import type { HoursFormValues } from "../hours-form.ts";

/** Business hours, time zone, holidays and overrides of one calendar as a form (the JSON editor edits the same). */
export function SettingsHoursPage({
  csrf,
  version,
  names,
  calendar,
  values,
  notice,
  error,
  errors,
}: {
  csrf: string;
  version: number;
  names: readonly string[];
  calendar: string | undefined;
  values: HoursFormValues | null;
  notice?: string | undefined;
  error?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <>
      <SettingsHeader current="hours" notice={notice} error={error} errors={errors} />
      {names.length > 1 ? (
        <nav class="sub-nav" aria-label="Calendars">
          {names.map((n) => (
            <a
              key={n}
              href={`/dashboard/settings/hours?calendar=${encodeURIComponent(n)}`}
              aria-current={n === calendar ? "page" : undefined}
            >
              {`Calendar “${n}”`}
            </a>
          ))}
        </nav>
      ) : null}
      <section class="card">
        {calendar === undefined ? (
          <p>This policy has no business calendar: every due time runs around the clock. Add one in the policy's JSON.</p>
        ) : values === null ? (
          <p>Calendar “{calendar}” has more intervals a day than this form shows: edit it in the policy's JSON.</p>
        ) : (
          <>
            <h2>{`Calendar “${calendar}”`}</h2>
            <HoursForm
              action="/dashboard/settings/hours"
              csrf={csrf}
              version={version}
              calendar={calendar}
              values={values}
              errors={errors}
              submit={`Save as version ${version + 1}`}
            />
          </>
        )}
      </section>
    </>
  );
}

import type { FieldError } from "../../../schema/policy.ts";
import { SettingsHeader } from "../components/SettingsHeader.tsx";
import { Csrf, Field } from "../components/ui.tsx";

/** Holidays of each business calendar; a save is a new policy version. */
export function SettingsHolidaysPage({
  csrf,
  version,
  calendars,
  notice,
  errors,
}: {
  csrf: string;
  version: number;
  calendars: readonly { name: string; timeZone: string; holidays: string }[];
  notice?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <>
      <SettingsHeader current="holidays" notice={notice} errors={errors} />
      {calendars.map((cal) => (
        <section class="card" key={cal.name}>
          <h2>Calendar “{cal.name}”</h2>
          <p class="muted">
            Whole local dates in {cal.timeZone}, one per line (YYYY-MM-DD). Hours that start on a holiday do not count; work on one is
            billed at the holiday rate.
          </p>
          <form method="post" action="/dashboard/settings/holidays">
            <Csrf token={csrf} />
            <input type="hidden" name="base" value={String(version)} />
            <input type="hidden" name="calendar" value={cal.name} />
            <Field label="Holidays" htmlFor={`holidays-${cal.name}`}>
              <textarea id={`holidays-${cal.name}`} name="holidays" rows={10}>
                {cal.holidays}
              </textarea>
            </Field>
            <button type="submit">Save as version {version + 1}</button>
          </form>
        </section>
      ))}
    </>
  );
}

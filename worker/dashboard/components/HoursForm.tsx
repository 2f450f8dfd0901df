import { weekdays } from "../../../schema/hours.ts";
import type { FieldError } from "../../../schema/policy.ts";
import { type HoursFormValues, SLOTS_PER_DAY, slotName } from "../hours-form.ts";
import { Csrf, Field, FieldMessage, invalid } from "./ui.tsx";

const dayNames: Record<(typeof weekdays)[number], string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};

// IANA zones the runtime knows, for the picker (the schema accepts exactly these).
const zones = Intl.supportedValuesOf("timeZone");

/**
 * A business calendar as a form: time zone, a weekly grid (up to three intervals a day: split
 * shifts, and overnight ones whose end is before their start), holidays and date overrides.
 * Posts `calendar`, `base` and the fields `calendarFromForm` reads.
 */
export function HoursForm({
  action,
  csrf,
  version,
  calendar,
  values,
  errors,
  submit,
}: {
  action: string;
  csrf: string;
  version: number;
  calendar: string;
  values: HoursFormValues;
  errors?: readonly FieldError[] | undefined;
  submit: string;
}) {
  const options = zones.includes(values.timeZone) || !values.timeZone ? zones : [values.timeZone, ...zones];
  return (
    <form method="post" action={action} novalidate>
      <Csrf token={csrf} />
      <input type="hidden" name="base" value={String(version)} />
      <input type="hidden" name="calendar" value={calendar} />
      <Field label="Time zone" htmlFor="timeZone">
        <select id="timeZone" name="timeZone" {...invalid(errors, "timeZone")}>
          {options.map((z) => (
            <option key={z} value={z} selected={z === values.timeZone}>
              {z}
            </option>
          ))}
        </select>
      </Field>
      <FieldMessage errors={errors} path="timeZone" />
      <h3>Weekly hours</h3>
      <p class="muted">
        Leave a day empty to close it. Use a second or third row for a split shift. An end before its start runs overnight into the next day
        (22:00 to 06:00), and 00:00 as an end means midnight.
      </p>
      <FieldMessage errors={errors} path="hours" />
      <table class="week">
        <thead>
          <tr>
            <th>Day</th>
            {Array.from({ length: SLOTS_PER_DAY }, (_, i) => (
              <th key={i}>{i === 0 ? "Hours" : `Another interval (optional)`}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weekdays.map((day) => (
            <tr key={day}>
              <th scope="row">{dayNames[day]}</th>
              {Array.from({ length: SLOTS_PER_DAY }, (_, i) => {
                const start = slotName(day, i, "start");
                const end = slotName(day, i, "end");
                return (
                  <td key={i}>
                    <SlotTime day={day} slot={i} edge="start" values={values} errors={errors} /> to{" "}
                    <SlotTime day={day} slot={i} edge="end" values={values} errors={errors} />
                    <FieldMessage errors={errors} path={start} />
                    <FieldMessage errors={errors} path={end} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <div class="grid">
        <DateLines name="holidays" label="Holidays (one date per line, YYYY-MM-DD)" values={values} errors={errors} />
        <DateLines
          name="overrides"
          label="Overrides (a date, then its hours or “closed”: 2026-12-24 09:00-13:00)"
          values={values}
          errors={errors}
        />
      </div>
      <p class="muted">
        Hours that start on a holiday do not count. An override replaces one date's hours, even on a holiday (open a holiday morning, or
        close a normal day).
      </p>
      <button type="submit">{submit}</button>
    </form>
  );
}

/** The holidays or the overrides: a date a line, with the field's error (`name` is its id and path too). */
function DateLines({
  name,
  label,
  values,
  errors,
}: {
  name: "holidays" | "overrides";
  label: string;
  values: HoursFormValues;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <div>
      <Field label={label} htmlFor={name}>
        <textarea id={name} name={name} rows={8} {...invalid(errors, name)}>
          {values[name]}
        </textarea>
      </Field>
      <FieldMessage errors={errors} path={name} />
    </div>
  );
}

/** One end of a day's interval: a time input named (and identified) by its slot, labelled for screen readers. */
function SlotTime({
  day,
  slot,
  edge,
  values,
  errors,
}: {
  day: (typeof weekdays)[number];
  slot: number;
  edge: "start" | "end";
  values: HoursFormValues;
  errors?: readonly FieldError[] | undefined;
}) {
  const name = slotName(day, slot, edge);
  return (
    <input
      type="time"
      name={name}
      id={name}
      aria-label={`${dayNames[day]} interval ${slot + 1} ${edge}`}
      value={values.slots[name] ?? ""}
      {...invalid(errors, name)}
    />
  );
}

import type { ComponentChildren } from "preact";
import type { FieldError, LocalText } from "../../../schema/policy.ts";
import { slaAt } from "../../engine/sla.ts";
import { countdown, isoAt } from "../format.ts";

/** The hidden form token every dashboard form posts. */
export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

const stateText: Record<string, string> = {
  "on-track": "on track",
  "at-risk": "at risk",
  breached: "breached",
  paused: "paused",
};

/** Where a ticket stands at `now`, by the SLA rule on its stored instants rather than the cron's last flip. */
export function liveState(t: { status: string; next_due_at: number | null; at_risk_at: number | null }, now: number) {
  if (t.status === "waiting-on-customer") return "waiting";
  if (t.status === "resolved" || t.status === "closed") return "done";
  return slaAt({ nextDueAt: t.next_due_at, atRiskAt: t.at_risk_at }, now);
}

/** The SLA state badge: on track, at risk, breached, paused or waiting on customer. */
export function SlaBadge({ state }: { state: string }) {
  if (state === "waiting") return <span class="badge waiting">waiting on customer</span>;
  if (state === "done") return <span class="badge paused">done</span>;
  return <span class={`badge ${state}`}>{stateText[state] ?? state}</span>;
}

/** A countdown to a due instant; the script keeps it current. */
export function Countdown({ due, now }: { due: number; now: number }) {
  return (
    <time datetime={isoAt(due)} data-countdown="" class={due <= now ? "overdue" : undefined}>
      {countdown(due, now)}
    </time>
  );
}

/** A success or error message at the top of a page. */
export function Flash({ message, error }: { message?: string | undefined; error?: boolean }) {
  if (!message) return null;
  return (
    <p class={error ? "flash error" : "flash"} role={error ? "alert" : "status"}>
      {message}
    </p>
  );
}

/** The outcome of the last post, as a page shows it under its title: the notice, the error, the fields refused. */
export function PostOutcome({
  notice,
  error,
  errors,
}: {
  notice?: string | undefined;
  error?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <>
      <Flash message={notice} />
      <Flash message={error} error />
      <FieldErrors errors={errors} />
    </>
  );
}

/** Field-level errors, each with the path it concerns. */
export function FieldErrors({ errors }: { errors?: readonly FieldError[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <ul class="errors" role="alert">
      {errors.map((e) => (
        <li key={`${e.path}:${e.message}`}>
          <code>{e.path}</code>: {e.message}
        </li>
      ))}
    </ul>
  );
}

/** The message of one field's error, for under the field (`id` `<path>-error`, which `invalid` points to). */
export function FieldMessage({ errors, path }: { errors?: readonly FieldError[] | undefined; path: string }) {
  const e = errors?.find((x) => x.path === path);
  return e ? (
    <p class="field-error" id={`${path}-error`}>
      {e.message}
    </p>
  ) : null;
}

/** The attributes that mark a field invalid and tie it to its message, when `errors` has one for `path`. */
export function invalid(errors: readonly FieldError[] | undefined, path: string): { "aria-invalid"?: true; "aria-describedby"?: string } {
  return errors?.some((e) => e.path === path) ? { "aria-invalid": true, "aria-describedby": `${path}-error` } : {};
}

/** A labelled form field. */
export function Field({ label, htmlFor, children }: { label: string; htmlFor: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
    </div>
  );
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language" });

/**
 * One field per locale for a text customers read (`name`, then `name.<locale>`), read back by
 * `FormCheck.localText`. With one locale it is a single plain field.
 */
export function LocalTextFields({
  label,
  name,
  id,
  locales,
  value,
  maxLength,
  required,
  multiline,
}: {
  label: string;
  name: string;
  id: string;
  locales: readonly string[];
  value: LocalText | undefined;
  maxLength: number;
  required?: boolean;
  multiline?: boolean;
}) {
  return (
    <>
      {locales.map((locale, i) => {
        const fieldName = i === 0 ? name : `${name}.${locale}`;
        const fieldId = i === 0 ? id : `${id}-${locale}`;
        // A single string was written for every locale: it fills the first field only.
        const text = typeof value === "string" ? (i === 0 ? value : "") : (value?.[locale] ?? "");
        const props = { id: fieldId, name: fieldName, maxLength, required: i === 0 && required };
        return (
          <Field
            key={locale}
            label={locales.length > 1 ? `${label} (${languageNames.of(locale) ?? locale}${i === 0 ? "" : ", optional"})` : label}
            htmlFor={fieldId}
          >
            {multiline ? <textarea {...props}>{text}</textarea> : <input {...props} type="text" value={text} />}
          </Field>
        );
      })}
    </>
  );
}

/** A select of id/label options. */
export function Select({
  id,
  name,
  options,
  value,
  blank,
}: {
  id: string;
  name: string;
  options: readonly { id: string; label: string }[];
  value?: string | undefined;
  blank?: string;
}) {
  return (
    <select id={id} name={name}>
      {blank !== undefined ? <option value="">{blank}</option> : null}
      {options.map((o) => (
        <option key={o.id} value={o.id} selected={o.id === value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** A column heading: its text, or with `num` for right-aligned figures. */
export type Column = string | { label: string; num: true };

/** A data table with one heading row; its rows are the children. */
export function Table({ columns, children }: { columns: readonly Column[]; children: ComponentChildren }) {
  return (
    <table>
      <thead>
        <tr>
          {columns.map((c) =>
            typeof c === "string" ? (
              <th key={c}>{c}</th>
            ) : (
              <th key={c.label} class="num">
                {c.label}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

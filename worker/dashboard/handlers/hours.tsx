import type { Context } from "hono";
import type { CalendarInput, FieldError } from "../../../schema/policy.ts";
import { ApiError, problemStatus } from "../../errors.ts";
import { database } from "../../infra/db.ts";
import { policyRow, savePolicyVersion } from "../../merchant/policy-admin.ts";
import type { DashEnv } from "../env.ts";
import type { Form } from "../forms.ts";
import { calendarFromForm, type HoursFormValues, hoursFormOf, hoursValuesOf } from "../hours-form.ts";

type PolicyBody = { timeZone?: string; calendars?: Record<string, CalendarInput> };

/** What the hours form shows: the calendar it edits (the one asked for, else the first), its values, the version. */
export async function hoursView(c: Context<DashEnv>, asked?: string) {
  const { id, policyVersion } = c.var.session.merchant;
  const row = await policyRow(database(c.env.DB), id, policyVersion);
  const calendars = (row.body as PolicyBody).calendars ?? {};
  const names = Object.keys(calendars);
  const name = asked && Object.hasOwn(calendars, asked) ? asked : names[0];
  const cal = name === undefined ? undefined : calendars[name];
  return { version: policyVersion, names, calendar: name, values: cal ? hoursFormOf(cal) : null };
}

/**
 * Saves a posted hours form as a new policy version: the calendar it names, rebuilt from the
 * form and validated by the calendar schema (field-level errors), then the whole policy. The
 * policy's own zone follows the calendar's when the two were the same.
 */
export async function saveHours(
  c: Context<DashEnv>,
  form: Form,
): Promise<{ ok: true } | { ok: false; status: number; errors?: FieldError[]; error?: string; values: HoursFormValues }> {
  const values = hoursValuesOf(form);
  const db = database(c.env.DB);
  const { id, policyVersion } = c.var.session.merchant;
  const base = Number(form.base);
  try {
    if (!Number.isInteger(base) || base < 1) throw new ApiError("validation-failed", "The form is missing its policy version");
    const row = await policyRow(db, id, policyVersion);
    const body = structuredClone(row.body) as PolicyBody;
    const name = form.calendar ?? "";
    const calendar = body.calendars && Object.hasOwn(body.calendars, name) ? body.calendars[name] : undefined;
    if (!body.calendars || !calendar) {
      throw new ApiError("validation-failed", undefined, { errors: [{ path: "calendar", message: "Unknown calendar" }] });
    }
    const parsed = calendarFromForm(values, calendar);
    if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors, values };
    if (body.timeZone === calendar.timeZone) body.timeZone = parsed.calendar.timeZone;
    body.calendars[name] = parsed.calendar;
    await savePolicyVersion(db, id, base, body, row.preset, c.var.now);
  } catch (e) {
    if (e instanceof ApiError && (e.code === "validation-failed" || e.code === "conflict")) {
      return { ok: false, status: problemStatus[e.code], ...(e.errors ? { errors: e.errors } : { error: e.message }), values };
    }
    throw e;
  }
  return { ok: true };
}

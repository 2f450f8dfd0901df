import { type Weekday, weekdays } from "../../schema/hours.ts";
import { type CalendarInput, type FieldError, parseCalendar } from "../../schema/policy.ts";
import type { Form } from "./forms.ts";

/** Interval rows the weekly grid offers per day (a split shift and an overnight one fit). */
export const SLOTS_PER_DAY = 3;

/** The hours form's fields as text, exactly as drawn and posted back. */
export interface HoursFormValues {
  readonly timeZone: string;
  /** `mon.0.start` → "09:00" … */
  readonly slots: Readonly<Record<string, string>>;
  /** One date per line. */
  readonly holidays: string;
  /** One date per line, then its intervals ("2026-12-24 08:30-12:00, 13:00-15:00") or "closed". */
  readonly overrides: string;
}

/** The form's field name of one end of one interval. */
export const slotName = (day: Weekday, i: number, end: "start" | "end") => `${day}.${i}.${end}`;

/** The form values of a calendar; null when a day has more intervals than the grid shows (the JSON editor can). */
export function hoursFormOf(cal: CalendarInput): HoursFormValues | null {
  const slots: Record<string, string> = {};
  for (const day of weekdays) {
    const list = cal.hours[day] ?? [];
    if (list.length > SLOTS_PER_DAY) return null;
    list.forEach(([s, e], i) => {
      slots[slotName(day, i, "start")] = s;
      slots[slotName(day, i, "end")] = e;
    });
  }
  const overrides = Object.entries(cal.overrides ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, list]) => `${date} ${list.length ? list.map(([s, e]) => `${s}-${e}`).join(", ") : "closed"}`)
    .join("\n");
  return { timeZone: cal.timeZone, slots, holidays: (cal.holidays ?? []).join("\n"), overrides };
}

/** The posted form as values to draw again (after errors). */
export function hoursValuesOf(form: Form): HoursFormValues {
  const slots: Record<string, string> = {};
  for (const day of weekdays) {
    for (let i = 0; i < SLOTS_PER_DAY; i++) {
      for (const end of ["start", "end"] as const) slots[slotName(day, i, end)] = (form[slotName(day, i, end)] ?? "").trim();
    }
  }
  return { timeZone: (form.timeZone ?? "").trim(), slots, holidays: form.holidays ?? "", overrides: form.overrides ?? "" };
}

const TIME = /^\d{2}:\d{2}(?::\d{2})?$/;

/**
 * The calendar a posted hours form describes (keeping the breaks of `base`, which the form does not
 * show), validated by the one calendar schema; every error names the form field it belongs to.
 */
export function calendarFromForm(
  values: HoursFormValues,
  base: CalendarInput,
): { ok: true; calendar: CalendarInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const hours: Partial<Record<Weekday, [string, string][]>> = {};
  // Which form row each interval of a day came from, so schema errors point at the right row.
  const rows: Partial<Record<Weekday, number[]>> = {};
  for (const day of weekdays) {
    for (let i = 0; i < SLOTS_PER_DAY; i++) {
      const s = values.slots[slotName(day, i, "start")] ?? "";
      const e = values.slots[slotName(day, i, "end")] ?? "";
      if (!s && !e) continue;
      if (!s || !e) {
        errors.push({ path: slotName(day, i, s ? "end" : "start"), message: "Give both a start and an end, or neither" });
        continue;
      }
      hours[day] = [...(hours[day] ?? []), [s, e]];
      rows[day] = [...(rows[day] ?? []), i];
    }
  }
  const holidays: string[] = [];
  values.holidays.split(/\r?\n/).forEach((line) => {
    const date = line.trim();
    if (date) holidays.push(date);
  });
  const overrides: Record<string, [string, string][]> = {};
  const overrideLines: Record<string, number> = {};
  values.overrides.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(\S+)\s+(.+)$/.exec(line);
    const where = `Line ${n + 1}`;
    if (!m) {
      errors.push({ path: "overrides", message: `${where}: write a date, then its hours (09:00-13:00) or "closed"` });
      return;
    }
    const [, date = "", rest = ""] = m;
    if (Object.hasOwn(overrides, date)) {
      errors.push({ path: "overrides", message: `${where}: ${date} is listed twice` });
      return;
    }
    const spans: [string, string][] = [];
    if (!/^closed$/i.test(rest.trim())) {
      for (const part of rest.split(",")) {
        const [s = "", e = ""] = part.split("-").map((t) => t.trim());
        if (!TIME.test(s) || !TIME.test(e)) {
          errors.push({ path: "overrides", message: `${where}: "${part.trim()}" is not hours such as 09:00-13:00` });
          return;
        }
        spans.push([s, e]);
      }
    }
    overrides[date] = spans;
    overrideLines[date] = n + 1;
  });
  if (errors.length) return { ok: false, errors };
  const calendar: CalendarInput = {
    timeZone: values.timeZone,
    hours,
    holidays,
    overrides,
    ...(base.breaks && Object.keys(base.breaks).length ? { breaks: base.breaks } : {}),
  };
  const parsed = parseCalendar(calendar);
  if (parsed.ok) return { ok: true, calendar };
  return {
    ok: false,
    errors: parsed.errors.map((e) => ({
      path: fieldOf(e.path, rows, holidays, overrideLines),
      message: messageOf(e, holidays, overrideLines),
    })),
  };
}

// "hours.mon[1][0]" → the start field of the row that interval came from; holidays and overrides
// are one text area each (the message names the line).
function fieldOf(path: string, rows: Partial<Record<Weekday, number[]>>, _holidays: string[], _lines: Record<string, number>): string {
  const m = /^hours\.(\w+)\[(\d+)\](?:\[(\d)\])?/.exec(path);
  if (m) {
    const day = m[1] as Weekday;
    const row = rows[day]?.[Number(m[2])] ?? 0;
    return slotName(day, row, m[3] === "1" ? "end" : "start");
  }
  if (path.startsWith("holidays")) return "holidays";
  if (path.startsWith("overrides")) return "overrides";
  if (path.startsWith("breaks")) return "breaks";
  if (path === "timeZone") return "timeZone";
  return "hours";
}

function messageOf(e: FieldError, holidays: string[], lines: Record<string, number>): string {
  const h = /^holidays\[(\d+)\]/.exec(e.path);
  if (h) return `Line ${Number(h[1]) + 1} (“${holidays[Number(h[1])] ?? ""}”): ${e.message}`;
  const o = /^overrides\.([^[]+)/.exec(e.path);
  if (o) return lines[o[1] as string] ? `Line ${lines[o[1] as string]} (${o[1]}): ${e.message}` : `${o[1]}: ${e.message}`;
  return e.message;
}

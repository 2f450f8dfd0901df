import type { AllowanceReason } from "./account.ts";
import type { BillingReason } from "./billing.ts";
import type { Duration } from "./duration.ts";
import type { Locale } from "./format.ts";
import { HOUR, MINUTE, SECOND } from "./zone.ts";

type Parts = { days: number; hours: number; minutes: number; seconds: number };

/** What a billing sentence may say, already formatted: the category, rates, increment, when work resumes. */
export interface BillingFacts {
  readonly category: string;
  readonly rate: string;
  readonly increment: string;
  /** Out of hours: the reply-by of waiting for support hours and of having it addressed now. */
  readonly waitDue: string;
  readonly nowDue: string;
  /** The terms of waiting: "free", or the standard rate. */
  readonly waitTerms: string;
}

/** What an allowance sentence may say, already formatted. */
export interface AllowanceFacts {
  readonly used: number;
  readonly included: number;
  readonly period: string;
  /** The price of a chargeable case, when the policy states one ("" otherwise). */
  readonly price: string;
  /** Setup assistance: the free time left, and until when. */
  readonly left: string;
  readonly until: string;
}

const withPrice = (price: string) => (price ? ` (${price})` : "");

/** The one unit a duration is written in ("days", 3), or undefined when it needs several. */
function singleUnit(d: Duration): [keyof Parts, number] | undefined {
  const parts = Object.entries(split(d)).filter(([, n]) => n !== 0) as [keyof Parts, number][];
  return parts.length === 1 ? parts[0] : undefined;
}

/** Which target a cut-off sentence is about. */
export type TargetKind = "firstResponse" | "resolution";

function split(d: Duration): Parts {
  const ms = d.ms;
  return {
    days: d.days,
    hours: Math.floor(ms / HOUR),
    minutes: Math.floor((ms % HOUR) / MINUTE),
    seconds: Math.floor((ms % MINUTE) / SECOND),
  };
}

const doneWord: Record<TargetKind, string> = { firstResponse: "answered", resolution: "resolved" };
const targetWord: Record<TargetKind, string> = { firstResponse: "First response", resolution: "Resolution" };
const esTargetWord: Record<TargetKind, string> = { firstResponse: "Respuesta", resolution: "Resolución" };

const en = {
  duration(d: Duration, business: boolean): string {
    const p = split(d);
    const b = business ? "business " : "";
    const unit = (n: number, one: string) => `${n} ${b}${one}${n === 1 ? "" : "s"}`;
    const out: string[] = [];
    if (p.days) out.push(unit(p.days, "day"));
    if (p.hours) out.push(unit(p.hours, "hour"));
    if (p.minutes) out.push(unit(p.minutes, "minute"));
    if (p.seconds) out.push(unit(p.seconds, "second"));
    return out.length ? out.join(" and ") : "no time";
  },
  /** "2–6 hours" when both ends share one unit, else "90 minutes to 2 hours". */
  range(a: Duration, b: Duration, business: boolean): string {
    const ua = singleUnit(a);
    const ub = singleUnit(b);
    if (ua && ub && ua[0] === ub[0]) {
      const unit = { days: "day", hours: "hour", minutes: "minute", seconds: "second" }[ua[0]];
      return `${ua[1]}–${ub[1]} ${business ? "business " : ""}${unit}${ub[1] === 1 ? "" : "s"}`;
    }
    return `${en.duration(a, business)} to ${en.duration(b, business)}`;
  },
  increment(d: Duration): string {
    const minutes = Math.round(d.ms / MINUTE) + d.days * 1440;
    return minutes % 60 === 0 ? `${minutes / 60}-hour` : `${minutes}-minute`;
  },
  sameDay: (cutoff: string) => `the same business day if received by ${cutoff}, else the next business day`,
  /** A midnight cut-off: nothing arrives before it, so the target is the next business day's close. */
  nextBusinessDay: () => "the end of the next business day",
  received: (at: string) => `Received ${at}.`,
  cutoffSameDay: (kind: TargetKind, cutoff: string, due: string) =>
    `Received on a business day by the ${cutoff} cut-off: ${doneWord[kind]} by that day's close, ${due}.`,
  cutoffNextDay: (kind: TargetKind, cutoff: string, due: string) =>
    `Received after the ${cutoff} cut-off: ${doneWord[kind]} by the next business day's close, ${due}.`,
  cutoffClosedDay: (kind: TargetKind, due: string) =>
    `Received on a day without support hours: ${doneWord[kind]} by the next business day's close, ${due}.`,
  byEndOfBusinessDay: (kind: TargetKind, due: string) => `${targetWord[kind]} by the end of the business day: ${due}.`,
  byEndOfNextBusinessDay: (kind: TargetKind, due: string) => `${targetWord[kind]} by the end of the next business day: ${due}.`,
  aroundTheClock: (priority: string) => `${priority}: answered around the clock.`,
  businessTimeOnly: (next: string) => `Only support hours count toward this target; the clock starts ${next}.`,
  firstResponse: (target: string, due: string) => `First response within ${target}: by ${due}.`,
  resolution: (target: string, due: string) => `Resolution within ${target}: by ${due}.`,
  resolutionRange: (target: string, earliest: string, latest: string) => `Resolution in ${target}: between ${earliest} and ${latest}.`,
  extraResolution: (issueType: string, extra: string) => `${issueType} adds ${extra} to the resolution target.`,
  downgrade: (to: string, target: string, earliest: string, latest: string) =>
    `Priority reduced to ${to} within ${target}: between ${earliest} and ${latest}.`,
  restartOnReply: () => "If we ask for more information, the first-response clock starts again when you reply.",
  quoteWorkflow: () => "Feature requests get a priced quote to accept before any work is planned.",
  openNow: () => "Support is working now.",
  closedNow: (next: string) => `Support is closed now; it reopens ${next}.`,
  /** One sentence per reason work is charged or included. */
  billing: {
    included: (f: BillingFacts) => `${f.category}: included in your plan, no charge.`,
    "included-out-of-hours": (f: BillingFacts) => `${f.category}: included, no charge, even outside support hours.`,
    "billable-category": (f: BillingFacts) => `${f.category} is billable at ${f.rate}/hour in ${f.increment} increments.`,
    "out-of-hours": (f: BillingFacts) =>
      `Outside support hours: ${f.category} can wait for support hours (reply by ${f.waitDue}, ${f.waitTerms}) or be addressed now at ${f.rate}/hour in ${f.increment} increments (reply by ${f.nowDue}).`,
  } satisfies Record<BillingReason, (f: BillingFacts) => string>,
  holidayRate: () => "Today is a holiday: the holiday rate applies.",
  free: () => "free",
  atRate: (rate: string) => `${rate}/hour`,
  /** One sentence per reason a case is free or chargeable. */
  allowance: {
    "not-covered": (f: AllowanceFacts) => `Not covered by product support: handled as a chargeable case${withPrice(f.price)}.`,
    "allowance-left": (f: AllowanceFacts) => `${f.used} of ${f.included} free cases used this ${f.period}: this case is free.`,
    "allowance-used": (f: AllowanceFacts) =>
      `${f.used} of ${f.included} free cases used this ${f.period}: this case is chargeable${withPrice(f.price)}.`,
    "setup-assistance": (f: AllowanceFacts) => `Setup assistance: ${f.left} of free help left, usable until ${f.until}.`,
  } satisfies Record<AllowanceReason, (f: AllowanceFacts) => string>,
  allowanceUnknown: () => "Free cases depend on your plan; we'll confirm if this one is chargeable.",
  period: (p: "month" | "year"): string => p,
  requirement: (message: string) => `Note: ${message}`,
};

const es: typeof en = {
  duration(d: Duration, business: boolean): string {
    const p = split(d);
    const unit = (n: number, one: string, many: string) =>
      `${n} ${n === 1 ? one : many}${business ? (n === 1 ? " laborable" : " laborables") : ""}`;
    const out: string[] = [];
    if (p.days) out.push(unit(p.days, "día", "días"));
    if (p.hours) out.push(unit(p.hours, "hora", "horas"));
    if (p.minutes) out.push(unit(p.minutes, "minuto", "minutos"));
    if (p.seconds) out.push(unit(p.seconds, "segundo", "segundos"));
    return out.length ? out.join(" y ") : "sin tiempo";
  },
  range(a: Duration, b: Duration, business: boolean): string {
    const ua = singleUnit(a);
    const ub = singleUnit(b);
    if (ua && ub && ua[0] === ub[0]) {
      const [one, many] = {
        days: ["día", "días"],
        hours: ["hora", "horas"],
        minutes: ["minuto", "minutos"],
        seconds: ["segundo", "segundos"],
      }[ua[0]] as [string, string];
      const plural = ub[1] !== 1;
      return `${ua[1]}–${ub[1]} ${plural ? many : one}${business ? (plural ? " laborables" : " laborable") : ""}`;
    }
    return `${es.duration(a, business)} a ${es.duration(b, business)}`;
  },
  increment(d: Duration): string {
    const minutes = Math.round(d.ms / MINUTE) + d.days * 1440;
    return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} minutos`;
  },
  sameDay: (cutoff: string) => `el mismo día laborable si se recibe antes de las ${cutoff}; si no, el siguiente día laborable`,
  nextBusinessDay: () => "el final del siguiente día laborable",
  received: (at: string) => `Recibida ${at}.`,
  cutoffSameDay: (kind: TargetKind, cutoff: string, due: string) =>
    `Recibida en día laborable antes del corte de las ${cutoff}: ${esTargetWord[kind].toLowerCase()} antes del cierre de ese día, ${due}.`,
  cutoffNextDay: (kind: TargetKind, cutoff: string, due: string) =>
    `Recibida después del corte de las ${cutoff}: ${esTargetWord[kind].toLowerCase()} antes del cierre del siguiente día laborable, ${due}.`,
  cutoffClosedDay: (kind: TargetKind, due: string) =>
    `Recibida en un día sin horario de soporte: ${esTargetWord[kind].toLowerCase()} antes del cierre del siguiente día laborable, ${due}.`,
  byEndOfBusinessDay: (kind: TargetKind, due: string) => `${esTargetWord[kind]} antes del final del día laborable: ${due}.`,
  byEndOfNextBusinessDay: (kind: TargetKind, due: string) => `${esTargetWord[kind]} antes del final del siguiente día laborable: ${due}.`,
  aroundTheClock: (priority: string) => `${priority}: atendida las 24 horas, todos los días.`,
  businessTimeOnly: (next: string) => `Solo cuenta el horario de soporte; el reloj empieza ${next}.`,
  firstResponse: (target: string, due: string) => `Primera respuesta en ${target}: antes de ${due}.`,
  resolution: (target: string, due: string) => `Resolución en ${target}: antes de ${due}.`,
  resolutionRange: (target: string, earliest: string, latest: string) => `Resolución en ${target}: entre ${earliest} y ${latest}.`,
  extraResolution: (issueType: string, extra: string) => `${issueType} añade ${extra} al plazo de resolución.`,
  downgrade: (to: string, target: string, earliest: string, latest: string) =>
    `Prioridad reducida a ${to} (${target}): entre ${earliest} y ${latest}.`,
  restartOnReply: () => "Si pedimos más información, el plazo de primera respuesta empieza de nuevo cuando responda.",
  quoteWorkflow: () => "Las nuevas funcionalidades reciben un presupuesto que debe aceptar antes de planificar el trabajo.",
  openNow: () => "El equipo de soporte está trabajando ahora.",
  closedNow: (next: string) => `El soporte está cerrado ahora; vuelve a abrir ${next}.`,
  billing: {
    included: (f: BillingFacts) => `${f.category}: incluido en su plan, sin coste.`,
    "included-out-of-hours": (f: BillingFacts) => `${f.category}: incluido, sin coste, también fuera del horario de soporte.`,
    "billable-category": (f: BillingFacts) => `${f.category}: facturable a ${f.rate}/hora en fracciones de ${f.increment}.`,
    "out-of-hours": (f: BillingFacts) =>
      `Fuera del horario de soporte, ${f.category}: puede esperar al horario de soporte (respuesta antes de ${f.waitDue}, ${f.waitTerms}) o atenderse ahora a ${f.rate}/hora en fracciones de ${f.increment} (respuesta antes de ${f.nowDue}).`,
  },
  holidayRate: () => "Hoy es festivo: se aplica la tarifa de festivo.",
  free: () => "sin coste",
  atRate: (rate: string) => `${rate}/hora`,
  allowance: {
    "not-covered": (f: AllowanceFacts) => `No cubierto por el soporte del producto: se gestiona como caso de pago${withPrice(f.price)}.`,
    "allowance-left": (f: AllowanceFacts) => `${f.used} de ${f.included} casos gratuitos usados este ${f.period}: este caso es gratuito.`,
    "allowance-used": (f: AllowanceFacts) =>
      `${f.used} de ${f.included} casos gratuitos usados este ${f.period}: este caso se cobra${withPrice(f.price)}.`,
    "setup-assistance": (f: AllowanceFacts) => `Asistencia de configuración: le quedan ${f.left} de ayuda gratuita, hasta ${f.until}.`,
  },
  allowanceUnknown: () => "Los casos gratuitos dependen de su plan; le confirmaremos si este se cobra.",
  period: (p: "month" | "year") => (p === "month" ? "mes" : "año"),
  requirement: (message: string) => `Nota: ${message}`,
};

/** The message catalog for a locale: every locale implements every message of English. */
export type Messages = typeof en;

const catalog: Record<Locale, Messages> = { en, es };

/** Messages for a locale. */
export function messages(locale: Locale): Messages {
  return catalog[locale];
}

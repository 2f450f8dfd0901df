import type { Duration } from "./duration.ts";
import type { Locale } from "./format.ts";
import { HOUR, MINUTE, SECOND } from "./zone.ts";

type Parts = { days: number; hours: number; minutes: number; seconds: number };

function split(d: Duration): Parts {
  const ms = d.ms;
  return {
    days: d.days,
    hours: Math.floor(ms / HOUR),
    minutes: Math.floor((ms % HOUR) / MINUTE),
    seconds: Math.floor((ms % MINUTE) / SECOND),
  };
}

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
  range: (a: string, b: string) => `${a} to ${b}`,
  increment(d: Duration): string {
    const minutes = Math.round(d.ms / MINUTE) + d.days * 1440;
    return minutes % 60 === 0 ? `${minutes / 60}-hour` : `${minutes}-minute`;
  },
  sameDay: (cutoff: string) => `the same business day if received by ${cutoff}, else the next business day`,
  received: (at: string) => `Received ${at}.`,
  cutoffSameDay: (cutoff: string, due: string) =>
    `Received on a business day by the ${cutoff} cut-off: answered by that day's close, ${due}.`,
  cutoffNextDay: (cutoff: string, due: string) =>
    `Received after the ${cutoff} cut-off: answered by the next business day's close, ${due}.`,
  cutoffClosedDay: (due: string) => `Received on a day without support hours: answered by the next business day's close, ${due}.`,
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
  billable: (rate: string, increment: string) => `Billable at ${rate}/hour in ${increment} increments.`,
  included: () => "Included in your plan: no charge.",
  includedAfterHours: () => "Outside support hours, and included: no charge.",
  afterHours: (rate: string, increment: string, resumes: string, standard: string) =>
    `Outside support hours: ${rate}/hour in ${increment} increments to address it now, or wait until ${resumes} (${standard}).`,
  holidayRate: () => "Today is a holiday: the holiday rate applies.",
  free: () => "free",
  atRate: (rate: string) => `${rate}/hour`,
  allowanceFree: (used: number, included: number, period: string) =>
    `${used} of ${included} free cases used this ${period}: this case is free.`,
  allowanceChargeable: (used: number, included: number, period: string, price: string) =>
    `${used} of ${included} free cases used this ${period}: this case is chargeable${price ? ` (${price})` : ""}.`,
  allowanceUnknown: () => "Free cases depend on your plan; we'll confirm if this one is chargeable.",
  notCovered: () => "Not covered by product support: handled as a chargeable case.",
  setupFree: (left: string, until: string) => `Setup assistance: ${left} of free help left, usable until ${until}.`,
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
  range: (a: string, b: string) => `de ${a} a ${b}`,
  increment(d: Duration): string {
    const minutes = Math.round(d.ms / MINUTE) + d.days * 1440;
    return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} minutos`;
  },
  sameDay: (cutoff: string) => `el mismo día laborable si se recibe antes de las ${cutoff}; si no, el siguiente día laborable`,
  received: (at: string) => `Recibida ${at}.`,
  cutoffSameDay: (cutoff: string, due: string) =>
    `Recibida en día laborable antes del corte de las ${cutoff}: respuesta antes del cierre de ese día, ${due}.`,
  cutoffNextDay: (cutoff: string, due: string) =>
    `Recibida después del corte de las ${cutoff}: respuesta antes del cierre del siguiente día laborable, ${due}.`,
  cutoffClosedDay: (due: string) =>
    `Recibida en un día sin horario de soporte: respuesta antes del cierre del siguiente día laborable, ${due}.`,
  aroundTheClock: (priority: string) => `${priority}: atendida las 24 horas, todos los días.`,
  businessTimeOnly: (next: string) => `Solo cuenta el horario de soporte; el reloj empieza ${next}.`,
  firstResponse: (target: string, due: string) => `Primera respuesta en ${target}: antes de ${due}.`,
  resolution: (target: string, due: string) => `Resolución en ${target}: antes de ${due}.`,
  resolutionRange: (target: string, earliest: string, latest: string) => `Resolución ${target}: entre ${earliest} y ${latest}.`,
  extraResolution: (issueType: string, extra: string) => `${issueType} añade ${extra} al plazo de resolución.`,
  downgrade: (to: string, target: string, earliest: string, latest: string) =>
    `Prioridad reducida a ${to} (${target}): entre ${earliest} y ${latest}.`,
  restartOnReply: () => "Si pedimos más información, el plazo de primera respuesta empieza de nuevo cuando responda.",
  quoteWorkflow: () => "Las nuevas funcionalidades reciben un presupuesto que debe aceptar antes de planificar el trabajo.",
  openNow: () => "El equipo de soporte está trabajando ahora.",
  closedNow: (next: string) => `El soporte está cerrado ahora; vuelve a abrir ${next}.`,
  billable: (rate: string, increment: string) => `Facturable a ${rate}/hora en fracciones de ${increment}.`,
  included: () => "Incluido en su plan: sin coste.",
  includedAfterHours: () => "Fuera del horario de soporte, e incluido: sin coste.",
  afterHours: (rate: string, increment: string, resumes: string, standard: string) =>
    `Fuera del horario de soporte: ${rate}/hora en fracciones de ${increment} para atenderlo ahora, o espere hasta ${resumes} (${standard}).`,
  holidayRate: () => "Hoy es festivo: se aplica la tarifa de festivo.",
  free: () => "sin coste",
  atRate: (rate: string) => `${rate}/hora`,
  allowanceFree: (used: number, included: number, period: string) =>
    `${used} de ${included} casos gratuitos usados este ${period}: este caso es gratuito.`,
  allowanceChargeable: (used: number, included: number, period: string, price: string) =>
    `${used} de ${included} casos gratuitos usados este ${period}: este caso se cobra${price ? ` (${price})` : ""}.`,
  allowanceUnknown: () => "Los casos gratuitos dependen de su plan; le confirmaremos si este se cobra.",
  notCovered: () => "No cubierto por el soporte del producto: se gestiona como caso de pago.",
  setupFree: (left: string, until: string) => `Asistencia de configuración: le quedan ${left} de ayuda gratuita, hasta ${until}.`,
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

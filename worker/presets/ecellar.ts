import type { PolicyInput } from "../../schema/policy.ts";

// US holidays the business calendar closes for (the seed names a holiday rate but no list):
// New Year's, Memorial, Independence, Labor, Thanksgiving and the day after, Christmas — observed dates.
const usHolidays = [
  "2026-01-01",
  "2026-05-25",
  "2026-07-03",
  "2026-09-07",
  "2026-11-26",
  "2026-11-27",
  "2026-12-25",
  "2027-01-01",
  "2027-05-31",
  "2027-07-05",
  "2027-09-06",
  "2027-11-25",
  "2027-11-26",
  "2027-12-24",
  "2027-12-31",
  "2028-05-29",
  "2028-07-04",
  "2028-09-04",
  "2028-11-23",
  "2028-11-24",
  "2028-12-25",
];

const weekday = [["08:30", "17:00"]] as [string, string][];

/** eCellar (e-commerce platform for wineries): seeds/000. */
export const ecellar = {
  id: "ecellar",
  name: "eCellar",
  timeZone: "America/Los_Angeles",
  locales: ["en", "es"],
  calendars: {
    // "General eCellar application support to trained personnel (M-F 8:30AM to 5PM)", Pacific:
    // the business day every other rule counts in.
    business: {
      timeZone: "America/Los_Angeles",
      hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
      holidays: usHolidays,
    },
  },
  issueTypes: [
    // "Clients/consumers cannot place orders due to eCellar error" — Immediate Response.
    {
      id: "ordering-down",
      label: { en: "Customers can't place orders", es: "Los clientes no pueden hacer pedidos" },
      category: "platform-error",
    },
    // "Clients cannot create/launch offerings, email campaigns, due to eCellar creation/error" — Immediate Response.
    {
      id: "launch-blocked",
      label: { en: "Can't create or launch an offering or email campaign", es: "No se puede crear o lanzar una oferta o campaña" },
      category: "platform-error",
    },
    // "Clients need assistance to create/fix new club/allocation offerings, including email
    // campaigns" — 3–5 day minimum; it is work the client could do, delegated: billable.
    {
      id: "offering-help",
      label: { en: "Help creating or fixing a club/allocation offering", es: "Ayuda para crear o corregir una oferta de club/asignación" },
      category: "service",
    },
    // "General eCellar application support to trained personnel" — not billable (monthly fees).
    { id: "question", label: { en: "How-to question from trained staff", es: "Pregunta de uso (personal formado)" }, category: "general" },
    // "User error (e.g. investigation of improper setup of product/inventory/discount/etc.)" — billable.
    {
      id: "setup-problem",
      label: {
        en: "Something is set up wrong (product, inventory, discount…)",
        es: "Algo está mal configurado (producto, inventario, descuento…)",
      },
      category: "user-error",
    },
    // "Non-trained personnel Q&A" and "New personnel training" — billable.
    {
      id: "training",
      label: { en: "Training or Q&A for new or untrained staff", es: "Formación o dudas de personal nuevo" },
      category: "training",
    },
    // "Any training/service work that relates to that particular client's business" and
    // "Anything a client can do in our system but delegates to Team eCELLAR" — billable.
    {
      id: "service-request",
      label: { en: "Do it for us (work you could do in eCellar)", es: "Háganlo por nosotros (trabajo que podría hacer en eCellar)" },
      category: "service",
    },
    // "Clients desired eCellar functionality based on ICB need (TBD by management)" — a quote.
    { id: "feature", label: { en: "New functionality", es: "Nueva funcionalidad" }, category: "general" },
  ],
  severities: [
    { id: "blocking", label: { en: "Stopping sales or a launch now", es: "Bloquea ventas o un lanzamiento ahora" } },
    { id: "normal", label: { en: "Not stopping sales", es: "No bloquea ventas" } },
  ],
  priorities: [
    {
      id: "immediate",
      label: { en: "Immediate", es: "Inmediata" },
      // "Evening and weekend support: eCellar error (that prevents ordering): We fix (asap)":
      // around the clock. The seed gives no number for "asap"; we read it as one hour.
      firstResponse: { within: "PT1H", clock: "24/7" },
      // "We fix (asap) else NBD (next business day)": fixed at the latest by the close of the
      // next business day. A 00:00 cut-off means exactly that: any later receipt is due at the
      // next business date's close.
      resolution: { sameDayIfBefore: "00:00", clock: "business" },
      coverage: "24/7",
    },
    {
      id: "standard",
      label: { en: "Standard", es: "Estándar" },
      // "All inbound emails and phone calls ... will be acknowledged same day if left by 3PM
      // Pacific Monday-Friday, otherwise next business day": due at the day's close (17:00).
      firstResponse: { sameDayIfBefore: "15:00", clock: "business" },
      coverage: "business",
    },
    {
      id: "offering",
      label: { en: "Offering assistance", es: "Asistencia con ofertas" },
      // Acknowledged like every inbound email (same-day rule).
      firstResponse: { sameDayIfBefore: "15:00", clock: "business" },
      // "3-5 day minimum": business days; done no earlier than 3 and by 5 business days.
      resolution: { between: ["P3D", "P5D"], clock: "business" },
      coverage: "business",
    },
    {
      id: "feature",
      label: { en: "Feature request", es: "Solicitud de funcionalidad" },
      // Acknowledged like every inbound email; the work itself waits on management's quote.
      firstResponse: { sameDayIfBefore: "15:00", clock: "business" },
      coverage: "business",
      workflow: "quote",
    },
  ],
  classification: [
    // Platform errors that stop ordering or a launch are Immediate whatever the severity picked.
    { issueType: ["ordering-down", "launch-blocked"], priority: "immediate" },
    { issueType: "offering-help", priority: "offering" },
    { issueType: "feature", priority: "feature" },
    // Everything else is "every other email or call": Standard.
    { priority: "standard" },
  ],
  billing: {
    currency: "USD",
    // "The standard billable rate is $150/hour"; "User error: ... or $225/hour ($300 holiday)
    // to address/fix" out of hours.
    rates: { standard: 15000, "after-hours": 22500, holiday: 30000 },
    // "billed in 15min increments", rounded up.
    increment: "PT15M",
    // Work inside M–F 8:30–5 is standard time; outside it after-hours; on a holiday, holiday.
    hoursCalendar: "business",
    // "User error: Wait until next business day for Support to address, or $225/hour ($300 holiday)
    // to address/fix": the customer chooses. Addressed now means as soon as possible, read like
    // "We fix (asap)" for eCellar errors: within one hour, around the clock.
    outOfHoursResponse: { within: "PT1H", clock: "24/7" },
    defaultCategory: "general",
    categories: {
      // eCellar's own errors: fixed asap, never billed, day or night.
      "platform-error": { label: { en: "eCellar error", es: "Error de eCellar" }, billable: false, afterHours: "included" },
      // "What's not billable (included in monthly fees)": general support M–F 8:30–5. Out of
      // hours it waits for the next business day, or is addressed now at the after-hours rate.
      general: { label: { en: "General support", es: "Soporte general" }, billable: false, afterHours: "paid-or-wait" },
      // "What's billable": user error; after hours "Wait until next business day ... or $225/hour".
      "user-error": { label: { en: "User error", es: "Error de usuario" }, billable: true, afterHours: "paid-or-wait" },
      // "What's billable": non-trained personnel Q&A, new personnel training.
      training: { label: { en: "Training", es: "Formación" }, billable: true, afterHours: "paid-or-wait" },
      // "What's billable": client-specific service work, delegated work.
      service: { label: { en: "Service work", es: "Trabajo de servicio" }, billable: true, afterHours: "paid-or-wait" },
      // "A second cancellation, without at least 24 hours notice, will be billed at .25 hours
      // according to the standard billing rate": the fee's own line on the invoice.
      "meeting-cancellation": {
        label: { en: "Late meeting cancellation", es: "Cancelación tardía de reunión" },
        billable: true,
        afterHours: "included",
      },
    },
  },
  meetings: {
    // "A one-time cancellation or rescheduling will be allowed."
    freeCancellations: 1,
    // "A second cancellation, without at least 24 hours notice, will be billed at .25 hours
    // according to the standard billing rate."
    notice: "PT24H",
    lateCancellationCharge: "PT15M",
    category: "meeting-cancellation",
  },
  quotes: { validFor: "P30D", currency: "USD" },
  // "supportteam@ecellar1.com and 707-942-9700 Opt. 1": a US number, option 1 of its menu.
  contact: {
    email: "supportteam@ecellar1.com",
    phone: { number: "+17079429700", option: "1", text: { en: "707-942-9700 Opt. 1", es: "707-942-9700 opción 1" } },
    afterHoursPhone: { number: "+17079429700", option: "1", text: { en: "707-942-9700 Opt. 1", es: "707-942-9700 opción 1" } },
  },
  guidance: [
    // "Emergency after-hours support via telephone voicemail: 707-942-9700 Opt. 1."
    {
      text: {
        en: "Emergency after hours: also leave a voicemail at 707-942-9700 Opt. 1.",
        es: "Emergencia fuera de horario: deje también un mensaje de voz en el 707-942-9700 opción 1.",
      },
      issueTypes: ["ordering-down", "launch-blocked"],
      whenClosed: "business",
    },
    // "Common (but not limited to) weekend support pitfalls to avoid (by not testing and making
    // changes on a Friday afternoon)".
    {
      text: {
        en: "Tip: avoid testing or changing things on a Friday afternoon. Common weekend pitfalls: printer or cash drawer failing after a POS browser upgrade, a new product with no inventory, duplicate customers, an auto-discount applying or not.",
        es: "Consejo: evite probar o cambiar cosas un viernes por la tarde. Problemas típicos de fin de semana: impresora o cajón que fallan tras actualizar el navegador del TPV, un producto nuevo sin inventario, clientes duplicados, un descuento automático que se aplica o no.",
      },
      issueTypes: ["setup-problem", "question"],
      whenClosed: "business",
    },
    // "Your advanced notice is appreciated!" for billable work.
    {
      text: { en: "Billable work: advance notice is appreciated.", es: "Trabajo facturable: se agradece el aviso con antelación." },
      issueTypes: ["training", "service-request", "offering-help"],
    },
    // "A single point of contact with backup person per client is strongly recommended".
    {
      text: {
        en: "We strongly recommend one point of contact, with a backup person, for your team.",
        es: "Recomendamos una única persona de contacto, con un suplente, para su equipo.",
      },
      issueTypes: ["question", "training"],
    },
  ],
  // "All inbound emails and phone calls ... will be acknowledged": a mail is a standard request
  // until staff classify it. The seed names no subject words.
  email: { defaultIssueType: "question", defaultSeverity: "normal", subjectRules: [] },
  // "Immediate Response": whoever is on call hears of it at once, day or night.
  alerts: { to: ["oncall@ecellar.demo"], priorities: [{ priority: "immediate", when: "always" }] },
} satisfies PolicyInput;

import type { PolicyInput } from "../../schema/policy.ts";

const weekday = [["10:00", "18:00"]] as [string, string][];

// C1 situations: "Your customers are not able to access website or apps. Your customers are not
// able to make any transactions. Your reports are not showing data, or the interface is
// unavailable to multiple users." Store hosting problems are "treated as priority".
const systemDown = ["site-down", "transactions", "reports-empty", "interface-down"];

/** Commerceup (hosted store builder): seeds/002. */
export const commerceup = {
  id: "commerceup",
  name: "Commerceup",
  timeZone: "Asia/Kolkata",
  locales: ["en", "es"],
  calendars: {
    // "normal business hours (10:00 am to 6:00 pm IST, Monday to Friday, except on holidays)".
    // The seed lists no holidays: the preset closes on India's three national holidays; the
    // merchant adds the festival days it observes.
    business: {
      timeZone: "Asia/Kolkata",
      hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
      holidays: [
        "2026-01-26",
        "2026-08-15",
        "2026-10-02",
        "2027-01-26",
        "2027-08-15",
        "2027-10-02",
        "2028-01-26",
        "2028-08-15",
        "2028-10-02",
      ],
    },
  },
  issueTypes: [
    {
      id: "site-down",
      label: { en: "Customers can't access the website or apps", es: "Los clientes no pueden acceder a la web o las apps" },
    },
    { id: "transactions", label: { en: "Customers can't make transactions", es: "Los clientes no pueden hacer transacciones" } },
    { id: "reports-empty", label: { en: "Reports show no data", es: "Los informes no muestran datos" } },
    {
      id: "interface-down",
      label: { en: "Interface unavailable to several users", es: "La interfaz no está disponible para varios usuarios" },
    },
    // C2: "Customer journey on online store and reporting are working, but other functions are
    // not which are important for business and impacting the sales directly."
    {
      id: "sales-impacting",
      label: { en: "An important function is broken, hurting sales", es: "Falla una función importante y afecta a las ventas" },
    },
    // C3: "Standard functionality issues which is already been delivered or in the system. UI and
    // Design Issues on website".
    { id: "functionality", label: { en: "A standard feature isn't working", es: "Una función estándar no funciona" } },
    { id: "ui-design", label: { en: "UI or design issue on the website", es: "Problema de diseño o interfaz en la web" } },
    // C3: "Apps submission will take extra 3 days" — business days, like the C3 target.
    { id: "app-submission", label: { en: "App store submission", es: "Publicación de la app" }, extraResolution: "P3D" },
    // C4: "Minor issues with your system. Product enhancement or feature requests."
    { id: "minor", label: { en: "Minor issue", es: "Problema menor" } },
    { id: "feature-request", label: { en: "Product enhancement or feature request", es: "Mejora o nueva funcionalidad" } },
  ],
  severities: [
    { id: "critical", label: { en: "Critical: system down", es: "Crítica: sistema caído" } },
    { id: "high", label: { en: "High: hurting sales", es: "Alta: afecta a las ventas" } },
    { id: "normal", label: { en: "Normal", es: "Normal" } },
    { id: "low", label: { en: "Low", es: "Baja" } },
  ],
  priorities: [
    {
      id: "C1",
      label: { en: "C1 — Critical", es: "C1 — Crítica" },
      // "after-hours support is reserved for C1 or 'System Down' issues ... We'll respond within
      // two hours": 2 elapsed hours, around the clock.
      firstResponse: { within: "PT2H", clock: "24/7" },
      // "Target resolution or workaround: Priority reduced to C2 within 2-6 hours."
      downgrade: { to: "C2", target: { between: ["PT2H", "PT6H"], clock: "24/7" } },
      coverage: "24/7",
    },
    {
      id: "C2",
      label: { en: "C2 — High", es: "C2 — Alta" },
      // "Initial target response: 4 (4) hours from ticket submission." After-hours work is
      // reserved for C1, so C2 counts business hours.
      firstResponse: { within: "PT4H", clock: "business" },
      // "Within twenty-four (24) hours": 24 business hours, three business days of 8 hours.
      resolution: { within: "PT24H", clock: "business" },
      coverage: "business",
    },
    {
      id: "C3",
      label: { en: "C3 — Normal", es: "C3 — Normal" },
      // "Within 1 business day via email."
      firstResponse: { within: "P1D", clock: "business" },
      // "Within five (5) business days."
      resolution: { within: "P5D", clock: "business" },
      coverage: "business",
    },
    {
      id: "C4",
      label: { en: "C4 — Low", es: "C4 — Baja" },
      // "Within two (2) business days via email; updates provided as necessary."
      firstResponse: { within: "P2D", clock: "business" },
      // "Within five (5) to ten (10) business days or depending on feature request and given
      // timelines": a range; staff may set a later due date for a scoped feature.
      resolution: { between: ["P5D", "P10D"], clock: "business" },
      coverage: "business",
    },
  ],
  classification: [
    { issueType: "feature-request", priority: "C4" },
    // Only a system-down situation the customer marks critical is C1: after hours are for those.
    { issueType: systemDown, severity: "critical", priority: "C1" },
    // The same situations, partial, and any sales-hurting breakage: C2.
    { issueType: [...systemDown, "sales-impacting"], priority: "C2" },
    { issueType: "minor", priority: "C4" },
    { severity: "low", priority: "C4" },
    { priority: "C3" },
  ],
  // "According to scope of work, additional cost may be added and will be informed to you in
  // advance": a quote staff may attach to any ticket, which the customer accepts before work that
  // costs extra goes ahead.
  quotes: { validFor: "P15D", currency: "INR", anyTicket: true },
  contact: {
    email: "support@commerceup.io",
    // 'Outside of normal business hours … please use "C1" in the subject line of your email. We'll
    // respond within two hours.'
    note: {
      en: 'For a C1 ("System Down") issue outside business hours, put "C1" in the subject line of your email: we respond within two hours.',
      es: 'Para una incidencia C1 ("System Down") fuera del horario laboral, escriba "C1" en el asunto de su correo: respondemos en dos horas.',
    },
  },
  guidance: [
    // "Before submitting a C1 issue, check to see if the issue has already been reported by team."
    {
      text: {
        en: "Before reporting a C1 issue, check the known issues: it may already be reported.",
        es: "Antes de notificar una incidencia C1, revise las incidencias conocidas: quizá ya esté notificada.",
      },
      severities: ["critical"],
    },
    // "please use 'C1' in the subject line of your email".
    {
      text: {
        en: 'By email, put "C1" or "System Down" in the subject line to reach the after-hours team.',
        es: 'Por correo, ponga "C1" o "System Down" en el asunto para llegar al equipo fuera de horario.',
      },
      severities: ["critical"],
      whenClosed: "business",
    },
    // "Target resolution times are goals ... an issue may need to be escalated to our engineering
    // team. In such cases, it may take more time to resolve the issue."
    {
      text: {
        en: "Resolution targets are goals: volume, severity or escalation to engineering can extend them.",
        es: "Los plazos de resolución son objetivos: el volumen, la gravedad o escalar a ingeniería pueden alargarlos.",
      },
    },
    // "You can mark your issue closed once you are satisfied with resolution provided".
    {
      text: {
        en: "You can close the issue yourself once you're satisfied with the fix.",
        es: "Puede cerrar la incidencia usted mismo cuando esté satisfecho con la solución.",
      },
    },
  ],
  // "please use 'C1' in the subject line of your email"; the table's Subject Line column: "C1" or
  // "System Down" → C1, "C2" → C2, "C3" → C3, "C4" → C4. Anything else is a standard issue (C3).
  email: {
    defaultIssueType: "functionality",
    defaultSeverity: "normal",
    subjectRules: [
      { words: ["C1", "System Down"], priority: "C1", severity: "critical" },
      { words: ["C2"], priority: "C2", severity: "high" },
      { words: ["C3"], priority: "C3", severity: "normal" },
      { words: ["C4"], priority: "C4", severity: "low" },
    ],
  },
  // "after-hours support is reserved for C1 or 'System Down' issues": the on-call team hears of a
  // C1 at once outside business hours (inside them the team is at work and sees the queue).
  alerts: { to: ["oncall@commerceup.demo"], hours: "business", priorities: [{ priority: "C1", when: "outside-hours" }] },
} satisfies PolicyInput;

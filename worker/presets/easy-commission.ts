import type { PolicyInput } from "../../schema/policy.ts";

// "Monday through Friday 9AM to 5PM and 10PM to 6AM": two shifts; the night shift belongs to
// the weekday it starts on, so Friday's runs to Saturday 06:00 and none starts on Sunday night.
const shifts = [
  ["09:00", "17:00"],
  ["22:00", "06:00"],
] as [string, string][];

// "Contacts will be responded to within 24 Hours from contact": no mention of business hours
// and no after-hours reservation, so 24 elapsed hours, for every priority.
const within24h = { within: "PT24H", clock: "24/7" } as const;

/** Easy-Commission (CellarStone commission software): seeds/001. */
export const easyCommission = {
  id: "easy-commission",
  name: "Easy-Commission",
  // "All times stated are in US Pacific Time Zone times."
  timeZone: "America/Los_Angeles",
  locales: ["en", "es"],
  calendars: {
    // "Primary coverage hours ... No coverage: Saturday and Sunday".
    coverage: {
      timeZone: "America/Los_Angeles",
      // The seed names no holidays, so coverage follows the weekly hours all year.
      hours: { mon: shifts, tue: shifts, wed: shifts, thu: shifts, fri: shifts },
    },
  },
  issueTypes: [
    // "Covered support items are limited to the following: Access issues, Calculation and result
    // errors, Data storage errors, Report errors": they count toward the edition's free cases.
    { id: "access", label: { en: "Access issue", es: "Problema de acceso" } },
    { id: "calculation", label: { en: "Calculation or result error", es: "Error de cálculo o de resultados" } },
    { id: "data-storage", label: { en: "Data storage error", es: "Error al guardar datos" } },
    { id: "report-error", label: { en: "Report error", es: "Error en un informe" } },
    // "Other items including the following are not covered: Ease of use, Assistance with
    // calculation formulas and plans, Assistance with reports and queries, Training": not product
    // support, so every such case is chargeable.
    { id: "ease-of-use", label: { en: "Ease of use", es: "Facilidad de uso" }, covered: false },
    {
      id: "formulas-plans",
      label: { en: "Help with calculation formulas or plans", es: "Ayuda con fórmulas o planes de cálculo" },
      covered: false,
    },
    { id: "reports-queries", label: { en: "Help with reports or queries", es: "Ayuda con informes o consultas" }, covered: false },
    { id: "training", label: { en: "Training", es: "Formación" }, covered: false },
    // "A few hours of Setup Assistance is provided based on type of license ... should be used
    // within one month of subscription after which the customer will have to pay for support Cases."
    { id: "setup", label: { en: "Setup assistance", es: "Asistencia de configuración" } },
    // "This policy applies only to Easy-Commission software and not to any third party software".
    {
      id: "third-party",
      label: { en: "Third-party software", es: "Software de terceros" },
      refused: {
        en: "Support covers Easy-Commission software only, not third-party software provided by CellarStone.",
        es: "El soporte cubre solo el software Easy-Commission, no el software de terceros suministrado por CellarStone.",
      },
    },
  ],
  // "The priority will be determined by the customer support person from the information
  // provided": the customer's pick is a first guess that staff confirm or override.
  severities: [
    { id: "system-down", label: { en: "System is down and payroll is due", es: "El sistema no funciona y vence la nómina" } },
    {
      id: "calculation",
      label: { en: "Calculation errors, payroll not due immediately", es: "Errores de cálculo, la nómina no vence aún" },
    },
    { id: "problem", label: { en: "A problem that does not affect calculations", es: "Un problema que no afecta a los cálculos" } },
    { id: "cosmetic", label: { en: "Cosmetic (e.g. a report not sorting properly)", es: "Estético (p. ej. un informe mal ordenado)" } },
  ],
  priorities: [
    {
      id: "P1",
      label: { en: "Priority 1", es: "Prioridad 1" },
      description: "System is down, and payroll is due",
      firstResponse: within24h,
      coverage: "coverage",
    },
    {
      id: "P2",
      label: { en: "Priority 2", es: "Prioridad 2" },
      description: "Calculation errors, but payroll is not due immediately",
      firstResponse: within24h,
      coverage: "coverage",
    },
    {
      id: "P3",
      label: { en: "Priority 3", es: "Prioridad 3" },
      description: "Problem with the system but does not impact calculations",
      firstResponse: within24h,
      coverage: "coverage",
    },
    {
      id: "P4",
      label: { en: "Priority 4", es: "Prioridad 4" },
      description: "Cosmetic errors, such as report not sorting properly",
      firstResponse: within24h,
      coverage: "coverage",
    },
  ],
  classification: [
    { severity: "system-down", priority: "P1" },
    { severity: "calculation", priority: "P2" },
    { severity: "problem", priority: "P3" },
    { severity: "cosmetic", priority: "P4" },
  ],
  // "Different editions of the software allow different levels of free Customer Support Cases.
  // Additional cases are chargeable." The numbers live on the product website; these are the
  // preset's starting values for the merchant to edit per edition.
  allowances: {
    period: "year",
    plans: { standard: 4, professional: 8, enterprise: 16 },
    note: {
      en: "Free cases per edition are listed on the product website.",
      es: "Los casos gratuitos por edición figuran en la web del producto.",
    },
  },
  setupAssistance: {
    // "The duration of the free setup assistance will vary per edition": preset values to edit.
    hours: { standard: 2, professional: 4, enterprise: 8 },
    withinMonths: 1,
    issueType: "setup",
  },
  // "Software maintenance and support is available only to Customers who are current with all dues."
  eligibility: {
    requires: [
      {
        flag: "duesCurrent",
        message: {
          en: "Software maintenance and support is available only to customers who are current with all dues.",
          es: "El mantenimiento y soporte del software solo está disponible para clientes al corriente de pago.",
        },
      },
    ],
  },
  // "Note: Support Phone numbers are not provided. We keep costs low with this support model."
  contact: {
    note: {
      en: "We do not offer support by phone: it keeps our costs low.",
      es: "No ofrecemos soporte telefónico: así mantenemos bajos nuestros costes.",
    },
  },
  guidance: [
    // "In addition, customers may be supported during other hours depending on personnel availability."
    {
      text: {
        en: "Outside coverage hours we may still help, depending on who is available.",
        es: "Fuera del horario de cobertura quizá podamos ayudar, según el personal disponible.",
      },
      whenClosed: "coverage",
    },
    // "Support Phone numbers are not provided": cases come through the in-app facility or email.
    {
      text: {
        en: "Support is by this form or email; there is no phone support.",
        es: "El soporte es por este formulario o por correo; no hay soporte telefónico.",
      },
    },
    // Customer responsibilities: remote access (web meeting) and data access for data-centric problems.
    {
      text: {
        en: "We may ask you to show the issue in a web meeting, and to access your data when the problem is data-centric.",
        es: "Podemos pedirle que nos muestre el problema en una reunión web y acceder a sus datos si el problema está en ellos.",
      },
      issueTypes: ["calculation", "data-storage", "report-error"],
    },
    // "CellarStone will not be providing a resolution for the issues being reported from
    // non-supported browsers and other applications."
    {
      text: {
        en: "Issues reported from unsupported browsers or applications are not resolved: please use a supported browser.",
        es: "No se resuelven incidencias desde navegadores o aplicaciones no compatibles: use un navegador compatible.",
      },
      issueTypes: ["access", "report-error"],
    },
  ],
  // "Customers can also report cases via email." The seed names no subject words; these let a
  // customer state the seed's own priorities as a first guess (staff decide, as in the widget).
  email: {
    defaultIssueType: "access",
    defaultSeverity: "problem",
    subjectRules: [
      { words: ["P1", "Priority 1", "System Down"], severity: "system-down" },
      { words: ["P2", "Priority 2"], severity: "calculation" },
      { words: ["P3", "Priority 3"], severity: "problem" },
      { words: ["P4", "Priority 4"], severity: "cosmetic" },
    ],
  },
  // Priority 1, "System is down, and payroll is due": the team hears of it at once.
  alerts: { to: ["oncall@easy-commission.demo"], priorities: [{ priority: "P1", when: "always" }] },
} satisfies PolicyInput;

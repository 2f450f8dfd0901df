import type { PolicyInput } from "../../schema/policy.ts";

// "Each technical support request is analyzed, and you will receive a response within 48 hours":
// hours with no mention of business hours are elapsed hours, around the clock.
const within48h = { within: "PT48H", clock: "24/7" } as const;

/** ECShops (shop agency, Spain): seeds/003. */
export const ecshops = {
  id: "ecshops",
  name: "ECShops",
  timeZone: "Europe/Madrid",
  locales: ["es", "en"],
  // The seed states no business hours: every target runs on elapsed time and there is no
  // coverage calendar to report.
  calendars: {},
  issueTypes: [
    // "technical support ... to the help needed as a result of an incident that affects the
    // service to a greater or lesser extent".
    { id: "incident", label: { es: "Incidencia técnica", en: "Technical incident" } },
    // "Extra Functionality Required ... You can also use Technical Support to request these improvements."
    { id: "feature", label: { es: "Funcionalidad adicional", en: "Extra functionality" } },
  ],
  severities: [
    { id: "interrupted", label: { es: "El servicio está interrumpido", en: "The service is interrupted" } },
    { id: "degraded", label: { es: "Error sin interrupción del servicio", en: "An error, but the service still works" } },
    { id: "question", label: { es: "Comportamiento extraño o duda", en: "Odd behaviour or a question" } },
  ],
  priorities: [
    {
      id: "incident",
      label: { es: "Incidencia", en: "Incident" },
      firstResponse: within48h,
      // "ECShops will request said information within the first 48 hours and will proceed to
      // analyze it again when the response is received": the 48 h clock restarts at the reply.
      restartOnReply: true,
      // "a level of service will be established depending on the nature of the mentioned request":
      // the analysis outcome staff record. The seed sets no resolution time for either level.
      outcomes: [
        {
          id: "level-1",
          label: { es: "Nivel 1: sin error", en: "Level 1: no bug" },
          description: {
            es: "No se detecta error ni es necesario un cambio. Se informa al cliente en detalle del motivo del comportamiento.",
            en: "No bug detected, no need for change. The client is told in detail why the behaviour occurred.",
          },
        },
        {
          id: "level-2",
          label: { es: "Nivel 2: error no crítico", en: "Level 2: non-critical error" },
          description: {
            es: "Error no crítico con servicio no interrumpido. Se establece prioridad moderada y el esfuerzo necesario para restablecer el servicio.",
            en: "Non-critical error with the service not discontinued. Moderate priority and the effort needed to restore normal service.",
          },
        },
      ],
    },
    {
      id: "feature",
      label: { es: "Funcionalidad adicional", en: "Extra functionality" },
      // Requested through Technical Support, so answered within the same 48 hours.
      firstResponse: within48h,
      // "priced separately ... You will receive a quote with all the information, and if it is
      // accepted, the development team will plan the next steps together with you."
      workflow: "quote",
    },
  ],
  classification: [
    { issueType: "feature", priority: "feature" },
    { issueType: "incident", priority: "incident" },
  ],
  quotes: { validFor: "P30D", currency: "EUR" },
  guidance: [
    // "In the event that the request does not have all the relevant information, ECShops will request said information".
    {
      text: {
        es: "Incluya toda la información relevante (pasos, URL, capturas): si falta algo se la pediremos y el plazo de 48 horas empezará de nuevo con su respuesta.",
        en: "Include everything relevant (steps, URL, screenshots): if something is missing we'll ask, and the 48-hour clock starts again with your reply.",
      },
      issueTypes: ["incident"],
    },
  ],
  // A mail is a technical incident unless it asks for extra functionality ("You can also use
  // Technical Support to request these improvements"), which follows the quote workflow.
  email: {
    defaultIssueType: "incident",
    defaultSeverity: "degraded",
    subjectRules: [
      {
        words: ["funcionalidad adicional", "nueva funcionalidad", "extra functionality", "feature request"],
        issueType: "feature",
      },
    ],
  },
} satisfies PolicyInput;

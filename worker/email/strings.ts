import type { Locale } from "../engine/format.ts";

/**
 * The words of every email, per locale. Functions take values already formatted for the reader
 * (dates in their zone, money in their locale); nothing here is HTML.
 */
const en = {
  hello: (name: string | null) => (name ? `Hello ${name},` : "Hello,"),
  subject: {
    received: (ref: string, due: string | null) =>
      due ? `[${ref}] We received your request: reply by ${due}` : `[${ref}] We received your request`,
    reply: (ref: string) => `[${ref}] New reply to your request`,
    "info-requested": (ref: string) => `[${ref}] We need more information`,
    "quote-sent": (ref: string) => `[${ref}] Your quote is ready`,
    "quote-planned": (ref: string) => `[${ref}] Your request is planned`,
    "quote-delivered": (ref: string) => `[${ref}] Your request is delivered`,
    resolved: (ref: string) => `[${ref}] Your request is resolved`,
    links: () => "Your support requests",
    "alert-new": (ref: string, priority: string) => `[${ref}] New ${priority} ticket`,
    "alert-breach": (ref: string, priority: string) => `[${ref}] ${priority} ticket is overdue`,
    "verify-email": () => "Confirm your email to start using Replyby",
    "account-exists": () => "You already have a Replyby login",
  },
  received: (ref: string, topic: string) => `We received your request ${ref} (${topic}).`,
  firstReplyBy: (due: string) => `You will get a first reply by ${due}.`,
  resolutionBy: (due: string) => `We aim to resolve it by ${due}.`,
  quoteFirst: "This is a feature request: you will get a priced quote to accept before any work is planned.",
  why: "How we worked this out",
  replied: (ref: string) => `Support replied to your request ${ref}:`,
  asked: (ref: string) => `Support needs more information to go on with your request ${ref}:`,
  askedPaused: "The clock is paused until you answer. Reply to this email, or answer on the status page.",
  quoted: (ref: string) => `The quote for your request ${ref} is ready:`,
  amount: (money: string) => `Amount: ${money}`,
  validUntil: (at: string) => `Valid until ${at}.`,
  quoteDecide: "Accept or decline it on the status page.",
  planned: (ref: string, at: string) => `The work on your request ${ref} is planned for ${at}.`,
  delivered: (ref: string) => `The work on your request ${ref} is delivered.`,
  resolvedText: (ref: string) => `Your request ${ref} is marked as resolved.`,
  notFixed: (until: string) => `Not fixed? Reply to this email or reopen it on the status page until ${until}.`,
  follow: "Follow your request on any device:",
  openRequest: "Open your request",
  replyHint: "Reply to this email to add to your request.",
  links: (n: number) =>
    n === 0
      ? "You have no open requests with us right now."
      : n === 1
        ? "Here is a link to your open request:"
        : `Here are links to your ${n} open requests:`,
  linksWhy: "Someone (hopefully you) asked for these links. If it was not you, you can ignore this email.",
  alertNew: (ref: string, priority: string, topic: string) => `New ticket ${ref}: ${priority}, ${topic}.`,
  alertBreach: (ref: string, priority: string) => `Ticket ${ref} (${priority}) is past its due time.`,
  alertDue: (due: string) => `First response due ${due}.`,
  alertOpen: "Open it in the dashboard:",
  automatic: "This is an automatic message.",
  verify: (merchant: string) => `Someone (hopefully you) signed up for Replyby for ${merchant} with this address. Confirm it to sign in:`,
  verifyButton: "Confirm my email",
  verifyExpires: (hours: number) => `The link works once and expires in ${hours} hours. After that, sign in to get a new one.`,
  verifyNotYou: "If you did not sign up, ignore this email: nobody can sign in with this address until it is confirmed.",
  exists: "Someone (hopefully you) tried to sign up for Replyby with this address, which already has a login. Sign in instead:",
  signIn: "Sign in",
  existsNotYou: "If it was not you, you can ignore this email: nothing was changed.",
};

const es: typeof en = {
  hello: (name) => (name ? `Hola, ${name}:` : "Hola:"),
  subject: {
    received: (ref, due) =>
      due ? `[${ref}] Hemos recibido su solicitud: respuesta antes de ${due}` : `[${ref}] Hemos recibido su solicitud`,
    reply: (ref) => `[${ref}] Nueva respuesta a su solicitud`,
    "info-requested": (ref) => `[${ref}] Necesitamos más información`,
    "quote-sent": (ref) => `[${ref}] Su presupuesto está listo`,
    "quote-planned": (ref) => `[${ref}] Su solicitud está planificada`,
    "quote-delivered": (ref) => `[${ref}] Su solicitud está entregada`,
    resolved: (ref) => `[${ref}] Su solicitud está resuelta`,
    links: () => "Sus solicitudes de soporte",
    "alert-new": (ref, priority) => `[${ref}] Nueva solicitud ${priority}`,
    "alert-breach": (ref, priority) => `[${ref}] Solicitud ${priority} fuera de plazo`,
    "verify-email": () => "Confirme su correo para empezar a usar Replyby",
    "account-exists": () => "Ya tiene un acceso a Replyby",
  },
  received: (ref, topic) => `Hemos recibido su solicitud ${ref} (${topic}).`,
  firstReplyBy: (due) => `Recibirá una primera respuesta antes de: ${due}.`,
  resolutionBy: (due) => `Nuestro objetivo es resolverla antes de: ${due}.`,
  quoteFirst: "Es una petición de funcionalidad: recibirá un presupuesto para aceptar antes de planificar el trabajo.",
  why: "Cómo lo hemos calculado",
  replied: (ref) => `Soporte ha respondido a su solicitud ${ref}:`,
  asked: (ref) => `Soporte necesita más información para continuar con su solicitud ${ref}:`,
  askedPaused: "El plazo está en pausa hasta que responda. Responda a este correo o en la página de estado.",
  quoted: (ref) => `El presupuesto de su solicitud ${ref} está listo:`,
  amount: (money) => `Importe: ${money}`,
  validUntil: (at) => `Válido hasta: ${at}.`,
  quoteDecide: "Acéptelo o recházelo en la página de estado.",
  planned: (ref, at) => `El trabajo de su solicitud ${ref} está planificado para: ${at}.`,
  delivered: (ref) => `El trabajo de su solicitud ${ref} está entregado.`,
  resolvedText: (ref) => `Su solicitud ${ref} se ha marcado como resuelta.`,
  notFixed: (until) => `¿No está resuelto? Responda a este correo o reábrala en la página de estado hasta: ${until}.`,
  follow: "Siga su solicitud desde cualquier dispositivo:",
  openRequest: "Abrir su solicitud",
  replyHint: "Responda a este correo para añadir información a su solicitud.",
  links: (n) =>
    n === 0
      ? "Ahora mismo no tiene solicitudes abiertas con nosotros."
      : n === 1
        ? "Este es el enlace a su solicitud abierta:"
        : `Estos son los enlaces a sus ${n} solicitudes abiertas:`,
  linksWhy: "Alguien (esperamos que usted) ha pedido estos enlaces. Si no ha sido usted, puede ignorar este correo.",
  alertNew: (ref, priority, topic) => `Nueva solicitud ${ref}: ${priority}, ${topic}.`,
  alertBreach: (ref, priority) => `La solicitud ${ref} (${priority}) ha superado su plazo.`,
  alertDue: (due) => `Primera respuesta antes de: ${due}.`,
  alertOpen: "Ábrala en el panel:",
  automatic: "Este es un mensaje automático.",
  verify: (merchant) =>
    `Alguien (esperamos que usted) se ha registrado en Replyby para ${merchant} con esta dirección. Confírmela para iniciar sesión:`,
  verifyButton: "Confirmar mi correo",
  verifyExpires: (hours) => `El enlace sirve una sola vez y caduca en ${hours} horas. Después, inicie sesión para recibir uno nuevo.`,
  verifyNotYou: "Si no se ha registrado, ignore este correo: nadie puede iniciar sesión con esta dirección hasta que se confirme.",
  exists: "Alguien (esperamos que usted) ha intentado registrarse en Replyby con esta dirección, que ya tiene un acceso. Inicie sesión:",
  signIn: "Iniciar sesión",
  existsNotYou: "Si no ha sido usted, puede ignorar este correo: no se ha cambiado nada.",
};

/** The email words of a locale. */
export type EmailStrings = typeof en;

/** The email words for a locale. */
export function emailStrings(locale: Locale): EmailStrings {
  return locale === "es" ? es : en;
}

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
    requoted: (ref: string) => `[${ref}] Your quote has changed`,
    "quote-planned": (ref: string) => `[${ref}] Your request is planned`,
    "quote-delivered": (ref: string) => `[${ref}] Your request is delivered`,
    resolved: (ref: string) => `[${ref}] Your request is resolved`,
    links: () => "Your support requests",
    "alert-new": (ref: string, priority: string) => `[${ref}] New ${priority} ticket`,
    "alert-breach": (ref: string, priority: string) => `[${ref}] ${priority} ticket is overdue`,
    invitation: (merchant: string) => `You are invited to join ${merchant} on Replyby`,
    "password-reset": (merchant: string) => `Reset your Replyby password for ${merchant}`,
    "verify-email": () => "Confirm your email to start using Replyby",
  },
  received: (ref: string, topic: string) => `We received your request ${ref} (${topic}).`,
  firstReplyBy: (due: string) => `You will get a first reply by ${due}.`,
  resolutionBy: (due: string) => `We aim to resolve it by ${due}.`,
  quoteFirst: "This is a feature request: you will get a priced quote to accept before any work is planned.",
  why: "How we worked this out",
  replied: (ref: string) => `Support replied to your request ${ref}:`,
  filesOnPage: "Files with this reply (download them from your request's page):",
  asked: (ref: string) => `Support needs more information to go on with your request ${ref}:`,
  askedPaused: "The clock is paused until you answer. Reply to this email, or answer on the status page.",
  quoted: (ref: string) => `The quote for your request ${ref} is ready:`,
  requoted: (ref: string) => `The quote for your request ${ref} has changed. This is the one to decide on now:`,
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
  invited: (inviter: string, merchant: string, role: string) =>
    `${inviter} invited you to answer support requests for ${merchant} on Replyby, as ${role === "admin" ? "an admin" : "an agent"}.`,
  inviteAccept: "Accept the invitation and choose your password:",
  acceptLabel: "Accept the invitation",
  inviteExpires: (at: string) => `The link works once, until ${at}. If it has expired, ask your admin to send a new one.`,
  inviteWhy: "If you did not expect this invitation, you can ignore this email.",
  resetAsked: (merchant: string) => `Someone asked to reset the password of your Replyby login for ${merchant}.`,
  resetLabel: "Choose a new password",
  resetExpires: (at: string) => `The link works once, until ${at}. Setting a new password signs you out everywhere.`,
  resetWhy: "If it was not you, ignore this email: your password stays as it is.",
  verify: (merchant: string) => `Someone (hopefully you) signed up for Replyby for ${merchant} with this address. Confirm it to sign in:`,
  verifyButton: "Confirm my email",
  verifyExpires: (hours: number) => `The link works once and expires in ${hours} hours. After that, sign in to get a new one.`,
  verifyNotYou: "If you did not sign up, ignore this email: nobody can sign in with this address until it is confirmed.",
};

const es: typeof en = {
  hello: (name) => (name ? `Hola, ${name}:` : "Hola:"),
  subject: {
    received: (ref, due) =>
      due ? `[${ref}] Hemos recibido su solicitud: respuesta antes de ${due}` : `[${ref}] Hemos recibido su solicitud`,
    reply: (ref) => `[${ref}] Nueva respuesta a su solicitud`,
    "info-requested": (ref) => `[${ref}] Necesitamos más información`,
    "quote-sent": (ref) => `[${ref}] Su presupuesto está listo`,
    requoted: (ref) => `[${ref}] Su presupuesto ha cambiado`,
    "quote-planned": (ref) => `[${ref}] Su solicitud está planificada`,
    "quote-delivered": (ref) => `[${ref}] Su solicitud está entregada`,
    resolved: (ref) => `[${ref}] Su solicitud está resuelta`,
    links: () => "Sus solicitudes de soporte",
    "alert-new": (ref, priority) => `[${ref}] Nueva solicitud ${priority}`,
    "alert-breach": (ref, priority) => `[${ref}] Solicitud ${priority} fuera de plazo`,
    invitation: (merchant) => `Le invitan a unirse a ${merchant} en Replyby`,
    "password-reset": (merchant) => `Restablezca su contraseña de Replyby para ${merchant}`,
    "verify-email": () => "Confirme su correo para empezar a usar Replyby",
  },
  received: (ref, topic) => `Hemos recibido su solicitud ${ref} (${topic}).`,
  firstReplyBy: (due) => `Recibirá una primera respuesta antes de: ${due}.`,
  resolutionBy: (due) => `Nuestro objetivo es resolverla antes de: ${due}.`,
  quoteFirst: "Es una petición de funcionalidad: recibirá un presupuesto para aceptar antes de planificar el trabajo.",
  why: "Cómo lo hemos calculado",
  replied: (ref) => `Soporte ha respondido a su solicitud ${ref}:`,
  filesOnPage: "Archivos de esta respuesta (descárguelos en la página de su solicitud):",
  asked: (ref) => `Soporte necesita más información para continuar con su solicitud ${ref}:`,
  askedPaused: "El plazo está en pausa hasta que responda. Responda a este correo o en la página de estado.",
  quoted: (ref) => `El presupuesto de su solicitud ${ref} está listo:`,
  requoted: (ref) => `El presupuesto de su solicitud ${ref} ha cambiado. Este es el que debe decidir ahora:`,
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
  invited: (inviter, merchant, role) =>
    `${inviter} le ha invitado a atender solicitudes de soporte de ${merchant} en Replyby, como ${role === "admin" ? "administrador" : "agente"}.`,
  inviteAccept: "Acepte la invitación y elija su contraseña:",
  acceptLabel: "Aceptar la invitación",
  inviteExpires: (at) => `El enlace funciona una vez, hasta: ${at}. Si ha caducado, pida a su administrador que le envíe otro.`,
  inviteWhy: "Si no esperaba esta invitación, puede ignorar este correo.",
  resetAsked: (merchant) => `Alguien ha pedido restablecer la contraseña de su acceso a Replyby para ${merchant}.`,
  resetLabel: "Elegir una contraseña nueva",
  resetExpires: (at) => `El enlace funciona una vez, hasta: ${at}. Al elegir una contraseña nueva se cierran todas sus sesiones.`,
  resetWhy: "Si no ha sido usted, ignore este correo: su contraseña no cambia.",
  verify: (merchant) =>
    `Alguien (esperamos que usted) se ha registrado en Replyby para ${merchant} con esta dirección. Confírmela para iniciar sesión:`,
  verifyButton: "Confirmar mi correo",
  verifyExpires: (hours) => `El enlace sirve una sola vez y caduca en ${hours} horas. Después, inicie sesión para recibir uno nuevo.`,
  verifyNotYou: "Si no se ha registrado, ignore este correo: nadie puede iniciar sesión con esta dirección hasta que se confirme.",
};

/** The email words of a locale. */
export type EmailStrings = typeof en;

/** The email words for a locale. */
export function emailStrings(locale: Locale): EmailStrings {
  return locale === "es" ? es : en;
}

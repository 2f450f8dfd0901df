import EmailReplyParser from "email-reply-parser";
import { convert } from "html-to-text";
import PostalMime, { type Email } from "postal-mime";
import type { IncomingFile } from "../attachments/store.ts";

/*
 * What an inbound email says, read from its raw bytes with no I/O: who sent it, what about, which
 * conversation it continues, the customer's own words (quoted history and HTML removed), and
 * whether it was written by a machine. Every value that may reach a header we write later has its
 * control characters (CR, LF …) removed here.
 */

/** The most of the customer's text a ticket keeps (the API's description limit). */
export const MAX_TEXT = 5000;
/** References ids read at most (a longer list is a loop or an attack, not a conversation). */
export const MAX_REFERENCES = 2000;

// email-reply-parser runs on plain RegExp in workerd (its optional native RE2 cannot load), and
// some of its patterns backtrack polynomially: measured in V8, 16 kB of crafted text took 10–28 s,
// 5 kB at most ~0.2 s once lines over 200 characters are masked (no quote header is that long).
const SCAN_CHARS = MAX_TEXT;
const SCAN_LINE = 200;
const replyParser = new EmailReplyParser();

/** Whether an inbound mail may get automatic email, may be ignored, or is a delivery report. */
export type Automation =
  /** A person wrote it: it gets the usual acknowledgements. */
  | { readonly kind: "person" }
  /** A machine sent it, but it may carry a real request (alerts, lists): filed, with no automatic email. */
  | { readonly kind: "automatic"; readonly why: string }
  /** An automatic answer to our own mail (out of office, our own address): nothing to file. */
  | { readonly kind: "auto-reply"; readonly why: string };

/** The facts of one inbound email. */
export interface MailFacts {
  /** The Message-ID as written (angle brackets kept), or a stable stand-in derived from the content. */
  readonly messageId: string;
  /** The sender's address (From, else the envelope), lower case; undefined when there is none usable. */
  readonly sender: string | undefined;
  /** The sender's display name, one line. */
  readonly name: string | undefined;
  /** The subject, one line. */
  readonly subject: string;
  readonly inReplyTo: string;
  readonly references: string;
  /** The customer's own words: plain text, quoted history removed, at most MAX_TEXT characters. */
  readonly text: string;
  readonly locale: string | undefined;
  readonly automation: Automation;
  /** For a delivery status report (bounce): the recipients it says failed; else undefined. */
  readonly failedRecipients: readonly string[] | undefined;
  /** The files the customer attached (not images the HTML shows inline, not a report's parts); the caps are applied when it is filed. */
  readonly files: readonly IncomingFile[];
}

/** The files of a parsed mail a person attached: inline images referenced by the HTML (signatures, logos) are left out. */
function filesOf(email: Email): IncomingFile[] {
  return email.attachments
    .filter((a) => !a.related && !a.mimeType.startsWith("message/delivery-status") && !a.mimeType.startsWith("message/global-delivery"))
    .map((a) => ({
      name: a.filename ?? "attachment",
      bytes:
        typeof a.content === "string"
          ? new TextEncoder().encode(a.content)
          : a.content instanceof Uint8Array
            ? a.content
            : new Uint8Array(a.content),
    }));
}

/** One line of text: control characters (CR, LF, tabs, NUL …) become spaces, at most `max` characters. */
export function oneLine(value: string | undefined, max: number): string {
  return (value ?? "")
    .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
    .replace(/\s{2,}/g, " ")
    .trim()
    .slice(0, max);
}

const ADDRESS = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,253}$/;

/** A usable email address, lower case, or undefined. */
export function addressOf(value: string | undefined): string | undefined {
  const a = (value ?? "").trim().toLowerCase();
  return a.length <= 254 && ADDRESS.test(a) ? a : undefined;
}

/** A support address as routed: lower case, without its plus part (help+token@x → help@x). */
export function baseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf("@");
  if (at < 0) return a;
  const local = a.slice(0, at);
  const plus = local.indexOf("+");
  return `${plus >= 0 ? local.slice(0, plus) : local}${a.slice(at)}`;
}

/** Parses raw bytes; throws on what postal-mime refuses (nesting or header size past its limits). */
export function parseMime(raw: Uint8Array<ArrayBuffer>): Promise<Email> {
  return PostalMime.parse(raw, { maxNestingDepth: 50, maxHeadersSize: 512 * 1024, maxRfc822NestingDepth: 2 });
}

function headerOf(email: Email, name: string): string | undefined {
  return email.headers.find((h) => h.key === name)?.value;
}

/** Plain text of customer HTML: never kept as HTML; links keep their text only, images and scripts vanish. */
function htmlText(html: string): string {
  return convert(html, {
    wordwrap: false,
    limits: { maxInputLength: 1_000_000, maxDepth: 200 },
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
    ],
  });
}

/** The reply without the quoted history below it (and without a signature the parser recognises). */
export function visibleReply(text: string): string {
  const scanned = text.replace(/\r\n?/g, "\n").slice(0, SCAN_CHARS);
  const long: string[] = [];
  const masked = scanned
    .split("\n")
    .map((line) => {
      if (line.length <= SCAN_LINE) return line.replace(/\uE000/g, "");
      long.push(line);
      return `\uE000${long.length - 1}\uE000`;
    })
    .join("\n");
  const visible = replyParser.parseReply(masked).replace(/\uE000(\d+)\uE000/g, (_, i: string) => long[Number(i)] ?? "");
  // A message that is only a quote (or only a signature) keeps its text rather than becoming empty.
  return (visible.trim() ? visible : scanned).trim();
}

/** Text with control characters other than newline and tab removed. */
function printable(text: string): string {
  return text.replace(/[^\P{Cc}\n\t]/gu, "");
}

/** The customer's words: the plain-text part, else the HTML turned into text; quoted history stripped. */
function customerText(email: Email): string {
  const plain = email.text?.trim() ? email.text : email.html ? htmlText(email.html) : "";
  return printable(visibleReply(plain)).slice(0, MAX_TEXT);
}

const NO_REPLY_LOCAL = /^(?:no-?reply|do-?not-?reply|noreply-.+|no-reply-.+)$/;

/**
 * Whether a machine wrote this mail (RFC 3834 and the common list and vacation headers). Our
 * own support addresses writing to us, mailer-daemons and vacation replies are "auto-reply":
 * recorded, never filed. Other automatic mail (Auto-Submitted: auto-generated, Precedence
 * bulk/list/junk, X-Auto-Response-Suppress, List-Id, noreply or postmaster senders, our own
 * domain) may be a real request and is filed with no automatic email.
 */
export function automationOf(email: Email, sender: string | undefined, ownSender: boolean, ownDomain: string): Automation {
  const auto = headerOf(email, "auto-submitted")?.trim().toLowerCase().split(/[\s;]/)[0];
  const precedence = headerOf(email, "precedence")?.trim().toLowerCase();
  const local = sender?.slice(0, sender.lastIndexOf("@")) ?? "";
  const domain = sender?.slice(sender.lastIndexOf("@") + 1) ?? "";
  if (ownSender) return { kind: "auto-reply", why: "sent by one of our own support addresses" };
  if (auto === "auto-replied") return { kind: "auto-reply", why: "Auto-Submitted: auto-replied" };
  if (headerOf(email, "x-autoreply") !== undefined || headerOf(email, "x-autorespond") !== undefined) {
    return { kind: "auto-reply", why: "vacation auto-reply header" };
  }
  if (precedence === "auto_reply") return { kind: "auto-reply", why: "Precedence: auto_reply" };
  if (local === "mailer-daemon") return { kind: "auto-reply", why: "sent by a mailer-daemon" };
  if (auto !== undefined && auto !== "no") return { kind: "automatic", why: `Auto-Submitted: ${oneLine(auto, 40)}` };
  if (precedence === "bulk" || precedence === "list" || precedence === "junk")
    return { kind: "automatic", why: `Precedence: ${precedence}` };
  if (headerOf(email, "x-auto-response-suppress") !== undefined) return { kind: "automatic", why: "X-Auto-Response-Suppress" };
  if (headerOf(email, "list-id") !== undefined) return { kind: "automatic", why: "List-Id" };
  if (local === "postmaster" || NO_REPLY_LOCAL.test(local)) return { kind: "automatic", why: `sent by ${local}@` };
  if (domain === ownDomain) return { kind: "automatic", why: "sent from our own domain" };
  return { kind: "person" };
}

/** For a delivery status report (multipart/report; report-type=delivery-status), the recipients marked failed. */
function failedRecipientsOf(email: Email): string[] | undefined {
  const type = (headerOf(email, "content-type") ?? "").toLowerCase();
  const status = email.attachments.find((a) => a.mimeType === "message/delivery-status" || a.mimeType === "message/global-delivery-status");
  const isReport = type.startsWith("multipart/report") && /report-type\s*=\s*"?delivery-status/.test(type);
  if (!isReport && !status) return undefined;
  if (!status) return [];
  const body = typeof status.content === "string" ? status.content : new TextDecoder().decode(status.content);
  const failed = new Set<string>();
  // Per-recipient groups are separated by blank lines; each names its recipient and its action.
  for (const group of body
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .slice(0, 100)) {
    const recipient = /^(?:final|original)-recipient\s*:\s*[^;\n]*;\s*(.+)$/im.exec(group)?.[1];
    const action = /^action\s*:\s*(\S+)/im.exec(group)?.[1]?.toLowerCase();
    const address = addressOf(recipient?.replace(/^<|>$/g, ""));
    if (address && action === "failed") failed.add(address);
  }
  return [...failed];
}

async function contentId(raw: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  return `<sha256.${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}@replyby.invalid>`;
}

/** The facts of a parsed mail; `envelopeFrom` stands in when the From header has no usable address. */
export async function factsOf(
  email: Email,
  raw: Uint8Array<ArrayBuffer>,
  envelopeFrom: string,
  own: { readonly isOwnAddress: (address: string) => Promise<boolean>; readonly domain: string },
): Promise<MailFacts> {
  const from = email.from?.address !== undefined ? email.from : undefined;
  const sender = addressOf(from?.address) ?? addressOf(envelopeFrom);
  const messageId = oneLine(email.messageId, 998) || (await contentId(raw));
  const language = headerOf(email, "content-language")?.trim().split(/[\s,]/)[0];
  const failedRecipients = failedRecipientsOf(email);
  return {
    messageId,
    sender,
    name: oneLine(from?.name, 200) || undefined,
    subject: oneLine(email.subject, 300),
    inReplyTo: (email.inReplyTo ?? "").slice(0, 10_000),
    references: email.references ?? "",
    text: failedRecipients ? "" : customerText(email),
    locale: language && /^[a-z]{2}(?:-[a-z]{2})?$/i.test(language) ? language : undefined,
    automation: automationOf(email, sender, sender !== undefined && (await own.isOwnAddress(baseAddress(sender))), own.domain),
    failedRecipients,
    files: failedRecipients ? [] : filesOf(email),
  };
}

/** The message ids (angle brackets kept) in a header value, at most `limit`, in order. */
export function messageIdsIn(value: string, limit: number): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/<[^<>\s]{1,998}>/g)) {
    if (out.length >= limit) break;
    out.push(m[0]);
  }
  return out;
}

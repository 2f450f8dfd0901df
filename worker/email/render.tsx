import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import { accentPalette } from "../../widget/src/lib/contrast.ts";
import type { Locale } from "../engine/format.ts";
import type { Brand } from "../merchant/branding.ts";
import { type EmailStrings, emailStrings } from "./strings.ts";
import type { EmailTemplate } from "./templates.ts";

/** What one email says, already looked up and formatted for its reader. */
export interface EmailContent {
  readonly template: EmailTemplate;
  readonly locale: Locale;
  /** The site's name as customers know it ("eCellar support"), and its brand accent. */
  readonly brand: Brand;
  readonly reference: string;
  readonly customerName: string | null;
  /** "Setup problem · Normal". */
  readonly topic: string;
  readonly priority: string;
  /** Due times, formatted in the reader's zone ("Tue 24 Nov, 10:00 (Asia/Tokyo)"). */
  readonly firstReplyBy?: string | undefined;
  readonly resolutionBy?: string | undefined;
  /** The window's explanation lines (received email only). */
  readonly explanation?: readonly string[] | undefined;
  /** A staff reply, question or resolution note (plain text, shown as text). */
  readonly body?: string | undefined;
  readonly quote?:
    | { readonly amount?: string | undefined; readonly validUntil?: string | undefined; readonly revised?: boolean | undefined }
    | undefined;
  readonly plannedFor?: string | undefined;
  readonly reopenUntil?: string | undefined;
  readonly quoteWorkflow?: boolean | undefined;
  /** Names of the files a reply carries: named only, never attached (they are downloaded from the status page). */
  readonly files?: readonly string[] | undefined;
  /** The status page link (absolute), or the dashboard link for on-call alerts. */
  readonly url: string;
  /** Account emails: the merchant the login belongs to. */
  readonly merchantName?: string | undefined;
  /** The verification email: hours until its link expires. */
  readonly expiresInHours?: number | undefined;
  /** The links email: one absolute link per open request. */
  readonly links?: readonly { readonly reference: string; readonly topic: string; readonly url: string }[] | undefined;
  /** Team emails: the merchant, who invited them and with which role, and until when the link works. */
  readonly team?: { readonly merchant: string; readonly inviter?: string; readonly role?: string; readonly expiresAt: string } | undefined;
}

/** A rendered email: subject (one line), plain text, and HTML with every value escaped. */
export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** One paragraph or a block of the email, the same in text and HTML. */
type Block = { p: string } | { quote: string } | { list: readonly string[]; title?: string } | { link: string; label: string };

function blocks(c: EmailContent, s: EmailStrings): Block[] {
  const ref = c.reference;
  const out: Block[] = [{ p: s.hello(c.customerName) }];
  switch (c.template) {
    case "received":
      out.push({ p: s.received(ref, c.topic) });
      if (c.firstReplyBy) out.push({ p: s.firstReplyBy(c.firstReplyBy) });
      if (c.resolutionBy) out.push({ p: s.resolutionBy(c.resolutionBy) });
      if (c.quoteWorkflow) out.push({ p: s.quoteFirst });
      if (c.explanation?.length) out.push({ list: c.explanation, title: s.why });
      break;
    case "reply":
      out.push({ p: s.replied(ref) });
      if (c.body) out.push({ quote: c.body });
      if (c.files?.length) out.push({ list: c.files, title: s.filesOnPage });
      break;
    case "info-requested":
      out.push({ p: s.asked(ref) }, { quote: c.body ?? "" }, { p: s.askedPaused });
      break;
    case "quote-sent":
      out.push({ p: c.quote?.revised ? s.requoted(ref) : s.quoted(ref) });
      if (c.quote?.amount) out.push({ p: s.amount(c.quote.amount) });
      if (c.body) out.push({ quote: c.body });
      if (c.quote?.validUntil) out.push({ p: s.validUntil(c.quote.validUntil) });
      out.push({ p: s.quoteDecide });
      break;
    case "quote-planned":
      out.push({ p: s.planned(ref, c.plannedFor ?? "") });
      break;
    case "quote-delivered":
      out.push({ p: s.delivered(ref) });
      if (c.body) out.push({ quote: c.body });
      break;
    case "resolved":
      out.push({ p: s.resolvedText(ref) });
      if (c.body) out.push({ quote: c.body });
      if (c.reopenUntil) out.push({ p: s.notFixed(c.reopenUntil) });
      break;
    case "links":
      out.push({ p: s.links(c.links?.length ?? 0) });
      for (const l of c.links ?? []) out.push({ link: l.url, label: `${l.reference} · ${l.topic}` });
      out.push({ p: s.linksWhy });
      return out;
    case "alert-new":
      out.splice(0, 1, { p: s.alertNew(ref, c.priority, c.topic) });
      if (c.body) out.push({ quote: c.body });
      if (c.firstReplyBy) out.push({ p: s.alertDue(c.firstReplyBy) });
      out.push({ p: s.alertOpen }, { link: c.url, label: ref });
      return out;
    case "alert-breach":
      out.splice(0, 1, { p: s.alertBreach(ref, c.priority) }, { p: s.alertOpen }, { link: c.url, label: ref });
      return out;
    case "invitation": {
      const t = c.team;
      out.push(
        { p: s.invited(t?.inviter ?? "", t?.merchant ?? "", t?.role ?? "agent") },
        { p: s.inviteAccept },
        { link: c.url, label: s.acceptLabel },
        { p: s.inviteExpires(t?.expiresAt ?? "") },
        { p: s.inviteWhy },
      );
      return out;
    }
    case "password-reset":
      out.push(
        { p: s.resetAsked(c.team?.merchant ?? "") },
        { link: c.url, label: s.resetLabel },
        { p: s.resetExpires(c.team?.expiresAt ?? "") },
        { p: s.resetWhy },
      );
      return out;
    case "verify-email":
      out.push(
        { p: s.verify(c.merchantName ?? "") },
        { link: c.url, label: s.verifyButton },
        { p: s.verifyExpires(c.expiresInHours ?? 24) },
        { p: s.verifyNotYou },
      );
      return out;
  }
  out.push({ p: s.follow }, { link: c.url, label: s.openRequest }, { p: s.replyHint });
  return out;
}

function subjectOf(c: EmailContent, s: EmailStrings): string {
  const subj = s.subject;
  switch (c.template) {
    case "received":
      return subj.received(c.reference, c.firstReplyBy ?? null);
    case "links":
      return subj.links();
    case "quote-sent":
      return c.quote?.revised ? subj.requoted(c.reference) : subj["quote-sent"](c.reference);
    case "verify-email":
      return subj[c.template]();
    case "alert-new":
    case "alert-breach":
      return subj[c.template](c.reference, c.priority);
    case "invitation":
    case "password-reset":
      return subj[c.template](c.team?.merchant ?? "");
    default:
      return subj[c.template](c.reference);
  }
}

function textOf(b: Block): string {
  if ("p" in b) return b.p;
  if ("quote" in b)
    return b.quote
      .split("\n")
      .map((l) => `> ${l}`)
      .join("\n");
  if ("list" in b) return [...(b.title ? [`${b.title}:`] : []), ...b.list.map((l) => `- ${l}`)].join("\n");
  return `${b.label}: ${b.link}`;
}

function Layout({
  brand,
  lang,
  children,
  footer,
}: {
  brand: EmailContent["brand"];
  lang: Locale;
  children: ComponentChildren;
  footer: string;
}) {
  const palette = accentPalette(brand.accent ?? "#1d4ed8");
  return (
    <html lang={lang}>
      <body style="margin:0;padding:0;background:#f4f4f5;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a">
        <table role="presentation" width="100%" cellPadding="0" cellSpacing="0" style="background:#f4f4f5;padding:24px 0">
          <tr>
            <td align="center">
              <table
                role="presentation"
                width="560"
                cellPadding="0"
                cellSpacing="0"
                style="max-width:560px;width:100%;background:#ffffff;border-radius:8px"
              >
                <tr>
                  <td
                    style={`background:${palette.accent};color:${palette.onAccent};padding:16px 24px;font-size:18px;font-weight:700;border-radius:8px 8px 0 0`}
                  >
                    {brand.title}
                  </td>
                </tr>
                <tr>
                  <td style="padding:24px;font-size:15px;line-height:1.5">{children}</td>
                </tr>
                <tr>
                  <td style="padding:0 24px 24px;font-size:12px;color:#52525b">{footer}</td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

function BlockHtml({ b, accent }: { b: Block; accent: ReturnType<typeof accentPalette> }) {
  if ("p" in b) return <p style="margin:0 0 12px">{b.p}</p>;
  if ("quote" in b) {
    return <p style="margin:0 0 12px;padding:8px 12px;border-left:3px solid #d4d4d8;background:#fafafa;white-space:pre-wrap">{b.quote}</p>;
  }
  if ("list" in b) {
    return (
      <>
        {b.title ? <p style="margin:0 0 4px;font-weight:600">{b.title}</p> : null}
        <ul style="margin:0 0 12px;padding-left:20px;color:#3f3f46">
          {b.list.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <p style="margin:0 0 12px">
      <a
        href={b.link}
        style={`display:inline-block;padding:10px 16px;border-radius:6px;background:${accent.accent};color:${accent.onAccent};text-decoration:none;font-weight:600`}
      >
        {b.label}
      </a>
    </p>
  );
}

/** Renders one email: the same blocks as plain text and as branded HTML, every value escaped by Preact. */
export function renderEmail(c: EmailContent): RenderedEmail {
  const s = emailStrings(c.locale);
  const parts = blocks(c, s);
  const footer = `${c.brand.title} · ${s.automatic}`;
  const palette = accentPalette(c.brand.accent ?? "#1d4ed8");
  const html = `<!doctype html>${renderToString(
    <Layout brand={c.brand} lang={c.locale} footer={footer}>
      {parts.map((b) => (
        <BlockHtml key={textOf(b)} b={b} accent={palette} />
      ))}
    </Layout>,
  )}`;
  return {
    // Header values never carry a line break, whatever a label or reference holds.
    subject: subjectOf(c, s)
      .replace(/[\r\n]+/g, " ")
      .slice(0, 250),
    text: `${parts.map(textOf).join("\n\n")}\n\n-- \n${footer}\n`,
    html,
  };
}

import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { renderToString } from "preact-render-to-string";
import { devMailbox } from "../../schema/db.ts";
import { ApiError } from "../errors.ts";
import { database } from "../infra/db.ts";
import type { AppEnv } from "../infra/http.ts";

/** Emails the local mailbox lists. */
const SHOWN = 200;

type Mail = typeof devMailbox.$inferSelect;

function MailboxPage({ mails }: { mails: readonly Mail[] }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Local mailbox · Replyby</title>
        <style>{`body{font-family:system-ui,sans-serif;margin:24px;max-width:900px;color:#1a1a1a}
article{border:1px solid #d4d4d8;border-radius:8px;padding:12px 16px;margin:0 0 12px}
h2{font-size:16px;margin:0 0 4px}.meta{color:#52525b;font-size:13px;margin:0 0 8px}
pre{white-space:pre-wrap;background:#fafafa;padding:8px;border-radius:6px;font-size:13px}`}</style>
      </head>
      <body>
        <h1>Local mailbox</h1>
        <p>
          Every email the worker sent while running locally, newest first ({mails.length} shown). Nothing here left this machine. As JSON:{" "}
          <a href="/dev/mailbox.json">/dev/mailbox.json</a>.
        </p>
        {mails.length === 0 ? <p>No emails yet. File a request in a demo store and wait for the next minute's delivery run.</p> : null}
        {mails.map((m) => (
          <article key={m.id}>
            <h2>{m.subject}</h2>
            <p class="meta">
              To {m.recipient} · from {m.sender} · {new Date(m.sentAt).toISOString().replace(".000Z", "Z")} ·{" "}
              <a href={`/dev/mailbox/${m.id}.html`}>view as HTML</a>
            </p>
            <pre>{m.text}</pre>
          </article>
        ))}
      </body>
    </html>
  );
}

/**
 * The local mailbox (DEV_MODE only; 404 in production): /dev/mailbox (HTML), /dev/mailbox.json
 * (every email sent, newest first) and each email's own HTML, served sandboxed.
 */
export const mailbox = new Hono<AppEnv>();

mailbox.use(async (c, next) => {
  if (c.env.DEV_MODE !== "true") throw new ApiError("not-found", "No such resource");
  await next();
});

const newest = (env: Env) => database(env.DB).select().from(devMailbox).orderBy(desc(devMailbox.sentAt), desc(devMailbox.id)).limit(SHOWN);

mailbox.get("/mailbox.json", async (c) =>
  c.json(
    (await newest(c.env)).map((m) => ({
      from: m.sender,
      to: m.recipient,
      subject: m.subject,
      text: m.text,
      html: m.html,
      headers: m.headers,
      sentAt: new Date(m.sentAt).toISOString(),
    })),
  ),
);

mailbox.get("/mailbox", async (c) => c.html(`<!doctype html>${renderToString(<MailboxPage mails={await newest(c.env)} />)}`));

mailbox.get("/mailbox/:file{[A-Za-z0-9_-]+\\.html}", async (c) => {
  const id = c.req.param("file").slice(0, -5);
  const mail = await database(c.env.DB).select().from(devMailbox).where(eq(devMailbox.id, id)).get();
  if (!mail) throw new ApiError("not-found", "No such email");
  // The email as a mail client would show it: no script, no network, its own origin.
  c.header("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  return c.html(mail.html);
});

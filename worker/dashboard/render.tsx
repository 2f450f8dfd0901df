import type { Context } from "hono";
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";
import type { ApiError } from "../errors.ts";
import { Layout, type Section } from "./components/Layout.tsx";
import type { DashEnv } from "./env.ts";
import { ErrorPage } from "./pages/Error.tsx";

/** Renders a page in the layout; Preact escapes every text and attribute value. */
export function page(
  c: Context<DashEnv>,
  opts: { title: string; section?: Section; status?: number; signedIn?: boolean },
  body: ComponentChildren,
): Response {
  const session = opts.signedIn === false ? undefined : c.get("session");
  const html = renderToString(
    <Layout title={opts.title} nonce={c.var.nonce} session={session} section={opts.section}>
      {body}
    </Layout>,
  );
  return c.html(`<!doctype html>${html}`, (opts.status ?? 200) as 200);
}

/** A 303 redirect after a successful form post, with a fixed message key for the next page. */
export function done(c: Context<DashEnv>, path: string, message: string): Response {
  const sep = path.includes("?") ? "&" : "?";
  return c.redirect(`${path}${sep}done=${encodeURIComponent(message)}`, 303);
}

/**
 * The notice for a `?done=` key, or none when the page defines no such key. Own keys only: a
 * plain lookup would find `__proto__` or `toString` on the prototype and draw an empty notice.
 */
export function noticeFor(notices: Readonly<Record<string, string>>, key: string | undefined): string | undefined {
  return key !== undefined && Object.hasOwn(notices, key) ? notices[key] : undefined;
}

/** The page for an expected failure (404, 403, 400 …) with the problem's status. */
export function errorPage(c: Context<DashEnv>, err: ApiError, status: number): Response {
  const signedIn = c.get("session") !== undefined;
  return page(
    c,
    { title: titleOf(status), status, signedIn },
    <ErrorPage title={titleOf(status)} detail={err.message} errors={err.errors} signedIn={signedIn} />,
  );
}

function titleOf(status: number): string {
  if (status === 404) return "Not found";
  if (status === 403) return "Not allowed";
  if (status === 401) return "Signed out";
  if (status === 429) return "Too many requests";
  if (status === 409) return "Conflict";
  return "Something is not right";
}

import type { ComponentChildren } from "preact";
import { assetUrls } from "../assets.ts";
import type { StaffSession } from "../env.ts";
import { Csrf } from "./ui.tsx";

/** The sections of the top navigation. */
export type Section = "onboarding" | "queue" | "incidents" | "reports" | "settings" | "account";

const sections: { id: Section; href: string; label: string; admin?: boolean; pending?: boolean }[] = [
  // A signed-up merchant's checklist, until it is finished.
  { id: "onboarding", href: "/dashboard/onboarding", label: "Get started", admin: true, pending: true },
  { id: "queue", href: "/dashboard/queue", label: "Queue" },
  { id: "incidents", href: "/dashboard/incidents", label: "Incidents" },
  { id: "reports", href: "/dashboard/reports", label: "Reports" },
  { id: "settings", href: "/dashboard/settings/policy", label: "Settings", admin: true },
  { id: "account", href: "/dashboard/account", label: "Account" },
];

/** The page shell: head with the nonce'd script, navigation for a signed-in staff member. */
export function Layout({
  title,
  nonce,
  session,
  section,
  children,
}: {
  title: string;
  nonce: string;
  session?: StaffSession | undefined;
  section?: Section | undefined;
  children: ComponentChildren;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        {/* An empty icon, so browsers do not ask for /favicon.ico. */}
        <link rel="icon" href="data:," />
        <title>{`${title} · Replyby`}</title>
        <link rel="stylesheet" href={assetUrls.css} />
        <script nonce={nonce} src={assetUrls.js} defer />
      </head>
      <body>
        {session ? (
          <header class="top">
            <span class="brand">{session.merchant.name}</span>
            <nav aria-label="Dashboard">
              {sections
                .filter((s) => !s.admin || session.staff.role === "admin")
                .filter((s) => !s.pending || (session.merchant.onboarding && session.merchant.onboarding.doneAt === undefined))
                .map((s) => (
                  <a key={s.id} href={s.href} aria-current={s.id === section ? "page" : undefined}>
                    {s.label}
                  </a>
                ))}
            </nav>
            <span class="who">
              {session.staff.name} · {session.staff.role}
            </span>
            <form method="post" action="/dashboard/logout">
              <Csrf token={session.csrf} />
              <button type="submit">Sign out</button>
            </form>
          </header>
        ) : null}
        <main>{children}</main>
      </body>
    </html>
  );
}

import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_PASSWORD } from "./seed.ts";
import { startDevServer } from "./server.ts";

// `npm start`: the whole product locally — widget built, local D1 migrated and seeded, worker on PORT.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const port = Number(process.env.PORT ?? 8787);
const server = await startDevServer({ port, persistTo: path.join(root, ".wrangler/state"), quiet: false });
const u = server.url;
const lines = [
  "",
  `Replyby is running on ${u}`,
  "",
  `  Demo storefronts   ${u}/demo  (one per preset: ${u}/demo/ecellar …)`,
  `  Dashboard          ${u}/dashboard`,
  `  API reference      ${u}/openapi.json`,
  `  Local mailbox      ${u}/dev/mailbox  (every email the worker sent; JSON at ${u}/dev/mailbox.json)`,
  `  Support addresses  help@<preset>.demo — send a test email with:`,
  `    curl -X POST "${u}/cdn-cgi/local/email?from=ana@example.com&to=help@commerceup.demo" --data-binary @mail.eml`,
  "",
  `  Demo logins (password: ${DEMO_PASSWORD})`,
  ...server.logins.map((l) => `    ${l.email.padEnd(30)} ${l.role}`),
  "",
  "  Ctrl-C to stop.",
  "",
];
process.stdout.write(lines.join("\n"));

// wrangler dev does not run cron triggers by itself: run the scheduled handler every minute, as
// production does (SLA flips, quote expiry, email and webhook deliveries).
const tick = setInterval(() => {
  fetch(`${u}/cdn-cgi/local/scheduled`).catch((e: unknown) => process.stderr.write(`scheduled run failed: ${String(e)}\n`));
}, 60_000);
tick.unref();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    clearInterval(tick);
    server.stop().then(() => process.exit(0));
  });
}

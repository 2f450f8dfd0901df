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
  "",
  `  Demo logins (password: ${DEMO_PASSWORD})`,
  ...server.logins.map((l) => `    ${l.email.padEnd(30)} ${l.role}`),
  "",
  "  Ctrl-C to stop.",
  "",
];
process.stdout.write(lines.join("\n"));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.stop().then(() => process.exit(0));
  });
}

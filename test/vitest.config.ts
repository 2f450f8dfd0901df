import path from "node:path";
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "schema/migrations"));
  return {
    root,
    test: {
      reporters: ["default", "./test/setup/summary-reporter.ts"],
      projects: [
        {
          // Everything that runs on the edge is tested inside workerd, with a real local D1.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: path.join(root, "wrangler.toml") },
              // DEV_MODE as under `npm start`: the demo storefronts are mounted and the local mailbox keeps a copy
              // of every email sent (production sets no DEV_MODE).
              miniflare: {
                bindings: { TEST_MIGRATIONS: migrations, DEV_MODE: "true", PUBLIC_URL: "https://replyby.test" },
                // Replaces wrangler.toml's send_email list, so EMAIL is repeated. REFUSING_EMAIL is a second
                // real binding that may send to nobody: every send throws, as the service does for a
                // refused recipient. Outbox tests deliver through it to see retries.
                email: { send_email: [{ name: "EMAIL" }, { name: "REFUSING_EMAIL", allowed_destination_addresses: [] }] },
              },
            }),
          ],
          // As in wrangler.toml's [alias]: email-reply-parser's look for a native RE2 gets the worker's stand-in.
          resolve: { alias: { module: path.join(root, "worker/email/node-module-shim.ts") } },
          test: {
            name: "workers",
            root,
            include: ["test/worker/**/*.test.ts", "test/schema/**/*.test.ts"],
            setupFiles: ["./test/setup/apply-migrations.ts"],
          },
        },
        {
          // The CLI and real-browser tests drive processes and Chromium from Node.
          test: {
            name: "node",
            root,
            environment: "node",
            include: ["test/cli/**/*.test.ts", "test/widget/**/*.test.ts", "test/browser/**/*.test.ts", "test/system/**/*.test.ts"],
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  };
});

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type DemoLogin, demoRows, demoSql } from "./seed.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const wrangler = path.join(root, "node_modules/.bin/wrangler");
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_D1_WARNING: "true", CI: "true" };

/** A free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
}

/** Builds the widget bundle into widget/dist (what the worker serves as static assets). */
export function buildWidget(): void {
  if (existsSync(path.join(root, "widget/build.ts"))) run(process.execPath, [path.join(root, "widget/build.ts")]);
}

/** Applies migrations to a local D1 state folder and seeds the demo data for these origins. */
export async function prepareDatabase(persistTo: string, origins: string[]): Promise<DemoLogin[]> {
  run(wrangler, ["d1", "migrations", "apply", "replyby", "--local", "--persist-to", persistTo]);
  const { rows, logins } = await demoRows({ origins, now: Date.now() });
  const file = path.join(mkdtempSync(path.join(tmpdir(), "replyby-seed-")), "seed.sql");
  writeFileSync(file, demoSql(rows));
  run(wrangler, ["d1", "execute", "replyby", "--local", "--persist-to", persistTo, "--file", file]);
  return logins;
}

/** A running local worker. */
export interface DevServer {
  readonly url: string;
  readonly port: number;
  readonly persistTo: string;
  readonly logins: DemoLogin[];
  stop(): Promise<void>;
}

/**
 * Builds the widget, migrates and seeds a local D1 (a fresh folder unless `persistTo` is given)
 * and runs `wrangler dev` on loopback until /health answers.
 */
export async function startDevServer(
  opts: { port?: number; persistTo?: string; vars?: Record<string, string>; quiet?: boolean } = {},
): Promise<DevServer> {
  const port = opts.port ?? (await freePort());
  const persistTo = opts.persistTo ?? mkdtempSync(path.join(tmpdir(), "replyby-d1-"));
  buildWidget();
  const logins = await prepareDatabase(persistTo, [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
  const vars = Object.entries(opts.vars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child: ChildProcess = spawn(
    wrangler,
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      persistTo,
      "--inspector-port",
      String(await freePort()),
      "--log-level",
      "warn",
      ...vars,
    ],
    { cwd: root, env, stdio: opts.quiet === false ? "inherit" : ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (d) => {
    output += String(d);
  });
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, persistTo, logins, stop };
}

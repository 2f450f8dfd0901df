import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type DemoLogin, demoRows, demoSql } from "./seed.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// Wrangler runs on the same Node as this script (Node 24 from node_modules), whatever Node the
// machine has: its own `#!/usr/bin/env node` would find the system's.
const wranglerJs = path.join(root, "node_modules/wrangler/bin/wrangler.js");
const env = {
  ...process.env,
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
  WRANGLER_SEND_METRICS: "false",
  NO_D1_WARNING: "true",
  CI: "true",
};

/** Runs wrangler synchronously; throws with its output on failure. */
export function wrangler(args: string[]): string {
  // A query's JSON may be far over spawnSync's 1 MiB default (the load bench reads every email's lag).
  const r = spawnSync(process.execPath, [wranglerJs, ...args], { cwd: root, env, encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Rows of one SQL query against a local D1 folder (the last statement's results). */
export function d1Query<T = Record<string, unknown>>(persistTo: string, query: string, envName?: string): T[] {
  const out = wrangler([
    "d1",
    "execute",
    "replyby",
    "--local",
    ...(envName ? ["--env", envName] : []),
    "--persist-to",
    persistTo,
    "--json",
    "--command",
    query,
  ]);
  return (JSON.parse(out) as { results: T[] }[]).at(-1)?.results ?? [];
}

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

/** Builds the widget bundle into widget/dist (what the worker serves as static assets). */
export function buildWidget(): void {
  if (!existsSync(path.join(root, "widget/build.ts"))) return;
  const r = spawnSync(process.execPath, [path.join(root, "widget/build.ts")], { cwd: root, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`widget build failed:\n${r.stdout}\n${r.stderr}`);
}

/** Applies migrations to a local D1 state folder and seeds the demo data for these origins. */
export async function prepareDatabase(persistTo: string, origins: string[], envName?: string): Promise<DemoLogin[]> {
  const envArgs = envName ? ["--env", envName] : [];
  wrangler(["d1", "migrations", "apply", "replyby", "--local", "--persist-to", persistTo, ...envArgs]);
  const { rows, logins } = await demoRows({ origins, now: Date.now() });
  const file = path.join(mkdtempSync(path.join(tmpdir(), "replyby-seed-")), "seed.sql");
  writeFileSync(file, demoSql(rows));
  wrangler(["d1", "execute", "replyby", "--local", "--persist-to", persistTo, "--file", file, ...envArgs]);
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

/** A `wrangler dev` process on loopback (ready once GET /health answers 200). */
export interface WranglerDev {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Runs `wrangler dev` on 127.0.0.1 with these extra arguments until /health answers. */
export async function wranglerDev(
  args: string[],
  opts: { port?: number; quiet?: boolean; inspectorPort?: number } = {},
): Promise<WranglerDev> {
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(
    process.execPath,
    [
      wranglerJs,
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(opts.inspectorPort ?? (await freePort())),
      "--log-level",
      "warn",
      ...args,
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
  return { url, port, stop };
}

/**
 * Builds the widget, migrates and seeds a local D1 (a fresh folder unless `persistTo` is given)
 * and runs `wrangler dev` on loopback until /health answers.
 */
export async function startDevServer(
  opts: { port?: number; persistTo?: string; vars?: Record<string, string>; quiet?: boolean; env?: string; inspectorPort?: number } = {},
): Promise<DevServer> {
  const port = opts.port ?? (await freePort());
  const persistTo = opts.persistTo ?? mkdtempSync(path.join(tmpdir(), "replyby-d1-"));
  buildWidget();
  const logins = await prepareDatabase(persistTo, [`http://localhost:${port}`, `http://127.0.0.1:${port}`], opts.env);
  // A local run: links in emails point here; DEV_MODE mounts the demo storefronts and the local mailbox
  // (never set in production, nor in the bench's production-like setup).
  const devVars = { PUBLIC_URL: `http://127.0.0.1:${port}`, ...(opts.env ? {} : { DEV_MODE: "true" }), ...opts.vars };
  const vars = Object.entries(devVars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const dev = await wranglerDev(["--persist-to", persistTo, ...(opts.env ? ["--env", opts.env] : []), ...vars], {
    port,
    ...(opts.quiet !== undefined ? { quiet: opts.quiet } : {}),
    ...(opts.inspectorPort !== undefined ? { inspectorPort: opts.inspectorPort } : {}),
  });
  return { ...dev, persistTo, logins };
}

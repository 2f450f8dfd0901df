/**
 * Builds the widget into widget/dist/ (served by the worker as static assets at the site root):
 *   widget.js              the loader (classic script, IIFE, no Lit) — the one URL merchants embed
 *   widget/app.<hash>.js   the app (ES module, Lit + components), content-hashed so it caches forever
 *   widget/app.js          the same app under a stable name, for pages that use <replyby-widget> directly
 *   _headers               CORS/CORP, caching and nosniff for the scripts (Workers static assets)
 * and checks the budgets (loader ≤ 4 KB gzip, loader + app ≤ 30 KB gzip) and that nothing from the
 * worker side (zod, drizzle, luxon, hono, schema/) leaked into the bundle; it fails otherwise.
 * Builds are deterministic and published file by file, so rebuilding next to a running worker is safe.
 * Run: `node widget/build.ts` (Node 24: erasable TypeScript only). `buildWidget()` for scripts.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build, type Plugin, transform } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, "dist");

/** Budgets in bytes, gzip level 9 (what DESIGN.md's table means by "KB gzip"). */
export const budgets = { loaderGzip: 4 * 1024, totalGzip: 30 * 1024 };
/** Packages that belong to the worker and must never reach the browser bundle. */
const forbidden = ["zod", "drizzle-orm", "drizzle-zod", "luxon", "hono", "@hono/zod-openapi"];
/** Oldest syntax the widget ships: ES2022 (class fields and #private are native, no helpers). */
const target = "es2022";

/**
 * esbuild leaves template literals alone, so Lit's css`…` blocks would ship with their indentation
 * and comments. This minifies each one through esbuild's own CSS minifier (only static blocks:
 * none of ours interpolates, and one that did would be left as written).
 */
const minifyCssTemplates: Plugin = {
  name: "minify-css-templates",
  setup(b) {
    b.onLoad({ filter: /\.styles\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      let out = "";
      let last = 0;
      for (const m of source.matchAll(/\bcss`([^`$\\]*)`/g)) {
        const min = (await transform(m[1] as string, { loader: "css", minify: true })).code.trim();
        out += `${source.slice(last, m.index)}css\`${min}\``;
        last = (m.index as number) + m[0].length;
      }
      return { contents: out + source.slice(last), loader: "ts" };
    });
  },
};

/**
 * Lit's html`…` templates also ship as written, indentation included. This collapses each run of
 * whitespace that contains a line break, in the static parts of html`…` templates only, to one
 * space: the same rendering (HTML collapses such runs anyway; no template of ours has static text
 * inside <pre> or <textarea>), fewer bytes. Expressions (${…}), nested templates included, are
 * scanned past untouched.
 */
export function collapseHtmlTemplates(source: string): string {
  let out = "";
  let i = 0;
  // Copies a template literal starting after its opening backtick; `collapse` for html`…` parts.
  const literal = (collapse: boolean) => {
    let text = "";
    const flush = () => {
      out += collapse ? text.replace(/[ \t]*\n\s*/g, " ") : text;
      text = "";
    };
    while (i < source.length) {
      const ch = source[i] as string;
      if (ch === "\\") {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (ch === "`") {
        flush();
        out += "`";
        i += 1;
        return;
      } else if (ch === "$" && source[i + 1] === "{") {
        flush();
        out += "${";
        i += 2;
        code(1);
      } else {
        text += ch;
        i += 1;
      }
    }
    flush();
  };
  // Copies code until the brace that closes `depth`, descending into template literals.
  const code = (depth: number) => {
    while (i < source.length) {
      const ch = source[i] as string;
      if (ch === "`") {
        const isHtml = /\bhtml$/.test(out);
        out += "`";
        i += 1;
        literal(isHtml);
      } else if (ch === "'" || ch === '"') {
        const end = source.indexOf(ch, i + 1);
        let j = end;
        while (j > 0 && source[j - 1] === "\\") j = source.indexOf(ch, j + 1);
        const stop = j < 0 ? source.length : j + 1;
        out += source.slice(i, stop);
        i = stop;
      } else if (ch === "/" && source[i + 1] === "/") {
        const end = source.indexOf("\n", i);
        const stop = end < 0 ? source.length : end;
        out += source.slice(i, stop);
        i = stop;
      } else if (ch === "/" && source[i + 1] === "*") {
        const end = source.indexOf("*/", i + 2);
        const stop = end < 0 ? source.length : end + 2;
        out += source.slice(i, stop);
        i = stop;
      } else {
        if (ch === "{") depth += 1;
        if (ch === "}") {
          depth -= 1;
          if (depth === 0) {
            out += "}";
            i += 1;
            return;
          }
        }
        out += ch;
        i += 1;
      }
    }
  };
  code(Number.POSITIVE_INFINITY);
  return out;
}

const collapseTemplates: Plugin = {
  name: "collapse-html-templates",
  setup(b) {
    b.onLoad({ filter: /components[\\/][^\\/]+[\\/][^\\/.]+\.ts$/ }, async (args) => ({
      contents: collapseHtmlTemplates(await readFile(args.path, "utf8")),
      loader: "ts",
    }));
  },
};

export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

export interface BuildResult {
  dist: string;
  loader: FileSize;
  app: FileSize;
  /** Path of the hashed app chunk, relative to dist/ (what widget.js imports). */
  appChunk: string;
}

function sizes(file: string, bytes: Buffer): FileSize {
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const headers = `# Generated by widget/build.ts.
# HTTPS only, like every response of the worker (worker/app.ts).
/*
  Strict-Transport-Security: max-age=63072000; includeSubDomains
# Scripts are embedded by other origins: CORP and CORS allow that (module scripts are fetched with CORS).
/widget.js
  Access-Control-Allow-Origin: *
  Cross-Origin-Resource-Policy: cross-origin
  X-Content-Type-Options: nosniff
  Cache-Control: public, max-age=300, stale-while-revalidate=86400
/widget/*
  Access-Control-Allow-Origin: *
  Cross-Origin-Resource-Policy: cross-origin
  X-Content-Type-Options: nosniff
  Cache-Control: public, max-age=31536000, immutable
/widget/app.js
  ! Cache-Control
  Cache-Control: public, max-age=300, stale-while-revalidate=86400
`;

/** Every file under a folder, as paths relative to it. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/**
 * Builds into a staging folder, checks it, then moves each file into dist/ with an atomic rename
 * and only then deletes files the new build no longer has. A worker already serving dist/ (a test
 * file's server while another test file builds) never sees a missing or half-written script.
 */
export async function buildWidget(opts: { quiet?: boolean } = {}): Promise<BuildResult> {
  // Same filesystem as dist/ (rename must not cross devices), and ignored by git.
  const stage = path.join(here, "../node_modules/.cache", `replyby-widget-${process.pid}-${Date.now()}`);
  await mkdir(stage, { recursive: true });
  try {
    const app = await build({
      entryPoints: { app: path.join(here, "src/app.ts") },
      bundle: true,
      format: "esm",
      platform: "browser",
      target,
      minify: true,
      // Lit's license travels beside the chunk, not inside every download.
      legalComments: "external",
      entryNames: "widget/[name].[hash]",
      outdir: stage,
      metafile: true,
      plugins: [minifyCssTemplates, collapseTemplates],
      tsconfig: path.join(here, "tsconfig.json"),
      logLevel: "warning",
    });
    const inputs = Object.keys(app.metafile.inputs);
    const leaked = inputs.filter((i) => forbidden.some((pkg) => i.includes(`node_modules/${pkg}/`)) || /(^|\/)schema\/[^/]+\.ts$/.test(i));
    if (leaked.length) throw new Error(`worker-side code in the widget bundle: ${leaked.join(", ")}`);
    const appOut = Object.keys(app.metafile.outputs).find((o) => o.endsWith(".js"));
    if (!appOut) throw new Error("esbuild wrote no app chunk");
    const appChunk = path.relative(stage, path.resolve(appOut)).split(path.sep).join("/");
    const appBytes = await readFile(path.resolve(appOut));
    await writeFile(path.join(stage, "widget/app.js"), appBytes);

    await build({
      entryPoints: [path.join(here, "src/loader/loader.ts")],
      bundle: true,
      format: "iife",
      platform: "browser",
      target,
      minify: true,
      legalComments: "none",
      outfile: path.join(stage, "widget.js"),
      define: { __APP_CHUNK__: JSON.stringify(appChunk) },
      tsconfig: path.join(here, "tsconfig.json"),
      logLevel: "warning",
    });
    const loaderBytes = await readFile(path.join(stage, "widget.js"));
    await writeFile(path.join(stage, "_headers"), headers);

    const result: BuildResult = { dist, loader: sizes("widget.js", loaderBytes), app: sizes(appChunk, appBytes), appChunk };
    const total = result.loader.gzip + result.app.gzip;
    if (!opts.quiet) {
      for (const f of [result.loader, result.app])
        console.log(`${f.file.padEnd(28)} ${f.raw} B raw  ${f.gzip} B gzip  ${f.brotli} B brotli`);
      console.log(
        `${"total".padEnd(28)} ${result.loader.raw + result.app.raw} B raw  ${total} B gzip  ${result.loader.brotli + result.app.brotli} B brotli`,
      );
    }
    if (result.loader.gzip > budgets.loaderGzip)
      throw new Error(`loader is ${result.loader.gzip} B gzip, over the ${budgets.loaderGzip} B budget`);
    if (total > budgets.totalGzip) throw new Error(`widget is ${total} B gzip, over the ${budgets.totalGzip} B budget`);

    // Publish: the chunk first, then the loader that points at it, then the rest; stale files last.
    const built = await files(stage);
    const order = (f: string) => (f === appChunk ? 0 : f === "widget.js" ? 1 : 2);
    for (const f of built.sort((a, b) => order(a) - order(b))) {
      const target = path.join(dist, f);
      const bytes = await readFile(path.join(stage, f));
      const current = await readFile(target).catch(() => undefined);
      // An identical file stays untouched, so a server watching dist/ has nothing to reload.
      if (current && bytes.equals(current)) continue;
      await mkdir(path.dirname(target), { recursive: true });
      // Replace existing files atomically; write new ones (wrangler's watcher misses files renamed in).
      if (current) await rename(path.join(stage, f), target);
      else await writeFile(target, bytes);
    }
    // Stale files go, except recent app chunks: a loader cached before this build (max-age 300)
    // still imports its own chunk, which must keep answering for a while.
    const keep = new Set(built);
    const dayAgo = Date.now() - 86_400_000;
    for (const f of await files(dist)) {
      if (keep.has(f)) continue;
      const recentChunk = /^widget\/app\.\w+\.js/.test(f) && (await stat(path.join(dist, f))).mtimeMs > dayAgo;
      if (!recentChunk) await rm(path.join(dist, f), { force: true });
    }
    return result;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWidget().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

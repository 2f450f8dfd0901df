import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
/** Where every step's screenshot is written (kept by CI as the visual record of a run). */
export const screenshotDir = path.join(root, "test-results/screenshots");

/** Debian's Chromium (`apt-get install -y chromium`), driven by playwright-core. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The flags every Chromium here runs with: headless, no sandbox (CI containers), nothing phoning home. */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A Chromium with a fresh profile, one page, and what went wrong on it. */
export interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught page errors and console errors (CSP violations are reported there). */
  readonly errors: string[];
  close(): Promise<void>;
}

/** Launches Chromium with a fresh --user-data-dir (so storage starts empty) in the given zone and locale. */
export async function launch(opts: { locale?: string; timezoneId?: string; width?: number; height?: number } = {}): Promise<Session> {
  const dir = mkdtempSync(path.join(tmpdir(), "replyby-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    locale: opts.locale ?? "en-GB",
    timezoneId: opts.timezoneId ?? "Europe/London",
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot of the whole page as test-results/screenshots/<name>.png (a name may hold a folder). */
export async function fullShot(page: Page, name: string): Promise<void> {
  const file = path.join(screenshotDir, `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true, animations: "disabled" });
}

/** Saves a screenshot of the viewport as test-results/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), animations: "disabled" });
}

// Business-time arithmetic: Replyby's engine against dayjs-business-time and moment-business-time
// on the same calendar (Mon–Fri 09:00–17:00 UTC, the same 100 holidays a year), in one run; then
// Replyby alone on those hours in each zone of the property tests, for the long-span budget.
//
//   node test/bench/engine.ts          (Node 24: type stripping; prints a table, exits 1 on FAIL)
//
// `benchEngine()` returns the figures for a report writer; the CLI part only runs when this
// file is the entry point. The peers compute in the process's local zone, so the run sets TZ to
// UTC while it measures (and restores it after).
import path from "node:path";
import { fileURLToPath } from "node:url";
import dayjs from "dayjs";
import dayjsBusinessTime from "dayjs-business-time";
import moment from "moment";
// Patches moment's prototype (the same moment instance: one copy in node_modules); untyped.
import "moment-business-time";
import { parseCalendar } from "../../schema/policy.ts";
import { add, type CompiledCalendar, compileCalendar, isOpen, within } from "../../worker/engine/calendar.ts";
import { propertyZones } from "../worker/engine/zones.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** One operation's throughput for each engine. */
export interface OpFigures {
  op: string;
  replyby: number;
  dayjs: number;
  moment: number;
  /** Replyby ops/s divided by each peer's. */
  vsDayjs: number;
  vsMoment: number;
}

/** One budget line from DESIGN.md. */
export interface BudgetLine {
  what: string;
  measured: number;
  budget: string;
  pass: boolean;
}

/** Everything one run measured. */
export interface EngineBench {
  calendar: string;
  holidaysPerYear: number;
  tenYearHours: number;
  ops: OpFigures[];
  budgets: BudgetLine[];
  /** Inputs where a peer's answer differs from ours (beyond the documented closing-instant rule). */
  disagreements: string[];
  /** Replyby alone on the same hours and holidays in each zone of the property tests. */
  zones: ZoneFigures[];
  pass: boolean;
}

/** Replyby's ops/s in one zone; `ratio` is the cost of a 10-year add over a 4-hour add's. */
export interface ZoneFigures {
  timeZone: string;
  add4h: number;
  add10y: number;
  within: number;
  ratio: number;
}

/** The part of moment-business-time's API the run uses (the package ships no types). */
interface WorkingMoment {
  addWorkingTime(amount: number, unit: "hours"): WorkingMoment;
  workingDiff(other: WorkingMoment, unit: "minutes"): number;
  valueOf(): number;
}

const working = (at: number) => moment(at) as unknown as WorkingMoment;

// ---- The shared calendar ------------------------------------------------------------------

const FIRST_YEAR = 2026;
const YEARS = 13;
const HOLIDAYS_PER_YEAR = 100;

/** 100 weekdays a year, picked by a fixed LCG so every run and every engine sees the same dates. */
function holidayDates(): string[] {
  let seed = 20260101;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const out: string[] = [];
  for (let y = FIRST_YEAR; y < FIRST_YEAR + YEARS; y++) {
    const weekdays: string[] = [];
    for (let t = Date.UTC(y, 0, 1); t < Date.UTC(y + 1, 0, 1); t += DAY) {
      const wd = new Date(t).getUTCDay();
      if (wd !== 0 && wd !== 6) weekdays.push(new Date(t).toISOString().slice(0, 10));
    }
    const picked = new Set<string>();
    while (picked.size < HOLIDAYS_PER_YEAR) picked.add(weekdays[Math.floor(next() * weekdays.length)] as string);
    out.push(...[...picked].sort());
  }
  return out;
}

function replybyCalendar(holidays: string[], timeZone = "UTC"): CompiledCalendar {
  const nine = [["09:00", "17:00"]] as [string, string][];
  const r = parseCalendar({ timeZone, hours: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine }, holidays });
  if (!r.ok) throw new Error(`bench calendar invalid: ${JSON.stringify(r.errors)}`);
  return compileCalendar(r.calendar);
}

function setupPeers(holidays: string[]): void {
  dayjs.extend(dayjsBusinessTime);
  const nine = [{ start: "09:00:00", end: "17:00:00" }];
  dayjs.setBusinessTime({ sunday: null, monday: nine, tuesday: nine, wednesday: nine, thursday: nine, friday: nine, saturday: null });
  dayjs.setHolidays(holidays);
  const m = ["09:00:00", "17:00:00"];
  moment.updateLocale(moment.locale(), { workinghours: { 0: null, 1: m, 2: m, 3: m, 4: m, 5: m, 6: null }, holidays });
}

// ---- Measuring ------------------------------------------------------------------------------

let sink = 0;

interface Timing {
  /** Warm-up time before sampling; 0 when the caller has just warmed the function up. */
  warmMs: number;
  sampleMs: number;
  samples: number;
}

// Calls fn for at least `ms` (and at least once); returns calls per second.
function timed(fn: (i: number) => number, ms: number): number {
  let n = 0;
  const start = performance.now();
  let now = start;
  // Read the clock every `batch` calls so the timer's own cost stays out of fast figures.
  let batch = 1;
  do {
    for (let k = 0; k < batch; k++) sink = (sink + fn(n++)) % 1_000_003;
    now = performance.now();
    if (now - start < ms / 50) batch *= 2;
  } while (now - start < ms);
  return n / ((now - start) / 1000);
}

/** Ops/s of `fn` (cycling its input index): a warm-up, then the best of a few timed samples. */
function opsPerSecond(fn: (i: number) => number, t: Timing): number {
  if (t.warmMs > 0) timed(fn, t.warmMs);
  let best = 0;
  for (let s = 0; s < t.samples; s++) {
    const rate = timed(fn, t.sampleMs);
    best = Math.max(best, rate);
    // A call slower than a whole sample (a peer's ten-year add) is measured once: more
    // samples would only stretch the run, not steady the figure.
    if (rate * (t.sampleMs / 1000) < 2) break;
  }
  return best;
}

/** Ops/s of two functions whose ratio matters: warmed up together, then sampled in turns (best of each). */
function pairedOpsPerSecond(a: (i: number) => number, b: (i: number) => number, t: Timing): [number, number] {
  timed(a, t.warmMs);
  timed(b, t.warmMs);
  let bestA = 0;
  let bestB = 0;
  for (let s = 0; s < t.samples; s++) {
    bestA = Math.max(bestA, timed(a, t.sampleMs));
    bestB = Math.max(bestB, timed(b, t.sampleMs));
  }
  return [bestA, bestB];
}

// ---- The run --------------------------------------------------------------------------------

/** Runs the comparison; `quick` shortens every sample (for a smoke run, not for figures). */
export function benchEngine(opts: { quick?: boolean } = {}): EngineBench {
  const previousTz = process.env.TZ;
  process.env.TZ = "UTC";
  try {
    return measureAll(opts.quick === true);
  } finally {
    if (previousTz === undefined) delete process.env.TZ;
    else process.env.TZ = previousTz;
  }
}

function measureAll(quick: boolean): EngineBench {
  const holidays = holidayDates();
  const cal = replybyCalendar(holidays);
  setupPeers(holidays);

  // 64 start instants through 2026, at assorted times of day (some outside hours).
  const starts: number[] = [];
  for (let i = 0; i < 64; i++) starts.push(Date.UTC(2026, 0, 5) + i * 5 * DAY + ((i * 7) % 24) * HOUR + ((i * 13) % 60) * 60_000);
  const startAt = (i: number) => starts[i & 63] as number;
  // About ten years of open time from each start, in whole hours (the peers count whole units).
  const tenYearHours = Math.round(within(cal, startAt(0), startAt(0) + 10 * 365 * DAY) / HOUR);

  const ours = {
    add4h: (i: number) => add(cal, startAt(i), 4 * HOUR),
    add10y: (i: number) => add(cal, startAt(i), tenYearHours * HOUR),
    within: (i: number) => within(cal, startAt(i), startAt(i) + WEEK),
  };
  const dj = {
    add4h: (i: number) => dayjs(startAt(i)).addBusinessHours(4).valueOf(),
    add10y: (i: number) => dayjs(startAt(i)).addBusinessHours(tenYearHours).valueOf(),
    within: (i: number) => dayjs(startAt(i)).businessMinutesDiff(dayjs(startAt(i) + WEEK)) * 60_000,
  };
  const mo = {
    add4h: (i: number) => working(startAt(i)).addWorkingTime(4, "hours").valueOf(),
    add10y: (i: number) => working(startAt(i)).addWorkingTime(tenYearHours, "hours").valueOf(),
    within: (i: number) => working(startAt(i) + WEEK).workingDiff(working(startAt(i)), "minutes") * 60_000,
  };

  // Like with like: the peers must give our answers. The one documented difference: when the
  // amount runs out exactly at a closing we answer that closing, the libraries the next opening.
  // The check doubles as the peers' warm-up.
  const disagreements: string[] = [];
  const closing = (at: number) => isOpen(cal, at - 1) && !isOpen(cal, at);
  const slowPeer = new Set<string>();
  for (const op of ["add4h", "add10y", "within"] as const) {
    for (const [name, peer] of [
      ["dayjs-business-time", dj],
      ["moment-business-time", mo],
    ] as const) {
      // Ten-year adds take the peers up to seconds each: check fewer inputs there.
      for (const i of op === "add10y" ? [0, 17] : [0, 1, 2, 3, 17, 40]) {
        const want = ours[op](i);
        const began = performance.now();
        const got = peer[op](i);
        if (performance.now() - began > 1000) slowPeer.add(`${name} ${op}`);
        const same = got === want || (op !== "within" && closing(want) && got === add(cal, want, 0));
        if (!same) {
          const show = (v: number) => (op === "within" ? `${v / 60_000} min` : new Date(v).toISOString());
          disagreements.push(`${name} ${op} from ${new Date(startAt(i)).toISOString()}: ${show(got)}, Replyby ${show(want)}`);
        }
        if (slowPeer.has(`${name} ${op}`)) break;
      }
    }
  }

  // Replyby runs in microseconds and the peers in up to seconds: timing by the clock rather
  // than by a fixed count gives every engine enough calls for a stable figure.
  const fast: Timing = { warmMs: quick ? 50 : 300, sampleMs: quick ? 100 : 700, samples: 3 };
  const slow = (key: string): Timing =>
    slowPeer.has(key) ? { warmMs: 0, sampleMs: 0, samples: 1 } : { warmMs: quick ? 50 : 300, sampleMs: quick ? 150 : 1000, samples: 3 };
  const labels = { add4h: "add 4 business hours", add10y: `add ${tenYearHours} business hours (~10 years)`, within: "within one week" };
  const ops: OpFigures[] = (["add4h", "add10y", "within"] as const).map((op) => {
    const replyby = opsPerSecond(ours[op], fast);
    const d = opsPerSecond(dj[op], slow(`dayjs-business-time ${op}`));
    const m = opsPerSecond(mo[op], slow(`moment-business-time ${op}`));
    return { op: labels[op], replyby, dayjs: d, moment: m, vsDayjs: replyby / d, vsMoment: replyby / m };
  });

  // The same hours and holidays in every zone of the property tests: with daylight saving a
  // walk also meets each offset change on its way, which must not make long spans dearer.
  const zones: ZoneFigures[] = propertyZones.map(({ timeZone }) => {
    const zc = replybyCalendar(holidays, timeZone);
    const hours = Math.round(within(zc, startAt(0), startAt(0) + 10 * 365 * DAY) / HOUR);
    // In turns, so load from elsewhere on the machine weighs on both figures of the ratio alike.
    const [add4h, add10y] = pairedOpsPerSecond(
      (i) => add(zc, startAt(i), 4 * HOUR),
      (i) => add(zc, startAt(i), hours * HOUR),
      { ...fast, samples: 5 },
    );
    const week = opsPerSecond((i) => within(zc, startAt(i), startAt(i) + WEEK), fast);
    return { timeZone, add4h, add10y, within: week, ratio: add4h / add10y };
  });

  const budgets: BudgetLine[] = [];
  for (const o of ops) {
    budgets.push({ what: `${o.op}: Replyby / dayjs-business-time`, measured: o.vsDayjs, budget: ">= 50x", pass: o.vsDayjs >= 50 });
    budgets.push({ what: `${o.op}: Replyby / moment-business-time`, measured: o.vsMoment, budget: ">= 50x", pass: o.vsMoment >= 50 });
  }
  const [add4h, add10y] = ops as [OpFigures, OpFigures, OpFigures];
  const costRatio = add4h.replyby / add10y.replyby;
  budgets.push({ what: "Replyby 10-year add cost / 4-hour add cost", measured: costRatio, budget: "<= 10x", pass: costRatio <= 10 });
  for (const z of zones) {
    budgets.push({ what: `10-year add / 4-hour add in ${z.timeZone}`, measured: z.ratio, budget: "<= 3x", pass: z.ratio <= 3 });
  }

  return {
    calendar: `Mon–Fri 09:00–17:00 UTC, ${HOLIDAYS_PER_YEAR} weekday holidays a year ${FIRST_YEAR}–${FIRST_YEAR + YEARS - 1}`,
    holidaysPerYear: HOLIDAYS_PER_YEAR,
    tenYearHours,
    ops,
    budgets,
    disagreements,
    zones,
    pass: budgets.every((b) => b.pass),
  };
}

// ---- CLI ------------------------------------------------------------------------------------

function fmt(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString("en-US");
  return n.toPrecision(3);
}

function printReport(r: EngineBench): void {
  const rows = [
    ["operation", "Replyby ops/s", "dayjs-bt ops/s", "moment-bt ops/s", "vs dayjs", "vs moment"],
    ...r.ops.map((o) => [o.op, fmt(o.replyby), fmt(o.dayjs), fmt(o.moment), `${fmt(o.vsDayjs)}x`, `${fmt(o.vsMoment)}x`]),
  ];
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length)));
  console.log(`Calendar: ${r.calendar}`);
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join("  "));
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
  console.log("");
  console.log("Replyby alone, same hours and holidays in each zone of the property tests (ops/s):");
  for (const z of r.zones) {
    console.log(
      `  ${z.timeZone.padEnd(20)} add 4 h ${fmt(z.add4h).padStart(11)}  add ~10 years ${fmt(z.add10y).padStart(11)}  ` +
        `within one week ${fmt(z.within).padStart(11)}  10-year / 4-hour cost ${fmt(z.ratio)}x`,
    );
  }
  for (const d of r.disagreements) console.log(`WARNING peer disagrees: ${d}`);
  for (const b of r.budgets) console.log(`${b.pass ? "PASS" : "FAIL"}  ${b.what}: ${fmt(b.measured)}x (budget ${b.budget})`);
  console.log(`(checksum ${sink})`);
}

const isMain = import.meta.main ?? (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url));
if (isMain) {
  const report = benchEngine({ quick: process.argv.includes("--quick") });
  printReport(report);
  process.exitCode = report.pass ? 0 : 1;
}

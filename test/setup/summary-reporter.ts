import { writeFileSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints the one line CI reads, `N passed, N failed`, after Vitest's own summary, and keeps a
 * copy in test-results/summary.txt so `.ci/run` can repeat it as its very last line.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = errors.length;
    for (const mod of modules) {
      if (mod.state() === "failed" && [...mod.children.allTests()].length === 0) failed += 1;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failed += 1;
      }
    }
    const line = `${passed} passed, ${failed} failed`;
    process.stdout.write(`\n${line}\n`);
    try {
      writeFileSync("test-results-summary.txt", `${line}\n`);
    } catch {
      // The console line is what matters; the copy is a convenience for .ci/run.
    }
  }
}

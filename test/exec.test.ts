import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  compareRuns,
  compileLowered,
  compileNative,
  describeComparison,
  detectProgramKind,
  LoweringError,
  mapWithConcurrency,
  runLowered,
  runNative,
  type RunResult,
} from "../src/exec/index.js";

const exampleTotal = readFileSync(new URL("../fixtures/basics/example-total.ts", import.meta.url), "utf8");

/** A run result with defaults, for comparing without spawning. */
function result(overrides: Partial<RunResult>): RunResult {
  return { stdout: "", stderr: "", exitCode: 0, signal: null, timedOut: false, uncaughtError: null, ...overrides };
}

describe("runNative", () => {
  it("runs a file without import/export as a sloppy-mode script", async () => {
    const run = await runNative(`function f(): unknown { return this; }\nconsole.log(f() === globalThis, typeof require);\n`, "script.ts");
    expect(run).toMatchObject({ stdout: "true function\n", exitCode: 0, uncaughtError: null });
  });

  it("runs a file with import/export as an ES module", async () => {
    const run = await runNative(`export const x = 1;\nconsole.log(typeof require, import.meta.url.endsWith(".mjs"));\n`, "module.ts");
    expect(run.stdout).toBe("undefined true\n");
  });

  it("strips types but keeps async functions native", async () => {
    const run = await runNative(`async function f(n: number): Promise<number> { return n; }\nconsole.log(f.constructor.name);\n`, "a.ts");
    expect(run.stdout).toBe("AsyncFunction\n");
  });

  it("passes arguments and stdin, and reports the exit code", async () => {
    const source = `process.stdin.on("data", (d) => console.log(process.argv.slice(2).join(","), String(d).trim()));\nprocess.exitCode = 3;\n`;
    const run = await runNative(source, "io.ts", { args: ["a", "--b"], stdin: "hello\n" });
    expect(run).toMatchObject({ stdout: "a,--b hello\n", exitCode: 3 });
  });

  it("records an uncaught exception by name and first message line, not by stack", async () => {
    const run = await runNative(`setTimeout(() => { throw new TypeError("boom\\nsecond line"); });\n`, "throws.ts");
    expect(run.exitCode).toBe(1);
    expect(run.uncaughtError).toEqual({ origin: "uncaughtException", summary: "TypeError: boom" });
    expect(run.stderr).toContain("    at ");
  });

  it("records an unhandled rejection and a thrown non-error value", async () => {
    const rejection = await runNative(`Promise.reject(new RangeError("no"));\n`, "rejects.ts");
    expect(rejection.uncaughtError).toEqual({ origin: "unhandledRejection", summary: "RangeError: no" });
    const thrown = await runNative(`throw 42;\n`, "primitive.ts");
    expect(thrown.uncaughtError).toEqual({ origin: "uncaughtException", summary: "42" });
  });

  it("kills a program that runs past its timeout", async () => {
    const run = await runNative(`console.log("started");\nsetInterval(() => {}, 1000);\n`, "forever.ts", { timeoutMs: 300 });
    expect(run).toMatchObject({ timedOut: true, signal: "SIGKILL", exitCode: null, stdout: "started\n" });
  });

  it("shows the temporary directory it ran in as <run>, so runs compare equal", async () => {
    const run = await runNative(`console.log(__filename);\nrequire("./missing-module");\n`, "where.ts");
    expect(run.stdout).toBe("<run>/where.cjs\n");
    expect(run.uncaughtError?.summary).toContain("Cannot find module './missing-module'");
    expect(run.stderr).not.toMatch(/unawait-run-/);
  });
});

describe("detectProgramKind", () => {
  it.each([
    ["const x = 1;", "a.ts", "script"],
    ["import { x } from './x.js';", "a.ts", "module"],
    ["export {};", "a.ts", "module"],
    ["console.log(import.meta.url);", "a.ts", "module"],
    ["await Promise.resolve();", "a.ts", "module"],
    ["for await (const x of []) {}", "a.ts", "module"],
    ["async function f() { await 1; }", "a.ts", "script"],
    ["const x = 1;", "a.mts", "module"],
    ["export {};", "a.cts", "script"],
  ] as const)("%s in %s is a %s", (source, fileName, kind) => {
    expect(detectProgramKind(source, fileName)).toBe(kind);
  });
});

describe("compareRuns", () => {
  it("finds two runs of the same program the same", async () => {
    const [a, b] = await Promise.all([runNative(exampleTotal, "total.ts"), runNative(exampleTotal, "total.ts")]);
    expect(compareRuns(a, b)).toEqual({ same: true, differences: [] });
    expect(describeComparison(compareRuns(a, b))).toBe("same output");
  });

  it("compares an uncaught error by name and message, not by where it was thrown", async () => {
    const a = await runNative(`console.log("x");\nthrow new Error("bad");\n`, "a.ts");
    const b = await runNative(`\n\nfunction fail() {\n  console.log("x");\n  throw new Error("bad");\n}\nfail();\n`, "b.ts");
    expect(a.stderr).not.toBe(b.stderr);
    expect(compareRuns(a, b).same).toBe(true);
  });

  it("reports a stdout difference as a unified diff", () => {
    const comparison = compareRuns(result({ stdout: "one\ntwo\n" }), result({ stdout: "one\nTWO\n" }));
    expect(comparison.differences.map((d) => d.aspect)).toEqual(["stdout"]);
    const text = describeComparison(comparison);
    expect(text).toContain("--- native\n+++ lowered\n");
    expect(text).toContain("-two\n+TWO");
  });

  it("reports exit codes, signals and uncaught errors that differ", () => {
    const comparison = compareRuns(
      result({ exitCode: 1, uncaughtError: { origin: "unhandledRejection", summary: "Error: x" } }),
      result({ exitCode: null, signal: "SIGTERM", uncaughtError: { origin: "uncaughtException", summary: "Error: x" } }),
    );
    expect(comparison.differences).toEqual([
      { aspect: "exit", a: "exit code 1", b: "killed by SIGTERM" },
      { aspect: "uncaughtError", a: "unhandled rejection: Error: x", b: "uncaught exception: Error: x" },
    ]);
    expect(describeComparison(comparison, { a: "left", b: "right" })).toBe(
      "exit differs: left exit code 1, right killed by SIGTERM\n" +
        "uncaught error differs:\n  left: unhandled rejection: Error: x\n  right: uncaught exception: Error: x",
    );
  });

  it("never finds a timed-out run the same, even against another timed-out run", () => {
    const timedOut = result({ timedOut: true, exitCode: null, signal: "SIGKILL" });
    expect(compareRuns(timedOut, timedOut)).toEqual({
      same: false,
      differences: [{ aspect: "timeout", a: "timed out (killed)", b: "timed out (killed)" }],
    });
  });
});

describe("mapWithConcurrency", () => {
  it("keeps input order with at most two tasks in flight by default", async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapWithConcurrency([30, 5, 20, 1, 10], async (ms, index) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      inFlight--;
      return index;
    });
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it("rejects with the first error and starts nothing after it", async () => {
    const started: number[] = [];
    const run = mapWithConcurrency([0, 1, 2, 3, 4], async (n) => {
      started.push(n);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (n === 1) throw new Error("task 1 failed");
      return n;
    });
    await expect(run).rejects.toThrow("task 1 failed");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([0, 1, 2]);
  });
});

describe("runLowered", () => {
  it("runs the DESIGN.md example with the same output as natively", async () => {
    const [native, lowered] = await Promise.all([runNative(exampleTotal, "total.ts"), runLowered(exampleTotal, "total.ts")]);
    expect(native.stdout).toBe("load a\nload c\nsync end\nload b\nload a\nload b\nfirst 3\nsecond 6\n");
    expect(describeComparison(compareRuns(native, lowered))).toBe("same output");
    expect(lowered.diagnostics).toEqual([]);
  });

  it("loads the lowered program the way the native one loads (module or script)", () => {
    for (const source of [exampleTotal, `export {};\n${exampleTotal}`]) {
      const lowered = compileLowered(source, "total.ts");
      expect(lowered.ok && lowered.program.kind).toBe(compileNative(source, "total.ts").kind);
    }
  });
});

// These need the real lower(); against the stub (which returns its input) they fail.
describe("runLowered", () => {
  it("runs a state machine, not the original async function", async () => {
    const lowered = await runLowered(exampleTotal, "total.ts");
    expect(lowered.program.code).toContain("poll(");
    expect(lowered.program.code).not.toMatch(/async function total\s*\(/);
    expect(lowered.stdout).toBe("load a\nload c\nsync end\nload b\nload a\nload b\nfirst 3\nsecond 6\n");
  });

  it("throws a LoweringError that shows the diagnostic with its code frame", async () => {
    const source = `const o = { x: 1 };\nasync function f() {\n  with (o) { await x; }\n}\nf();\n`;
    const failure = await runLowered(source, "with.ts", { strict: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LoweringError);
    const error = failure as LoweringError;
    expect(error.diagnostics[0]).toMatchObject({ severity: "error", fileName: "with.ts", line: 3 });
    expect(error.message).toMatch(/with\.ts:3:3: error UA\d+: /);
    expect(error.message).toContain("> 3 |   with (o) { await x; }");
  });
});

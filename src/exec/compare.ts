import type { RunResult } from "./spawn.js";

/** One way two runs differ; `a` and `b` are the two sides as text, ready to print. */
export interface RunDifference {
  aspect: "stdout" | "exit" | "uncaughtError" | "timeout";
  a: string;
  b: string;
}

export interface RunComparison {
  /** True when nothing differs and neither run timed out. */
  same: boolean;
  differences: RunDifference[];
}

/**
 * Compares two runs the way the oracle needs: stdout byte for byte (it is the ordered event log),
 * the exit status, and the uncaught error by origin and `Name: message` line — never by stack or
 * stderr, which differ between native and lowered code even when behaviour is the same.
 * A run that timed out is incomplete, so it never compares the same.
 */
export function compareRuns(a: RunResult, b: RunResult): RunComparison {
  const differences: RunDifference[] = [];
  const note = (aspect: RunDifference["aspect"], textA: string, textB: string, differ = textA !== textB) => {
    if (differ) differences.push({ aspect, a: textA, b: textB });
  };
  note("timeout", describeTimeout(a), describeTimeout(b), a.timedOut || b.timedOut);
  note("stdout", a.stdout, b.stdout);
  if (!a.timedOut && !b.timedOut) note("exit", describeExit(a), describeExit(b));
  note("uncaughtError", describeUncaughtError(a), describeUncaughtError(b));
  return { same: differences.length === 0, differences };
}

function describeTimeout(run: RunResult): string {
  return run.timedOut ? "timed out (killed)" : "finished";
}

function describeExit(run: RunResult): string {
  return run.signal !== null ? `killed by ${run.signal}` : `exit code ${run.exitCode}`;
}

function describeUncaughtError(run: RunResult): string {
  const error = run.uncaughtError;
  if (error === null) return "none";
  return `${error.origin === "unhandledRejection" ? "unhandled rejection" : "uncaught exception"}: ${error.summary}`;
}

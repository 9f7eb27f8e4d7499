/**
 * Running programs in fresh node processes, natively and lowered, and comparing what they did:
 * the engine is the oracle.
 *
 *   const native = await runNative(source, "x.ts");
 *   const lowered = await runLowered(source, "x.ts");        // throws LoweringError on errors
 *   const verdict = compareRuns(native, lowered);
 *   if (!verdict.same) throw new Error(describeComparison(verdict));
 *
 * Many at once: `mapWithConcurrency(files, runOne)` (two processes at a time by default).
 */
export { runNative, runLowered, type LoweredRunResult } from "./run.js";
export { compareRuns, type RunComparison, type RunDifference } from "./compare.js";
export { describeComparison, type SideNames } from "./describe.js";
export { mapWithConcurrency, DEFAULT_CONCURRENCY } from "./limit.js";
export { compileNative, compileLowered, LoweringError, type CompileLoweredResult, type LoweringChoices } from "./compile.js";
export { runProgram, runProgramAttached, DEFAULT_TIMEOUT_MS, type RunOptions, type RunResult, type ExitStatus } from "./spawn.js";
export type { UncaughtError } from "./uncaught-error.js";
export type { Program, ProgramKind } from "./program.js";
export { detectProgramKind } from "./program-kind.js";

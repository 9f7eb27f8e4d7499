/**
 * One program, run natively and lowered, and the verdict: the same, or how they differ. Two ways
 * to run: in the sandbox (fast, `node:vm`), and in fresh node processes through the repository's
 * own oracle (`runNative`/`runLowered`, what the fixture tests use), which confirms a difference
 * before anyone is told about it.
 */
import { compareRuns, describeComparison, LoweringError, runLowered, runNative } from "../src/exec/index.js";
import type { RunResult } from "../src/exec/spawn.js";
import type { SandboxPool } from "./sandbox.js";

export type Verdict =
  | { same: true }
  | {
      same: false;
      /** output: the runs differ; refused: lowering reported errors for a valid program;
       *  crashed: the compiler threw; timeout: a side never finished; sandbox: the sandbox failed. */
      kind: "output" | "refused" | "crashed" | "timeout" | "sandbox";
      description: string;
    };

/** The file name the programs run under: a `.ts` script. */
export const PROGRAM_FILE = "fuzz-program.ts";

/** `inlineRuntime`: see `SandboxPool.run` (programs that shadow or patch globals need it). */
export async function checkInSandbox(pool: SandboxPool, source: string, inlineRuntime = false): Promise<Verdict> {
  const reply = await pool.run(source, PROGRAM_FILE, inlineRuntime);
  if ("timedOut" in reply) return { same: false, kind: "timeout", description: "the sandbox gave up waiting for the program (it does not end on one side)" };
  if ("failed" in reply) return { same: false, kind: "sandbox", description: reply.failed };
  if ("refused" in reply.lowered) return { same: false, kind: "refused", description: reply.lowered.refused };
  if ("crashed" in reply.lowered) return { same: false, kind: "crashed", description: reply.lowered.crashed };
  const comparison = compareRuns(engineErrorsByName(reply.native), engineErrorsByName(reply.lowered));
  return comparison.same ? { same: true } : { same: false, kind: "output", description: describeComparison(comparison) };
}

/** The same comparison in fresh node processes, as `npm test` makes it for every fixture. */
export async function checkInProcesses(source: string): Promise<Verdict> {
  try {
    const [native, lowered] = await Promise.all([runNative(source, PROGRAM_FILE), runLowered(source, PROGRAM_FILE)]);
    const comparison = compareRuns(engineErrorsByName(native), engineErrorsByName(lowered));
    if (comparison.same) return { same: true };
    const kind = native.timedOut || lowered.timedOut ? "timeout" : "output";
    return { same: false, kind, description: describeComparison(comparison) };
  } catch (error) {
    if (error instanceof LoweringError) return { same: false, kind: "refused", description: error.message };
    return { same: false, kind: "crashed", description: String((error as Error)?.stack ?? error) };
  }
}

/**
 * The run with an uncaught engine error (`TypeError: b.m is not a function`) recorded by its name
 * only, as the programs' `show` logs errors: V8 quotes source text in some messages, and the
 * lowered text differs by design (README, "Known differences"). A rejection the program leaves
 * unhandled reaches the recorder this way, e.g. a promise a sync generator yields and nobody
 * awaits. The program's own errors (`mine`, plain `Error`s) keep their message.
 */
function engineErrorsByName(run: RunResult): RunResult {
  const error = run.uncaughtError;
  if (error === null) return run;
  const name = /^(TypeError|RangeError|ReferenceError|SyntaxError)(: |$)/.exec(error.summary)?.[1];
  return name === undefined ? run : { ...run, uncaughtError: { ...error, summary: name } };
}

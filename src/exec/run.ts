import type { Diagnostic } from "../api.js";
import { compileLowered, compileNative, LoweringError, type LoweringChoices } from "./compile.js";
import type { Program } from "./program.js";
import { runProgram, type RunOptions, type RunResult } from "./spawn.js";

export interface LoweredRunResult extends RunResult {
  /** The program that ran, to show when a comparison fails. */
  program: Program;
  /** Warnings from lowering (errors throw instead). */
  diagnostics: Diagnostic[];
}

/** Runs the source as written (types stripped, async native) in a fresh node process. */
export function runNative(source: string, fileName: string, options: RunOptions = {}): Promise<RunResult> {
  return runProgram(compileNative(source, fileName), options);
}

/**
 * Lowers the source (`target: "js"`, `runtime: "inline"`) and runs the result in a fresh node
 * process. Throws `LoweringError` when lowering reports errors.
 */
export async function runLowered(
  source: string,
  fileName: string,
  options: LoweringChoices & RunOptions = {},
): Promise<LoweredRunResult> {
  const { mode, functionName, strict, ...runOptions } = options;
  const compiled = compileLowered(source, fileName, { mode, functionName, strict });
  if (!compiled.ok) throw new LoweringError(compiled.diagnostics, source);
  const result = await runProgram(compiled.program, runOptions);
  return { ...result, program: compiled.program, diagnostics: compiled.diagnostics };
}

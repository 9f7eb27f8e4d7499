import { compareRuns, compileLowered, compileNative, describeComparison, runProgram } from "../../src/exec/index.js";
import type { CheckArgs } from "../args.js";
import { printDiagnostics } from "../diagnostics.js";
import { readSource } from "../input.js";
import { ExitCode } from "../usage-error.js";

/**
 * `unawait check FILE`: run the file natively and lowered, side by side (two processes, one per
 * core), and print "same output" or the differences. Exit 0 when the same, 1 when not.
 */
export async function checkCommand(args: CheckArgs): Promise<number> {
  const source = await readSource(args.file);
  const lowered = compileLowered(source.text, source.fileName, { mode: args.mode, functionName: args.functionName, strict: args.strict });
  printDiagnostics(lowered.diagnostics, source.text);
  if (!lowered.ok) return ExitCode.failed;

  const native = compileNative(source.text, source.fileName);
  const [nativeRun, loweredRun] = await Promise.all([runProgram(native), runProgram(lowered.program)]);
  const comparison = compareRuns(nativeRun, loweredRun);
  process.stdout.write(`${describeComparison(comparison, { a: "native", b: "lowered" })}\n`);
  return comparison.same ? ExitCode.ok : ExitCode.failed;
}

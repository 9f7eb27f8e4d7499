import { constants } from "node:os";
import { compileLowered, runProgramAttached } from "../../src/exec/index.js";
import { exportsMain, mainDriver } from "../../src/exec/mainDriver.js";
import type { RunArgs } from "../args.js";
import { printDiagnostics } from "../diagnostics.js";
import { readSource } from "../input.js";
import { ExitCode } from "../usage-error.js";

/**
 * `unawait run FILE [-- ARGS]`: lower to standalone JavaScript and run it in a child node
 * process attached to our terminal. Our exit code is the program's (128 + n for signal n). A
 * program that exports `main` runs it as the root task of an executor (exec/mainDriver.ts).
 */
export async function runCommand(args: RunArgs): Promise<number> {
  const source = await readSource(args.file);
  const compiled = compileLowered(source.text, source.fileName, { mode: args.mode, functionName: args.functionName, strict: args.strict });
  printDiagnostics(compiled.diagnostics, source.text);
  if (!compiled.ok) return ExitCode.failed;

  // A program that exports main runs it as the root task of an executor.
  const program = exportsMain(source.text, source.fileName)
    ? { ...compiled.program, code: compiled.program.code + mainDriver({ clock: args.clock, trace: args.trace }) }
    : compiled.program;
  const status = await runProgramAttached(program, args.programArgs);
  if (status.signal !== null) return 128 + (constants.signals[status.signal] ?? 0);
  return status.exitCode ?? ExitCode.failed;
}

import { constants } from "node:os";
import { compileLowered, runProgramAttached } from "../../src/exec/index.js";
import type { RunArgs } from "../args.js";
import { printDiagnostics } from "../diagnostics.js";
import { readSource } from "../input.js";
import { ExitCode } from "../usage-error.js";

/**
 * `unawait run FILE [-- ARGS]`: lower to standalone JavaScript and run it in a child node
 * process attached to our terminal. Our exit code is the program's (128 + n for signal n).
 */
export async function runCommand(args: RunArgs): Promise<number> {
  const source = await readSource(args.file);
  const compiled = compileLowered(source.text, source.fileName, { mode: args.mode, functionName: args.functionName });
  printDiagnostics(compiled.diagnostics, source.text);
  if (!compiled.ok) return ExitCode.failed;

  const status = await runProgramAttached(compiled.program, args.programArgs);
  if (status.signal !== null) return 128 + (constants.signals[status.signal] ?? 0);
  return status.exitCode ?? ExitCode.failed;
}

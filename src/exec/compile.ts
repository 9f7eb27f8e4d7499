import type { Diagnostic, Mode } from "../api.js";
import { lower } from "../lower.js";
import { formatDiagnostic, hasErrors } from "../report/index.js";
import type { Program } from "./program.js";
import { detectProgramKind } from "./program-kind.js";
import { stripTypes } from "./strip-types.js";

/** The lowering options that make sense for a program about to run. */
export interface LoweringChoices {
  /** Default "promise". */
  mode?: Mode;
  /** Lower only this function; the others stay native. */
  functionName?: string;
  /** A function with `with` or direct `eval` is an error instead of staying native (LowerOptions.strict). */
  strict?: boolean;
}

export type CompileLoweredResult =
  | { ok: true; program: Program; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** The source as it runs natively: types stripped, `async` untouched. */
export function compileNative(source: string, fileName: string): Program {
  return { code: stripTypes(source, fileName), kind: detectProgramKind(source, fileName), fileName };
}

/**
 * The source lowered to a standalone JavaScript program (runtime pasted in), or the diagnostics
 * that stopped it. Whether it is a module or a script is decided from the source, as for
 * `compileNative`, so both sides of a comparison load the same way.
 */
export function compileLowered(source: string, fileName: string, choices: LoweringChoices = {}): CompileLoweredResult {
  const result = lower(source, { ...choices, fileName, target: "js", runtime: "inline" });
  if (hasErrors(result.diagnostics)) return { ok: false, diagnostics: result.diagnostics };
  const program = { code: stripTypes(result.code, fileName), kind: detectProgramKind(source, fileName), fileName };
  return { ok: true, program, diagnostics: result.diagnostics };
}

/** Thrown by `runLowered` when lowering reports errors; its message shows them with code frames. */
export class LoweringError extends Error {
  override name = "LoweringError";

  constructor(
    readonly diagnostics: readonly Diagnostic[],
    source: string,
  ) {
    const shown = diagnostics.map((diagnostic) => formatDiagnostic(diagnostic, source)).join("\n");
    super(`lowering failed:\n${shown}`);
  }
}

import type { Diagnostic } from "../src/index.js";
import { formatDiagnostic } from "../src/report/index.js";

/** Prints every diagnostic to stderr with its code frame, then a count when there are several. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], sourceText: string): void {
  if (diagnostics.length === 0) return;
  const blocks = diagnostics.map((diagnostic) => formatDiagnostic(diagnostic, sourceText));
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
  const warnings = diagnostics.length - errors;
  if (diagnostics.length > 1) blocks.push(`${count(errors, "error")}, ${count(warnings, "warning")}`);
  process.stderr.write(`${blocks.join("\n\n")}\n`);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

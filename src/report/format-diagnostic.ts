import type { Diagnostic } from "../api.js";
import { formatCodeFrame } from "./code-frame.js";

/**
 * One diagnostic as a reader sees it: a `file:line:col: severity CODE: message` headline, then
 * a code frame when the span can be found in `sourceText`.
 *
 *   shop.ts:3:3: error UA1001: `with` cannot be used inside a lowered async function.
 *     2 |   let sum = 0;
 *   > 3 |   with (obj) {
 *       |   ^~~~
 */
export function formatDiagnostic(diagnostic: Diagnostic, sourceText: string): string {
  const { fileName, line, column, severity, code, message } = diagnostic;
  const headline = `${fileName}:${line}:${column}: ${severity} ${code}: ${message}`;
  const frame = formatCodeFrame(sourceText, diagnostic.start, diagnostic.length);
  return frame === "" ? headline : `${headline}\n${frame}`;
}

/** True when any diagnostic is an error (warnings never stop a command). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === "error");
}

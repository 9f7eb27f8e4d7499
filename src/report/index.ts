/** Turning diagnostics into text, for the CLI and for tools that call `lower()` themselves. */
export { formatDiagnostic, hasErrors } from "./format-diagnostic.js";
export { formatCodeFrame } from "./code-frame.js";

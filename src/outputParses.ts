/**
 * The output always parses in the goal of its input (DESIGN.md §6). Lowered JavaScript is parsed
 * again by acorn (goal.ts), as a script or a module; the directive prologue decides strictness, as
 * for the engine. The TypeScript view is parsed again by TypeScript, which is as far as its parser
 * can tell. Anything refused is a bug in unawait: lower() reports it (UA9001) instead of the code.
 *
 * The pasted runtime is the same text in every output: the program is checked with a one-line
 * stand-in for it (emit/runtimeLink.ts runtimeStandIn), and the runtime itself once per process.
 *
 * acorn, not `node:vm`: lower() also runs in a browser (the playground), and acorn is spec-exact
 * for both goals, where `vm.Script` only compiles scripts.
 */
import ts from "typescript";
import { ecmaScriptParseError, type ParseProblem } from "./goal.js";
import { syntaxErrors } from "./parseSource.js";
import { inlineRuntime } from "./emit/inlineRuntime.js";

const runtimeChecked = new Map<string, ParseProblem | undefined>();

/** Does the pasted runtime (`--runtime inline`) parse? Asked once per name, then remembered. */
export function inlineRuntimeParseProblem(name: string): ParseProblem | undefined {
  if (!runtimeChecked.has(name)) runtimeChecked.set(name, ecmaScriptParseError(inlineRuntime(name), "script"));
  return runtimeChecked.get(name);
}

export function outputParseProblem(code: string, target: "js" | "ts", isModule: boolean, kind: ts.ScriptKind): ParseProblem | undefined {
  if (target === "js") return ecmaScriptParseError(code, isModule ? "module" : "script");
  const sf = ts.createSourceFile("output.ts", code, ts.ScriptTarget.Latest, true, kind);
  const [first] = syntaxErrors(sf, "output.ts");
  return first ? { message: first.message.replace(/^syntax error: /, ""), line: first.line, column: first.column } : undefined;
}

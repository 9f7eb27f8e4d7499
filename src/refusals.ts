/**
 * What is refused before anything is transformed, by `lower()` and the plugin alike: `with` and
 * direct `eval` inside an async function or a generator — their scoping is decided at run time, so
 * no machine can keep it.
 */
import ts from "typescript";
import type { Diagnostic, Mode } from "./api.js";
import { isFunctionBoundary } from "./analyze/suspension.js";
import { isLowerable } from "./discover/functions.js";
import { diagnosticAt } from "./transform.js";

/** The mode a file asks for: its `// @unawait-mode` pragma, else the caller's choice. */
export function modeOf(source: string, requested: Mode | undefined): Mode {
  return (/^\s*\/\/\s*@unawait-mode\s+(promise|future)\b/m.exec(source)?.[1] as Mode | undefined) ?? requested ?? "promise";
}

export function refusals(sf: ts.SourceFile, fileName: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const inside = (what: string) => (node: ts.Node): void => {
    if (ts.isWithStatement(node)) {
      const d = diagnosticAt(sf, fileName, node, "UA1002", `\`with\` inside ${what} cannot be lowered: its scope is decided at run time`, "error");
      out.push({ ...d, length: 4 });
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "eval") {
      out.push(diagnosticAt(sf, fileName, node.expression, "UA1003", `direct \`eval\` inside ${what} cannot be lowered: it could read or declare any local`, "error"));
    }
    if (isFunctionBoundary(node) && !isLowerable(node)) return;
    ts.forEachChild(node, isLowerable(node) ? inside(kindOf(node)) : inside(what));
  };
  const outside = (node: ts.Node): void => {
    if (isLowerable(node)) return void ts.forEachChild(node, inside(kindOf(node)));
    ts.forEachChild(node, outside);
  };
  outside(sf);
  return out;
}

function kindOf(node: ts.Node): string {
  return (node as { asteriskToken?: ts.Node }).asteriskToken ? "a generator" : "an async function";
}

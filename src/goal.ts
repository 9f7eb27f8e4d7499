/**
 * ECMAScript's two goals, as acorn (spec-exact, small, and it runs in a browser too) parses them:
 * does a text parse as a script, as a module, as JavaScript at all?
 */
import * as acorn from "acorn";
import ts from "typescript";

/** Does the text parse as ECMAScript, as a script or as a module? */
export function parsesAsJavaScript(source: string): boolean {
  return ecmaScriptParseError(source, "script") === undefined || ecmaScriptParseError(source, "module") === undefined;
}

/**
 * A text with no import or export that a script cannot have but a module can: a top-level `await`.
 * JavaScript is asked of acorn; TypeScript (and JSX), which acorn cannot read, is decided on its
 * TypeScript parse `sf`, as exec/program-kind.ts does.
 */
export function parsesOnlyAsModule(source: string, sf: ts.SourceFile, kind: ts.ScriptKind): boolean {
  if (kind !== ts.ScriptKind.JS) return hasTopLevelAwait(sf);
  if (ecmaScriptParseError(source, "script") === undefined) return false;
  return ecmaScriptParseError(source, "module") === undefined;
}

function hasTopLevelAwait(node: ts.Node): boolean {
  if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return false;
  if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) return true;
  if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.AwaitUsing) return true;
  return ts.forEachChild(node, hasTopLevelAwait) ?? false;
}

export interface ParseProblem {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** What acorn (spec-exact, and it runs in a browser too) says of the text in the goal, if it refuses it. */
export function ecmaScriptParseError(code: string, sourceType: "script" | "module"): ParseProblem | undefined {
  try {
    acorn.parse(code, { ecmaVersion: "latest", sourceType, allowHashBang: true });
    return undefined;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const loc = (e as SyntaxError & { loc?: { line: number; column: number } }).loc;
    return { message: e.message.replace(/ \(\d+:\d+\)$/, ""), line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1 };
  }
}


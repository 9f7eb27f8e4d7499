/**
 * Functions no machine can keep faithfully: those that contain `with` or a direct `eval`. Their
 * scoping is decided at run time, while a machine keeps each local as a field or an environment
 * slot that the text names once and for all.
 *
 * In promise mode such a function is left as the engine's own (not lowered), with a warning; with
 * `strict` the warning is an error. In future mode it is always an error: a native async function
 * returns a promise where the program expects a future.
 *
 *   [source]   async function f(code) { await null; return eval(code); }
 *   [lowered]  // unawait: async function `f` (input.ts:1) is left native: direct `eval` ...
 *              async function f(code) { await null; return eval(code); }
 *
 * Which functions are left native (fixtures/hygiene/cli-eval-left-native.ts, cli-with-left-native.ts):
 * - every lowerable function whose text contains the construct, nested plain functions and class
 *   bodies included: `async function f() { let x; return () => eval("x"); }` lowered would move `x`
 *   into an environment that the closure's eval cannot name. So all lowerable functions around the
 *   construct stay native, up to the top.
 * - every lowerable function inside the body of a `with`: the names it reads resolve through the
 *   object first, and so would the machinery names of its machine (`$rt`, `f$Future`), which a
 *   proxy that "has" every key would capture.
 * - a lowerable function nested inside a native one is still lowered when neither applies to it.
 *   An `eval` in the native function around it may declare or assign a `var` the inner machine reads
 *   (`eval("var x = 1")`), but the machine class is placed in the same scope as the function it
 *   replaces, so it resolves a free name through the same scopes at the same time, and the eval
 *   cannot reach the inner function's own locals. What a free name holds may change across an await
 *   by eval, so with a direct eval in the file no name counts as stable (transform.ts).
 */
import ts from "typescript";
import type { Diagnostic, Mode } from "./api.js";
import { functionNameOf, isLowerable } from "./discover/functions.js";
import type { AsyncFunctionNode } from "./pipeline.js";
import { diagnosticAt } from "./transform.js";

/** The mode a file asks for: its `// @unawait-mode` pragma, else the caller's choice. */
export function modeOf(source: string, requested: Mode | undefined): Mode {
  return (/^\s*\/\/\s*@unawait-mode\s+(promise|future)\b/m.exec(source)?.[1] as Mode | undefined) ?? requested ?? "promise";
}

export interface RefusalOptions {
  mode: Mode;
  /** Turn the promise-mode warning into an error (`--strict`, the plugin's `"strict": true`). */
  strict?: boolean;
}

export interface Refusals {
  diagnostics: Diagnostic[];
  /**
   * The functions left native, keyed by `nativeKey` (text positions, so that another parse of the
   * same text, such as transpileModule's, finds them too), each with the comment put where its
   * machine would have been.
   */
  leftNative: Map<string, string>;
  /** The file has a direct `eval` somewhere: a free name may change whenever code runs. */
  hasDirectEval: boolean;
}

/** The key of a function in `Refusals.leftNative`. */
export function nativeKey(node: ts.Node): string {
  return `${node.pos}:${node.end}`;
}

type Construct = { kind: "with"; node: ts.WithStatement } | { kind: "eval"; node: ts.CallExpression };

export function refusals(sf: ts.SourceFile, fileName: string, options: RefusalOptions): Refusals {
  const result: Refusals = { diagnostics: [], leftNative: new Map(), hasDirectEval: false };
  /** Lowerable functions around the node being visited, outermost first. */
  const around: ts.Node[] = [];
  /** Why each function is left native: the first construct found for it. */
  const why = new Map<ts.Node, { construct: Construct; own: boolean } | { insideWith: ts.WithStatement }>();
  const withBodies: ts.WithStatement[] = [];

  const visit = (node: ts.Node): void => {
    const construct = constructAt(node);
    if (construct?.kind === "eval") result.hasDirectEval = true;
    if (construct) {
      around.forEach((fn, i) => {
        if (!why.has(fn)) why.set(fn, { construct, own: i === around.length - 1 && !hasFunctionBetween(construct.node, fn) });
      });
    }
    const lowerable = isLowerable(node);
    if (lowerable) {
      const enclosingWith = withBodies[withBodies.length - 1];
      if (enclosingWith && !why.has(node)) why.set(node, { insideWith: enclosingWith });
      around.push(node);
    }
    if (ts.isWithStatement(node)) {
      visit(node.expression);
      withBodies.push(node);
      visit(node.statement);
      withBodies.pop();
    } else {
      ts.forEachChild(node, visit);
    }
    if (lowerable) around.pop();
  };
  visit(sf);

  for (const [fn, reason] of why) {
    const what = describeFunction(fn as AsyncFunctionNode, sf, fileName);
    const at = "insideWith" in reason ? reason.insideWith : reason.construct.node;
    const { line, character } = sf.getLineAndCharacterOfPosition(at.getStart(sf));
    const where = `${line + 1}:${character + 1}`;
    const because =
      "insideWith" in reason
        ? `it is inside the body of the \`with\` at ${where}, so every name it reads (the machine's own too) is looked up in an object first, at run time`
        : reason.construct.kind === "with"
          ? `the \`with\` at ${where}${reason.own ? "" : " (in a function inside it)"} decides at run time which names are its locals`
          : `the direct \`eval\` at ${where}${reason.own ? "" : " (in a function inside it)"} could read or declare any of its locals`;
    const code = "insideWith" in reason || reason.construct.kind === "with" ? "UA1002" : "UA1003";
    const blocked = options.mode === "future" || options.strict === true;
    const message = blocked
      ? options.mode === "future"
        ? `${what} cannot be lowered: ${because}, which no machine can keep; in future mode it cannot stay native either (it would return a promise, not a future)`
        : `${what} cannot be lowered: ${because}, which no machine can keep (--strict: not left native)`
      : `${what} is left native (the engine's own, not lowered): ${because}, which no machine can keep`;
    const d = diagnosticAt(sf, fileName, at, code, message, blocked ? "error" : "warning");
    result.diagnostics.push(ts.isWithStatement(at) ? { ...d, length: 4 } : d);
    if (!blocked) result.leftNative.set(nativeKey(fn), `unawait: ${what} is left native: ${because}`);
  }
  result.diagnostics.sort((a, b) => a.start - b.start);
  return result;
}

/** `with (o) ...`, or a direct eval: a call whose callee is the name `eval`, parenthesized or not. */
function constructAt(node: ts.Node): Construct | undefined {
  if (ts.isWithStatement(node)) return { kind: "with", node };
  if (ts.isCallExpression(node)) {
    let callee: ts.Expression = node.expression;
    while (ts.isParenthesizedExpression(callee)) callee = callee.expression;
    if (ts.isIdentifier(callee) && callee.text === "eval" && !node.questionDotToken) return { kind: "eval", node };
  }
  return undefined;
}

/** Is there a function boundary between `node` and the function `fn` around it? */
function hasFunctionBetween(node: ts.Node, fn: ts.Node): boolean {
  for (let n = node.parent; n && n !== fn; n = n.parent) if (ts.isFunctionLike(n) || ts.isClassStaticBlockDeclaration(n)) return true;
  return false;
}

/** "async function `f` (file.ts:3)", "generator `g` (file.ts:7)", "async arrow function (file.ts:9)". */
function describeFunction(fn: AsyncFunctionNode, sf: ts.SourceFile, fileName: string): string {
  const isAsync = ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
  const isGenerator = !ts.isArrowFunction(fn) && fn.asteriskToken !== undefined;
  const kind = ts.isArrowFunction(fn)
    ? "async arrow function"
    : `${isAsync ? "async " : ""}${isGenerator ? (ts.isMethodDeclaration(fn) ? "generator method" : "generator") : ts.isMethodDeclaration(fn) ? "method" : "function"}`;
  const name = functionNameOf(fn);
  const line = sf.getLineAndCharacterOfPosition(fn.getStart(sf)).line + 1;
  return `${kind}${name === undefined ? "" : ` \`${name}\``} (${fileName}:${line})`;
}

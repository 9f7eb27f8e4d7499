/**
 * Future mode's must-use check: a call of an async function whose future is thrown away. In future
 * mode that future never runs (Rust's `unused_must_use` lint on futures), so the call is almost
 * certainly a mistake.
 *
 *   [source]   async function work() { console.log("never runs"); }
 *              work();                 // warning UA2002: the future of `work()` is never awaited ...
 *
 * Found by name: calls, as a whole statement, of an identifier that names an async function of the
 * file (a declaration, or a variable initialised with an async function or arrow) — or, with a type
 * checker at hand, of any async function the call resolves to. A future that
 * is awaited, polled, spawned, returned, stored or passed on is used; `void work()` discards one on
 * purpose, as Rust's `let _ = work();` does.
 */
import ts from "typescript";
import type { Diagnostic } from "../api.js";
import { diagnosticAt } from "../transform.js";
import { hasModifier } from "../normalize/factory.js";

export const MUST_USE_CODE = "UA2002";

/**
 * `checker`, when there is one (the plugin in a tsc build), also finds async functions of other
 * files: a call whose signature is declared by an async function.
 */
export function unusedFutures(sf: ts.SourceFile, fileName: string, checker?: ts.TypeChecker): Diagnostic[] {
  const asyncNames = new Set<string>();
  const isAsyncFunction = (node: ts.Node | undefined): boolean =>
    node !== undefined &&
    (ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isFunctionDeclaration(node)) &&
    !(node as ts.FunctionLikeDeclaration).asteriskToken &&
    hasModifier(node, ts.SyntaxKind.AsyncKeyword);
  const collect = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name && isAsyncFunction(node)) asyncNames.add(node.name.text);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && isAsyncFunction(node.initializer && skipParentheses(node.initializer))) asyncNames.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(sf);

  const declaredAsync = (call: ts.CallExpression): boolean => {
    if (!checker) return false;
    const declaration = checker.getResolvedSignature(call)?.declaration;
    return declaration !== undefined && !ts.isJSDocSignature(declaration) && isAsyncFunction(declaration);
  };

  const out: Diagnostic[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isExpressionStatement(node)) {
      const call = skipParentheses(node.expression);
      if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && (asyncNames.has(call.expression.text) || declaredAsync(call))) {
        const name = call.expression.text;
        out.push(
          diagnosticAt(sf, fileName, call, MUST_USE_CODE, `the future of \`${name}()\` is never awaited, and futures do nothing unless you await or poll them: \`${name}\` never runs here (await it, spawn it, or write \`void ${name}()\` to drop it on purpose)`, "warning"),
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

/**
 * `containsSuspension(node)`: does evaluating this node (not counting nested functions) reach an
 * `await` or a `yield`? The one question every later phase asks; memoized per node (regenerator's
 * `meta`). Statements without a suspension pass through the lowering untouched.
 */
import ts from "typescript";

/** One memo per meaning of `return` (see below). */
const memos = [new WeakMap<ts.Node, boolean>(), new WeakMap<ts.Node, boolean>()] as const;

/**
 * In an async generator, `return` suspends too: the function around the machine performs it (it
 * awaits its operand, natively), then the machine runs the `finally` blocks on its way out.
 */
let returnsSuspend = false;

/** Runs `lower` with `return` statements counted as suspensions (an async generator's body). */
export function withSuspendingReturns<T>(on: boolean, lower: () => T): T {
  const saved = returnsSuspend;
  returnsSuspend = on;
  try {
    return lower();
  } finally {
    returnsSuspend = saved;
  }
}

/** Nodes whose bodies are separate functions: an `await` inside them is not ours. */
export function isFunctionBoundary(node: ts.Node): boolean {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isClassStaticBlockDeclaration(node) ||
    ts.isPropertyDeclaration(node)
  );
}

export function containsSuspension(node: ts.Node): boolean {
  const memo = memos[returnsSuspend ? 1 : 0];
  const known = memo.get(node);
  if (known !== undefined) return known;
  let found = false;
  if (ts.isAwaitExpression(node) || ts.isYieldExpression(node)) {
    found = true;
  } else if (ts.isForOfStatement(node) && node.awaitModifier) {
    found = true;
  } else if (ts.isReturnStatement(node) && returnsSuspend) {
    found = true;
  } else if (ts.isClassLike(node)) {
    // Only the heritage clause and computed member names are evaluated in the enclosing function.
    found =
      (node.heritageClauses?.some((h) => h.types.some((t) => containsSuspension(t.expression))) ?? false) ||
      node.members.some((m) => m.name !== undefined && ts.isComputedPropertyName(m.name) && containsSuspension(m.name.expression));
  } else if (isFunctionBoundary(node)) {
    // A method of an object literal can have a computed name that awaits.
    found = (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) &&
      ts.isComputedPropertyName(node.name) && containsSuspension(node.name.expression);
  } else if (!ts.isTypeNode(node)) {
    found = ts.forEachChild(node, (child) => (containsSuspension(child) ? true : undefined)) ?? false;
  }
  memo.set(node, found);
  return found;
}

/** An expression that suspends the machine: `await x`, `yield x`, `yield* x`. */
export type SuspensionExpression = ts.AwaitExpression | ts.YieldExpression;

export function isSuspensionExpression(node: ts.Node): node is SuspensionExpression {
  return ts.isAwaitExpression(node) || ts.isYieldExpression(node);
}

/** The same suspension with another operand (`yield` may have none). */
export function withOperand(e: SuspensionExpression, operand: ts.Expression | undefined): SuspensionExpression {
  if (ts.isAwaitExpression(e)) return ts.factory.updateAwaitExpression(e, operand!);
  return ts.factory.updateYieldExpression(e, e.asteriskToken, operand);
}

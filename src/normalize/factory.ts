/** Short builders for the nodes the normalizer makes, so that lowering code reads as the output. */
import ts from "typescript";
import { MACHINE } from "../names.js";

export const f = ts.factory;

export const id = (name: string): ts.Identifier => f.createIdentifier(name);

export function declare(kind: "let" | "const" | "var", name: string | ts.BindingName, init?: ts.Expression): ts.VariableStatement {
  const flags = kind === "let" ? ts.NodeFlags.Let : kind === "const" ? ts.NodeFlags.Const : ts.NodeFlags.None;
  return f.createVariableStatement(
    undefined,
    f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, init)], flags),
  );
}

export const assign = (target: ts.Expression, value: ts.Expression): ts.BinaryExpression =>
  f.createBinaryExpression(target, ts.SyntaxKind.EqualsToken, value);

export const stmt = (e: ts.Expression): ts.ExpressionStatement => f.createExpressionStatement(e);

/** Does the node carry this modifier (`static`, `async`, `export`, ...)? */
export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

/**
 * The `$rt` identifiers the lowering writes: the runtime, never a binding of the user's that is
 * spelled the same (a `var $rt` in the function is not what `$rt.call(...)` means; analyze/bindings.ts
 * resolves no name in this set). (fixture hygiene/globals-shadowed-names)
 */
export const runtimeReferences = new WeakSet<ts.Identifier>();

/** `$rt`: the runtime, as generated code reaches it. */
export function runtimeName(): ts.Identifier {
  const name = id(MACHINE.runtime);
  runtimeReferences.add(name);
  return name;
}

/** `$rt.name` */
export const runtimeMember = (name: string): ts.PropertyAccessExpression => f.createPropertyAccessExpression(runtimeName(), name);

/** `$rt.name(...args)` */
export function runtimeCall(name: string, args: ts.Expression[]): ts.CallExpression {
  return f.createCallExpression(runtimeMember(name), undefined, args);
}

export const isNullish = (e: ts.Expression): ts.Expression =>
  f.createBinaryExpression(
    f.createBinaryExpression(e, ts.SyntaxKind.EqualsEqualsEqualsToken, f.createNull()),
    ts.SyntaxKind.BarBarToken,
    f.createBinaryExpression(e, ts.SyntaxKind.EqualsEqualsEqualsToken, f.createVoidZero()),
  );

export const not = (e: ts.Expression): ts.Expression => f.createLogicalNot(parenthesize(e));

export function parenthesize(e: ts.Expression): ts.Expression {
  return ts.isIdentifier(e) || ts.isCallExpression(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isParenthesizedExpression(e) || ts.isLiteralExpression(e)
    ? e
    : f.createParenthesizedExpression(e);
}

export const block = (statements: ts.Statement[]): ts.Block => f.createBlock(statements, true);

/** Skips parentheses and TypeScript-only wrappers that do not change evaluation. */
export function skipOuter(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
      e = e.expression;
    } else return e;
  }
}

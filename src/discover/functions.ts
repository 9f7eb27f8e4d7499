/**
 * Discover: which functions are lowered, and what they are called.
 *
 * Every async function, generator and async generator — declarations, expressions, arrows, class
 * and object methods (static, private, computed) — is lowered.
 */
import ts from "typescript";
import type { AsyncFunctionNode } from "../pipeline.js";

export function isLowerable(node: ts.Node): boolean {
  if (!(ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node))) return false;
  if (!node.body) return false;
  const isAsync = (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Async) !== 0 || !!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const isGenerator = !ts.isArrowFunction(node) && node.asteriskToken !== undefined;
  return isAsync || isGenerator;
}

/** Does this subtree contain a function that will be lowered? */
export function containsLowerable(node: ts.Node): boolean {
  if (isLowerable(node)) return true;
  return ts.forEachChild(node, (c) => (containsLowerable(c) ? true : undefined)) ?? false;
}

/** The name the function has (or gets from its context: `const f = async () => {}`). */
export function functionNameOf(node: AsyncFunctionNode): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name) return node.name.text;
  if (ts.isMethodDeclaration(node)) {
    const n = node.name;
    if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text.replace(/^#/, "");
    return undefined;
  }
  const parent = (node as ts.Node).parent as ts.Node | undefined;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && (ts.isIdentifier(parent.name) || ts.isPrivateIdentifier(parent.name))) return parent.name.text.replace(/^#/, "");
  if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(parent.left)) return parent.left.text;
  // Defaults in patterns and parameters name their function too: `const [f = async () => 1] = []`.
  if (parent && (ts.isBindingElement(parent) || ts.isParameter(parent)) && parent.initializer === node && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isShorthandPropertyAssignment(parent) && parent.objectAssignmentInitializer === node) return parent.name.text;
  return undefined;
}


/**
 * Writes that must throw as natively: to a `const`, and to a `let`/`class` binding that may still be
 * in its temporal dead zone. A machine keeps both kinds in fields or environment slots, which any
 * assignment would silently overwrite, so the emitter routes every write to one through here.
 *
 * The spec's order is kept: `x = rhs` evaluates `rhs` before the write throws; `x += rhs` and `x++`
 * read `x` first (a dead-zone ReferenceError before `rhs` runs); `x ??= rhs` writes, and throws,
 * only when it would assign; a destructuring target throws when its value is stored.
 *
 *   [source]   const k = 1; await 0; k += f();        let late; ... late = g();
 *   [lowered]  $rt.constWrite(this.k, "k", this.k + f());   this.late = $rt.tdzWrite(this.late, "late", g());
 *   [source]   [k] = pair;
 *   [lowered]  [$rt.checkedTarget(() => this.k, (v) => { this.k = v; }, "k", true).value] = pair;
 *
 * (fixture closures/const-and-dead-zone-writes)
 */
import ts from "typescript";
import type { Binding } from "../analyze/bindings.js";
import { nameBeside } from "../names.js";
import { assign, block, f, id, runtimeCall, stmt } from "../normalize/factory.js";

export interface CheckedBinding {
  binding: Binding;
  /** Its home as an expression (a fresh node per call). */
  storage: () => ts.Expression;
  /** Reads start in the dead zone: checked with `$rt.tdz`. */
  deadZone: boolean;
}

const name = (c: CheckedBinding): ts.StringLiteral => f.createStringLiteral(c.binding.name);
const constant = (c: CheckedBinding): boolean => c.binding.kind === "const";

/** The binding's value, checked against the dead zone where it needs to be. */
export function checkedRead(c: CheckedBinding): ts.Expression {
  return c.deadZone ? runtimeCall("tdz", [c.storage(), name(c)]) : c.storage();
}

const LOGICAL: ReadonlyMap<ts.SyntaxKind, ts.BinaryOperator> = new Map([
  [ts.SyntaxKind.AmpersandAmpersandEqualsToken, ts.SyntaxKind.AmpersandAmpersandToken],
  [ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.BarBarToken],
  [ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.QuestionQuestionToken],
]);

const ARITHMETIC: ReadonlyMap<ts.SyntaxKind, ts.BinaryOperator> = new Map([
  [ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.PlusToken],
  [ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.MinusToken],
  [ts.SyntaxKind.AsteriskEqualsToken, ts.SyntaxKind.AsteriskToken],
  [ts.SyntaxKind.AsteriskAsteriskEqualsToken, ts.SyntaxKind.AsteriskAsteriskToken],
  [ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.SlashToken],
  [ts.SyntaxKind.PercentEqualsToken, ts.SyntaxKind.PercentToken],
  [ts.SyntaxKind.LessThanLessThanEqualsToken, ts.SyntaxKind.LessThanLessThanToken],
  [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken, ts.SyntaxKind.GreaterThanGreaterThanToken],
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken, ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken],
  [ts.SyntaxKind.AmpersandEqualsToken, ts.SyntaxKind.AmpersandToken],
  [ts.SyntaxKind.BarEqualsToken, ts.SyntaxKind.BarToken],
  [ts.SyntaxKind.CaretEqualsToken, ts.SyntaxKind.CaretToken],
]);

/** `x op= right` (op may be empty) where `x` is a checked binding; `right` is already rewritten. */
export function checkedAssignment(c: CheckedBinding, operator: ts.AssignmentOperator, right: ts.Expression): ts.Expression {
  if (operator === ts.SyntaxKind.EqualsToken) {
    return constant(c) ? runtimeCall("constWrite", [c.storage(), name(c), right]) : assign(c.storage(), runtimeCall("tdzWrite", [c.storage(), name(c), right]));
  }
  const logical = LOGICAL.get(operator);
  if (constant(c)) {
    // The read (and its dead-zone check) comes first; the write that follows always throws.
    if (logical) return f.createParenthesizedExpression(f.createBinaryExpression(checkedRead(c), logical, runtimeCall("constWrite", [c.storage(), name(c), right])));
    return runtimeCall("constWrite", [c.storage(), name(c), f.createBinaryExpression(checkedRead(c), ARITHMETIC.get(operator)!, right)]);
  }
  return f.createParenthesizedExpression(f.createComma(checkedRead(c), f.createBinaryExpression(c.storage(), operator, right)));
}

/** `x++`, `--x` where `x` is a checked binding. */
export function checkedUpdate(c: CheckedBinding, node: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression): ts.Expression {
  if (constant(c)) return runtimeCall("constUpdate", [c.storage(), name(c)]);
  const update = ts.isPrefixUnaryExpression(node) ? f.createPrefixUnaryExpression(node.operator, c.storage()) : f.createPostfixUnaryExpression(c.storage(), node.operator);
  return f.createParenthesizedExpression(f.createComma(checkedRead(c), update));
}

/** A destructuring or `for-in`/`for-of` target that stores into a checked binding. */
export function checkedTarget(c: CheckedBinding): ts.Expression {
  const stored = c.storage();
  const v = id(nameBeside("v", ts.isIdentifier(stored) ? [stored.text] : []));
  const write = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, v, undefined, f.createKeywordTypeNode(ts.SyntaxKind.AnyKeyword))], undefined, undefined, block([stmt(assign(c.storage(), v))]));
  const read = f.createArrowFunction(undefined, undefined, [], undefined, undefined, c.storage());
  return f.createPropertyAccessExpression(runtimeCall("checkedTarget", [read, write, name(c), constant(c) ? f.createTrue() : f.createFalse()]), "value");
}

/**
 * The targets of a destructuring assignment, rewritten: `target` rewrites a simple target (an
 * identifier or a property access); defaults and computed keys are reads, rewritten by `read`.
 */
export function rewritePattern(node: ts.Expression, target: (e: ts.Expression) => ts.Expression, read: (e: ts.Expression) => ts.Expression): ts.Expression {
  const pattern = (e: ts.Expression): ts.Expression => rewritePattern(e, target, read);
  const withDefault = (e: ts.Expression): ts.Expression =>
    ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken ? f.updateBinaryExpression(e, pattern(e.left), e.operatorToken, read(e.right)) : pattern(e);
  if (ts.isParenthesizedExpression(node)) return f.updateParenthesizedExpression(node, pattern(node.expression));
  if (ts.isArrayLiteralExpression(node)) {
    return f.updateArrayLiteralExpression(
      node,
      node.elements.map((el) => (ts.isOmittedExpression(el) ? el : ts.isSpreadElement(el) ? f.updateSpreadElement(el, pattern(el.expression)) : withDefault(el))),
    );
  }
  if (ts.isObjectLiteralExpression(node)) {
    return f.updateObjectLiteralExpression(
      node,
      node.properties.map((p): ts.ObjectLiteralElementLike => {
        if (ts.isSpreadAssignment(p)) return f.updateSpreadAssignment(p, pattern(p.expression));
        if (ts.isShorthandPropertyAssignment(p)) {
          const stored = target(p.name);
          const value = p.objectAssignmentInitializer ? assign(stored, read(p.objectAssignmentInitializer)) : stored;
          return stored === p.name && !p.objectAssignmentInitializer ? p : f.createPropertyAssignment(p.name.text, value);
        }
        if (ts.isPropertyAssignment(p)) {
          const key = ts.isComputedPropertyName(p.name) ? f.updateComputedPropertyName(p.name, read(p.name.expression)) : p.name;
          return f.updatePropertyAssignment(p, key, withDefault(p.initializer));
        }
        return p;
      }),
    );
  }
  return target(node);
}

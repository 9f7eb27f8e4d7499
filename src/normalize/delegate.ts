/**
 * Normalize (generators): `yield*` becomes a loop around one primitive suspension.
 *
 * The machine forwards every `next(v)`, `throw(e)` and `return(v)` it is resumed with to the inner
 * iterator (runtime `delegateStep`, which follows the spec's steps for each), and yields the inner
 * results as they are until one is done. A `return(v)` that the inner iterator completes (or cannot
 * take) returns from the generator, through its `finally` blocks.
 *
 *   [source]   const got = yield* inner();
 *   [lowered]  const $delegate1 = $rt.delegate(inner());
 *              let $inner1 = $rt.delegateStep($delegate1, $rt.NEXT, undefined);
 *              while (!$inner1.done) $inner1 = yield* $delegate1;
 *              if ($delegate1.returning) return $inner1.value;
 *              const got = $inner1.value;
 *
 * `$inner1 = yield* $delegate1` is the primitive the IR builder knows: yield `$inner1` as it is,
 * and when resumed, step `$delegate1` with how the machine was resumed.
 */
import ts from "typescript";
import type { NameAuthority } from "../names.js";
import { declare, f, id, not, runtimeCall, stmt, assign } from "./factory.js";

export interface Delegation {
  statements: ts.Statement[];
  /** The value of the `yield*` (`$inner1.value`): read it exactly once. */
  value: ts.Expression;
}

export function delegation(operand: ts.Expression, names: NameAuthority, markTemp: (name: string) => void): Delegation {
  const delegateName = names.temp("delegate");
  const innerName = names.temp("inner");
  markTemp(delegateName);
  markTemp(innerName);
  const step = f.createYieldExpression(f.createToken(ts.SyntaxKind.AsteriskToken), id(delegateName));
  delegationSteps.set(step, operand);
  const loop = f.createWhileStatement(not(f.createPropertyAccessExpression(id(innerName), "done")), stmt(assign(id(innerName), step)));
  delegationLoops.set(loop, operand);
  const statements = [
    declare("const", delegateName, runtimeCall("delegate", [operand])),
    declare("let", innerName, runtimeCall("delegateStep", [id(delegateName), f.createPropertyAccessExpression(id("$rt"), "NEXT"), id("undefined")])),
    loop,
    f.createIfStatement(f.createPropertyAccessExpression(id(delegateName), "returning"), f.createReturnStatement(f.createPropertyAccessExpression(id(innerName), "value"))),
  ];
  return { statements, value: f.createPropertyAccessExpression(id(innerName), "value") };
}

/** The builder's primitives `$inner = yield* $delegate` (made above, not source `yield*`s), with the source operand. */
export const delegationSteps = new WeakMap<ts.YieldExpression, ts.Expression>();

/** The loops made above, with the source operand, so that their states can say what they are. */
export const delegationLoops = new WeakMap<ts.WhileStatement, ts.Expression>();

/**
 * Emit (generators and async generators): the body of the `function*` or `async function*` that
 * stays around the machine. (A generator's is the same without the await.)
 *
 *   [source]   async function* ticks(n) { for (let i = 0; i < n; i++) yield await next(i); }
 *   [lowered]  async function* ticks(n) {
 *                const $machine = new ticks$AsyncGenerator(n);
 *                let $how = $rt.NEXT, $sent;
 *                $level1: for (;;) {
 *                  const $signal = $machine.resume($how, $sent);
 *                  if ($signal === $rt.FINISHED) return;
 *                  if ($signal === $rt.AWAIT) {
 *                    try { $sent = await $machine.$out; $how = $rt.NEXT; } catch ($error) { $how = $rt.THROW; $sent = $error; }
 *                    continue $level1;
 *                  }
 *                  let $taken = true;
 *                  try {
 *                    $how = $rt.NEXT;
 *                    switch ($signal) {
 *                      case $rt.YIELD: $sent = yield $machine.$out; break;
 *                      case $rt.YIELD_STAR: $sent = yield* $machine.$out; break;
 *                      case $rt.RETURN_VALUE: return $machine.$out;
 *                      default: return;
 *                    }
 *                    $taken = false;
 *                  } catch ($error) {
 *                    $taken = false; $how = $rt.THROW; $sent = $error;
 *                  } finally {
 *                    if ($taken) { $how = $rt.RETURN; $sent = $rt.returnTaken(2); $level2: for (;;) { … } }
 *                  }
 *                }
 *              }
 *
 * Every suspension is the engine's own syntax, so the generator protocol, the ticks, the request
 * queue and `yield*` are exactly native. A `return` the engine takes — from a `return(v)` request at a `yield`, or the
 * machine's own `return` — is held by the engine in the `try` above while the `finally` resumes the
 * machine with RETURN, which runs the body's own `finally` blocks. While they run, the machine can
 * await (the next level loop does it), yield or return again (a deeper level, with its own `try`:
 * one per `finally` block of the body that yields or returns), drop the return (a `break` out of a
 * `finally`: `continue` to the level below drops it natively too), or finish (leaving the `finally`
 * lets the engine's return go on).
 *
 * A body with no try table (no `try` and no `for-of` around a `yield`, `await` or `return`) has no
 * handler for a throw or a return to reach: the engine's own exception or return at the `yield`
 * does what the machine would. Its shell is the first level loop without the `try` around the
 * suspension (`plain`), which the engine runs faster (the generator-iteration benchmark went from
 * 1.50x native with the try to 1.26x without, `node bench/run.js --iterations 15`).
 */
import ts from "typescript";
import { MACHINE, SHELL } from "../names.js";
import { assign, block, f, id, runtimeMember, runtimeName, stmt } from "../normalize/factory.js";
import { isFunctionBoundary } from "../analyze/suspension.js";

export interface ShellInput {
  /** `new ticks$AsyncGenerator(n)`. */
  machine: ts.Expression;
  /** An async generator's (its machine may ask for an await). */
  async: boolean;
  /** How many level loops: 2 plus the finally blocks of the body that yield or return. */
  levels: number;
  /** Names the shell must not take (the function's parameters). */
  taken: ReadonlySet<string>;
  /** The function declares its return type: a bare `return;` may not match it (TypeScript output). */
  typedReturn: boolean;
  /** The machine has no try table: no `try` around the suspensions (see the header). */
  plain: boolean;
}

/** Levels the shell needs for a (normalized) body: see the header. */
export function shellLevels(body: readonly ts.Statement[]): number {
  let count = 0;
  const suspendsInFinally = (node: ts.Node): boolean => {
    if (isFunctionBoundary(node)) return false;
    if (ts.isYieldExpression(node) || ts.isReturnStatement(node)) return true;
    return ts.forEachChild(node, (c) => (suspendsInFinally(c) ? true : undefined)) ?? false;
  };
  const visit = (node: ts.Node): void => {
    if (isFunctionBoundary(node)) return;
    if (ts.isTryStatement(node) && node.finallyBlock && suspendsInFinally(node.finallyBlock)) count++;
    ts.forEachChild(node, visit);
  };
  body.forEach(visit);
  return 2 + count;
}

export function generatorShell(input: ShellInput): ts.Statement[] {
  const name = (base: string): string => {
    let n = base;
    for (let i = 2; input.taken.has(n); i++) n = `${base}$${i}`;
    return n;
  };
  const names = {
    machine: name(SHELL.machine),
    how: name(SHELL.how),
    sent: name(SHELL.sent),
    signal: name(SHELL.signal),
    taken: name(SHELL.taken),
    error: name(SHELL.error),
    level: (k: number) => `${SHELL.level}${k}`,
  };
  const rt = (member: string): ts.Expression => runtimeMember(member);
  const rtType = (member: string): ts.TypeNode => f.createTypeReferenceNode(f.createQualifiedName(runtimeName(), member));
  const anyType = f.createKeywordTypeNode(ts.SyntaxKind.AnyKeyword);
  const out = (): ts.Expression => f.createPropertyAccessExpression(id(names.machine), MACHINE.out);
  const is = (signal: string): ts.Expression => f.createStrictEquality(id(names.signal), rt(signal));
  /**
   * `return;` — no value and, in an async generator, unlike `return undefined`, no await: what the
   * body's own bare `return` and its end do. Against a declared return type TypeScript wants a value;
   * the comment says why not.
   */
  const bareReturn = (): ts.Statement => {
    // In a generator the two are the same: `undefined!` satisfies a declared return type.
    if (!input.async) return f.createReturnStatement(input.typedReturn ? f.createNonNullExpression(f.createVoidZero()) : undefined);
    const r = f.createReturnStatement();
    if (input.typedReturn) ts.addSyntheticLeadingComment(r, ts.SyntaxKind.SingleLineCommentTrivia, " @ts-ignore: a bare return awaits nothing; `return undefined` would await", true);
    return r;
  };
  const resumeWith = (how: string, sent: ts.Expression): ts.Statement[] => [stmt(assign(id(names.how), rt(how))), stmt(assign(id(names.sent), sent))];

  const level = (k: number): ts.Statement => {
    const body: ts.Statement[] = [
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(names.signal, undefined, undefined, f.createCallExpression(f.createPropertyAccessExpression(id(names.machine), MACHINE.resume), undefined, [id(names.how), id(names.sent)]))], ts.NodeFlags.Const)),
      // Level 1: the body is over. Deeper: the return the engine holds goes on.
      f.createIfStatement(is("FINISHED"), k === 1 ? block([bareReturn()]) : f.createBreakStatement(names.level(k))),
    ];
    if (k > 1) {
      // A `break` or `continue` left the finally blocks: drop the returns from the level the machine says.
      const drops: ts.Statement[] = [...resumeWith("NEXT", f.createVoidZero())];
      for (let j = 1; j < k - 1; j++) {
        drops.push(f.createIfStatement(f.createStrictEquality(out(), f.createNumericLiteral(j + 1)), f.createContinueStatement(names.level(j))));
      }
      drops.push(f.createContinueStatement(names.level(k - 1)));
      body.push(f.createIfStatement(is("DROP_RETURN"), block(drops)));
    }
    // An await cannot take a return: performed on its own, without the try/finally below.
    const awaited = f.createTryStatement(
      block([stmt(assign(id(names.sent), f.createAwaitExpression(out()))), stmt(assign(id(names.how), rt("NEXT")))]),
      f.createCatchClause(names.error, block(resumeWith("THROW", id(names.error)))),
      undefined,
    );
    if (input.async) body.push(f.createIfStatement(is("AWAIT"), block([awaited, f.createContinueStatement(names.level(k))])));
    const perform = (): ts.SwitchStatement =>
      f.createSwitchStatement(
        id(names.signal),
        f.createCaseBlock([
          f.createCaseClause(rt("YIELD"), [stmt(assign(id(names.sent), f.createYieldExpression(undefined, out()))), f.createBreakStatement()]),
          f.createCaseClause(rt("YIELD_STAR"), [stmt(assign(id(names.sent), f.createYieldExpression(f.createToken(ts.SyntaxKind.AsteriskToken), out()))), f.createBreakStatement()]),
          f.createCaseClause(rt("RETURN_VALUE"), [f.createReturnStatement(out())]),
          f.createDefaultClause([bareReturn()]),
        ]),
      );
    if (input.plain) {
      // No handler in the body: a throw or return the engine performs at the yield ends it as natively.
      body.push(perform());
    } else if (k === input.levels) {
      // The deepest level: the body's finally blocks that run here only await (or finish).
      body.push(stmt(f.createCallExpression(rt("unexpectedSignal"), undefined, [id(names.signal)])));
    } else {
      const finishing = block([...resumeWith("RETURN", f.createCallExpression(rt("returnTaken"), undefined, [f.createNumericLiteral(k + 1)])), level(k + 1)]);
      ts.addSyntheticLeadingComment(finishing.statements[0]!, ts.SyntaxKind.SingleLineCommentTrivia, " The engine took a return: the machine runs its finally blocks before the return goes on.", true);
      body.push(
        f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(names.taken, undefined, undefined, f.createTrue())], ts.NodeFlags.Let)),
        f.createTryStatement(
          block([stmt(assign(id(names.how), rt("NEXT"))), perform(), stmt(assign(id(names.taken), f.createFalse()))]),
          f.createCatchClause(names.error, block([stmt(assign(id(names.taken), f.createFalse())), ...resumeWith("THROW", id(names.error))])),
          block([f.createIfStatement(id(names.taken), finishing)]),
        ),
      );
    }
    return f.createLabeledStatement(names.level(k), f.createForStatement(undefined, undefined, undefined, block(body)));
  };

  return [
    f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(names.machine, undefined, undefined, input.machine)], ts.NodeFlags.Const)),
    f.createVariableStatement(
      undefined,
      f.createVariableDeclarationList([f.createVariableDeclaration(names.how, undefined, rtType("Resumption"), rt("NEXT")), f.createVariableDeclaration(names.sent, undefined, anyType, undefined)], ts.NodeFlags.Let),
    ),
    level(1),
  ];
}

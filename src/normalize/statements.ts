/**
 * Normalize, step 2: statements. After this pass every compound statement's head (conditions,
 * discriminants, case tests, loop heads) is free of `await`, and loops that await in their body
 * walk their iterator one explicit step at a time. Awaits are left only in the three statement
 * forms of spill.ts. Each rewrite keeps valid TypeScript, so the result can be printed and run.
 *
 *   [source]   for (const id of ids) { sum += (await load(id)).price; }
 *   [lowered]  const $iter1 = $rt.iterate(ids);
 *              try {
 *                for (;;) {
 *                  const $value1 = $rt.step($iter1);
 *                  if ($value1 === $rt.ITERATION_DONE) break;
 *                  const id = $value1;
 *                  { ... }
 *                }
 *              } catch ($caught1) { $rt.closeIteratorAfterThrow($iter1); throw $caught1; }
 *              finally { $rt.closeIterator($iter1); }
 */
import ts from "typescript";
import { containsSuspension, isSuspensionExpression, withOperand, type SuspensionExpression } from "../analyze/suspension.js";
import { identifiersIn, type NameAuthority } from "../names.js";
import { assign, block, declare, f, id, not, runtimeCall, runtimeMember, skipOuter, stmt } from "./factory.js";
import { Spiller, UnsupportedAwait, describeKind } from "./spill.js";

/** The loop a normalized `for (;;)` was made from, so that its states can say what they are. */
export const loopOrigin = new WeakMap<ts.Node, ts.IterationStatement>();

/** Awaits the normalizer made, with what they wait for in the source's words (for state labels). */
export const awaitDescriptions = new WeakMap<ts.AwaitExpression, { what: string; of: ts.Expression }>();

function described(e: ts.AwaitExpression, what: string, of: ts.Expression): ts.AwaitExpression {
  awaitDescriptions.set(e, { what, of });
  return e;
}

/** try statements the normalizer made to close an iterator, with the loop they guard. */
export const iteratorGuard = new WeakMap<ts.Node, ts.IterationStatement>();

/** A later step that rebuilt a normalized node keeps what these tables say about it. */
export function carryNormalizedFacts<T extends ts.Node>(from: ts.Node, to: T): T {
  if (from === to) return to;
  const origin = loopOrigin.get(from);
  if (origin) loopOrigin.set(to, origin);
  const guarded = iteratorGuard.get(from);
  if (guarded) iteratorGuard.set(to, guarded);
  return to;
}

export class StatementNormalizer {
  constructor(
    private readonly spiller: Spiller,
    private readonly names: NameAuthority,
  ) {}

  block(statements: readonly ts.Statement[]): ts.Statement[] {
    return statements.flatMap((s) => this.statement(s));
  }

  private body(s: ts.Statement): ts.Statement {
    if (!containsSuspension(s)) return s;
    const out = this.statement(s);
    return out.length === 1 ? out[0]! : block(out);
  }

  statement(s: ts.Statement, labels: ts.Identifier[] = []): ts.Statement[] {
    if (!containsSuspension(s)) return [relabel(s, labels)];
    if (ts.isLabeledStatement(s)) return this.statement(s.statement, [...labels, s.label]);
    if (labels.length > 0 && !isLoop(s)) {
      // A labeled block or if: keep the label around the normalized statement.
      return [relabel(block(this.statement(s)), labels)];
    }
    if (ts.isExpressionStatement(s)) return this.expressionStatement(s);
    if (ts.isVariableStatement(s)) return this.variableStatement(s);
    if (ts.isReturnStatement(s)) {
      if (!s.expression) return [s]; // an async generator's `return;`: a suspension of its own
      const r = this.spiller.spill(s.expression);
      return [...r.pre, f.updateReturnStatement(s, r.expr)];
    }
    if (ts.isThrowStatement(s)) {
      const r = this.spiller.spill(s.expression);
      return [...r.pre, f.updateThrowStatement(s, r.expr)];
    }
    if (ts.isBlock(s)) return [f.updateBlock(s, this.block(s.statements))];
    if (ts.isIfStatement(s)) {
      const c = this.spiller.spill(s.expression);
      return [...c.pre, f.updateIfStatement(s, c.expr, this.body(s.thenStatement), s.elseStatement && this.body(s.elseStatement))];
    }
    if (ts.isSwitchStatement(s)) return this.switchStatement(s);
    if (ts.isTryStatement(s)) {
      let catchClause = s.catchClause;
      const binding = catchClause?.variableDeclaration;
      if (catchClause && binding && !ts.isIdentifier(binding.name) && containsSuspension(binding.name)) {
        // `catch ({ code = await f() })` → `catch ($caught1) { let { code = await f() } = $caught1; ... }`
        const caught = this.names.temp("caught");
        const bind = f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(binding.name, undefined, binding.type, id(caught))], ts.NodeFlags.Let));
        catchClause = f.updateCatchClause(catchClause, f.createVariableDeclaration(caught), f.updateBlock(catchClause.block, [bind, ...catchClause.block.statements]));
      }
      return [
        f.updateTryStatement(
          s,
          f.updateBlock(s.tryBlock, this.block(s.tryBlock.statements)),
          catchClause && f.updateCatchClause(catchClause, catchClause.variableDeclaration, f.updateBlock(catchClause.block, this.block(catchClause.block.statements))),
          s.finallyBlock && f.updateBlock(s.finallyBlock, this.block(s.finallyBlock.statements)),
        ),
      ];
    }
    if (ts.isWhileStatement(s)) return this.whileStatement(s, labels);
    if (ts.isDoStatement(s)) return this.doStatement(s, labels);
    if (ts.isForStatement(s)) return this.forStatement(s, labels);
    if (ts.isForOfStatement(s)) return this.forOfStatement(s, labels);
    if (ts.isForInStatement(s)) return this.forInStatement(s, labels);
    if (ts.isClassDeclaration(s) && s.name) {
      // `class C extends (await base()) {}` → `let C = class C extends ... {}`
      const expr = f.createClassExpression(s.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword) as ts.ModifierLike[] | undefined, s.name, s.typeParameters, s.heritageClauses, s.members);
      return this.variableStatement(declare("let", s.name.text, expr));
    }
    throw new UnsupportedAwait(s, `an \`await\` in ${describeKind(s)}`);
  }

  private expressionStatement(s: ts.ExpressionStatement): ts.Statement[] {
    const e = skipOuter(s.expression);
    // The statements made here keep `s` as their original: its source line names their states.
    if (isSuspensionExpression(e)) return this.suspension(e, (value) => ts.setOriginalNode(stmt(value), s));
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipOuter(e.left))) {
      const right = skipOuter(e.right);
      if (isSuspensionExpression(right)) return this.suspension(right, (value) => ts.setOriginalNode(stmt(assign(skipOuter(e.left), value)), s));
    }
    const r = this.spiller.spill(s.expression);
    return this.spiller.isStable(r.expr) ? r.pre : [...r.pre, f.updateExpressionStatement(s, r.expr)];
  }

  /**
   * A suspension at statement level (alone, assigned to a name, or a name's initialiser): its operand
   * spilled, then `use(await x)` / `use(yield x)` / `use(yield* x)`.
   */
  private suspension(e: SuspensionExpression, use: (value: ts.Expression) => ts.Statement): ts.Statement[] {
    const r: { pre: ts.Statement[]; expr: ts.Expression | undefined } = e.expression ? this.spiller.spill(e.expression) : { pre: [], expr: undefined };
    return [...r.pre, use(withOperand(e, r.expr))];
  }

  private variableStatement(s: ts.VariableStatement): ts.Statement[] {
    const flags = s.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const);
    const kind = flags & ts.NodeFlags.Const ? "const" : flags & ts.NodeFlags.Let ? "let" : "var";
    const out: ts.Statement[] = [];
    for (const d of s.declarationList.declarations) {
      // Each declaration its own statement, remembered as made from `s` (for its source line).
      const single = (decl: ts.VariableDeclaration): ts.VariableStatement =>
        ts.setOriginalNode(f.createVariableStatement(s.modifiers, f.createVariableDeclarationList([decl], s.declarationList.flags)), s);
      if (!containsSuspension(d)) {
        out.push(single(d));
        continue;
      }
      const init = d.initializer!;
      const suspension = skipOuter(init);
      if (ts.isIdentifier(d.name) && isSuspensionExpression(suspension)) {
        out.push(...this.suspension(suspension, (value) => single(f.updateVariableDeclaration(d, d.name, d.exclamationToken, d.type, value))));
        continue;
      }
      const r = this.spiller.spill(init);
      out.push(...r.pre);
      if (ts.isIdentifier(d.name) || !containsSuspension(d.name)) {
        out.push(single(f.updateVariableDeclaration(d, d.name, d.exclamationToken, d.type, r.expr)));
        continue;
      }
      // A binding pattern that awaits in a default: destructure step by step.
      const value = this.spiller.isStable(r.expr) ? r.expr : this.spiller.tempFor(r.expr, "value", out);
      const leaves = bindingNames(d.name);
      out.push(declareNames(kind === "var" ? "var" : "let", leaves));
      out.push(...this.spiller.destructure(d.name, value, (target, v) => [stmt(assign(target, v))]));
    }
    return out;
  }

  /**
   * `switch` whose case tests await: find the clause first (tests run lazily, in order), then
   * switch on its index, so that fallthrough and `break` keep their meaning.
   *
   *   [source]   switch (x) { case a: A; case await b(): B; default: C }
   *   [lowered]  const $discriminant1 = x; let $clause1 = 2;
   *              if ($discriminant1 === a) $clause1 = 0;
   *              else { const $awaited1 = await b(); if ($discriminant1 === $awaited1) $clause1 = 1; }
   *              switch ($clause1) { case 0: A; case 1: B; case 2: C }
   */
  private switchStatement(s: ts.SwitchStatement): ts.Statement[] {
    const d = this.spiller.spill(s.expression);
    const pre = [...d.pre];
    const clauses = s.caseBlock.clauses;
    const testsAwait = clauses.some((c) => ts.isCaseClause(c) && containsSuspension(c.expression));
    const normalizeClause = (c: ts.CaseOrDefaultClause, test?: ts.Expression): ts.CaseOrDefaultClause =>
      ts.isCaseClause(c) ? f.updateCaseClause(c, test ?? c.expression, this.block(c.statements)) : f.updateDefaultClause(c, this.block(c.statements));
    // Evaluated once: the machine compares it with each case test in turn (fuzz/found/switch-discriminant-evaluated-per-case).
    const disc = this.spiller.isStable(d.expr) ? d.expr : this.spiller.tempFor(d.expr, "discriminant", pre);
    if (!testsAwait) {
      return [...pre, f.updateSwitchStatement(s, disc, f.updateCaseBlock(s.caseBlock, clauses.map((c) => normalizeClause(c))))];
    }
    const defaultIndex = clauses.findIndex((c) => ts.isDefaultClause(c));
    const clause = this.spiller.tempFor(defaultIndex >= 0 ? f.createNumericLiteral(defaultIndex) : f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(1)), "clause", pre, "let");
    let chain: ts.Statement[] = [];
    for (let i = clauses.length - 1; i >= 0; i--) {
      const c = clauses[i]!;
      if (!ts.isCaseClause(c)) continue;
      const t = this.spiller.spill(c.expression);
      const test = f.createBinaryExpression(disc, ts.SyntaxKind.EqualsEqualsEqualsToken, t.expr);
      chain = [...t.pre, f.createIfStatement(test, block([stmt(assign(clause, f.createNumericLiteral(i)))]), chain.length ? block(chain) : undefined)];
    }
    pre.push(...this.block(chain));
    const cases = clauses.map((c, i) => f.createCaseClause(f.createNumericLiteral(i), this.block(c.statements)));
    return [...pre, f.updateSwitchStatement(s, clause, f.createCaseBlock(cases))];
  }

  /** `while (await c) S` → `for (;;) { if (!(await c)) break; S }` (spilled). */
  private whileStatement(s: ts.WhileStatement, labels: ts.Identifier[]): ts.Statement[] {
    if (!containsSuspension(s.expression)) return [relabel(f.updateWhileStatement(s, s.expression, this.body(s.statement)), labels)];
    const c = this.spiller.spill(s.expression);
    const loop = f.createForStatement(undefined, undefined, undefined, block([...this.block(c.pre), f.createIfStatement(not(c.expr), f.createBreakStatement()), this.body(s.statement)]));
    loopOrigin.set(loop, s);
    return [relabel(loop, labels)];
  }

  /**
   * `do S while (await c)`: the condition moves to the top of the next turn, guarded by a flag,
   * so that `continue` in S still reaches the condition.
   */
  private doStatement(s: ts.DoStatement, labels: ts.Identifier[]): ts.Statement[] {
    if (!containsSuspension(s.expression)) return [relabel(f.updateDoStatement(s, this.body(s.statement), s.expression), labels)];
    const first = this.names.temp("cond");
    const c = this.spiller.spill(s.expression);
    const check = f.createIfStatement(not(id(first)), block([...this.block(c.pre), f.createIfStatement(not(c.expr), f.createBreakStatement())]));
    const loop = f.createForStatement(
      f.createVariableDeclarationList([f.createVariableDeclaration(first, undefined, undefined, f.createTrue())], ts.NodeFlags.Let),
      undefined,
      undefined,
      block([check, stmt(assign(id(first), f.createFalse())), this.body(s.statement)]),
    );
    loopOrigin.set(loop, s);
    return [relabel(loop, labels)];
  }

  /**
   * `for (init; test; update)` whose test or update awaits: both move into the body, the update
   * guarded by a "first turn" flag. The declarations stay in the head, so `let` keeps one binding
   * per iteration (the copy is made before the update runs, as natively).
   */
  private forStatement(s: ts.ForStatement, labels: ts.Identifier[]): ts.Statement[] {
    const pre: ts.Statement[] = [];
    let init = s.initializer;
    if (init && containsSuspension(init)) {
      if (ts.isVariableDeclarationList(init)) {
        if (init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const) && needsOwnScope(init)) {
          const head = this.lexicalForHead(init);
          pre.push(...head.pre);
          init = head.init;
        } else if (init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
          // `for (let x = await a; ...)`: evaluate the initialisers first, keep the bindings in the head.
          const decls = init.declarations.map((d) => {
            if (!d.initializer || !containsSuspension(d.initializer)) return d;
            const r = this.spiller.spill(d.initializer);
            pre.push(...this.block(r.pre));
            return f.updateVariableDeclaration(d, d.name, d.exclamationToken, d.type, this.spiller.isStable(r.expr) ? r.expr : this.spiller.tempFor(r.expr, "value", pre));
          });
          init = f.updateVariableDeclarationList(init, decls);
        } else {
          pre.push(...this.variableStatement(f.createVariableStatement(undefined, init)));
          init = undefined;
        }
      } else {
        pre.push(...this.expressionStatement(stmt(init)));
        init = undefined;
      }
    }
    const headAwaits = (s.condition && containsSuspension(s.condition)) || (s.incrementor && containsSuspension(s.incrementor));
    if (!headAwaits) {
      return [...pre, relabel(f.updateForStatement(s, init, s.condition, s.incrementor, this.body(s.statement)), labels)];
    }
    const first = this.names.temp("cond");
    const inBody: ts.Statement[] = [];
    if (s.incrementor) {
      inBody.push(f.createIfStatement(not(id(first)), block(this.expressionStatement(stmt(s.incrementor)))));
    }
    inBody.push(stmt(assign(id(first), f.createFalse())));
    if (s.condition) {
      const c = this.spiller.spill(s.condition);
      inBody.push(...this.block(c.pre), f.createIfStatement(not(c.expr), f.createBreakStatement()));
    }
    inBody.push(this.body(s.statement));
    const firstDecl = f.createVariableDeclaration(first, undefined, undefined, f.createTrue());
    let head: ts.ForInitializer;
    if (init && ts.isVariableDeclarationList(init) && init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
      const flags = init.flags & ts.NodeFlags.Const ? ts.NodeFlags.Let : init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const);
      head = f.createVariableDeclarationList([...init.declarations, firstDecl], flags);
    } else {
      if (init) pre.push(ts.isVariableDeclarationList(init) ? f.createVariableStatement(undefined, init) : stmt(init));
      head = f.createVariableDeclarationList([firstDecl], ts.NodeFlags.Let);
    }
    const loop = f.createForStatement(head, undefined, undefined, block(inBody));
    loopOrigin.set(loop, s);
    return [...pre, relabel(loop, labels)];
  }

  /**
   * A `let`/`const` for-head whose patterns suspend, or whose suspending initialisers read a name
   * the head declares: the declarations run in a block of their own (each sees the ones before it,
   * no outer name is hidden), then the head declares the same names from their values, so that
   * each turn still gets its own bindings. A closure made in the head sees the block's bindings,
   * as natively it sees the head's first environment, not a turn's copy.
   * (fixture hygiene/loop-head-patterns-suspending)
   *
   *   [source]   for (let [a = await f()] = [], b = a; b < 3; b++) BODY
   *   [lowered]  let $value1, $value2;
   *              { let a; { const $iter1 = ...; ... a = ...await f()...; } let b = a; $value1 = a; $value2 = b; }
   *              for (let a = $value1, b = $value2; b < 3; b++) BODY
   */
  private lexicalForHead(init: ts.VariableDeclarationList): { pre: ts.Statement[]; init: ts.VariableDeclarationList } {
    const names = init.declarations.flatMap((d) => bindingNames(d.name));
    const copies = names.map(() => this.names.temp("value"));
    const kind = init.flags & ts.NodeFlags.Const ? ts.NodeFlags.Const : ts.NodeFlags.Let;
    const evaluated = this.variableStatement(f.createVariableStatement(undefined, f.createVariableDeclarationList([...init.declarations], init.flags & ts.NodeFlags.BlockScoped)));
    const saved = names.map((n, i) => stmt(assign(id(copies[i]!), id(n.text))));
    const pre = [f.createVariableStatement(undefined, f.createVariableDeclarationList(copies.map((c) => f.createVariableDeclaration(c)), ts.NodeFlags.Let)), block([...evaluated, ...saved])];
    const head = f.createVariableDeclarationList(names.map((n, i) => f.createVariableDeclaration(n.text, undefined, undefined, id(copies[i]!))), kind);
    return { pre, init: head };
  }

  /**
   * `for await`: the iterator is stepped by awaiting each `next()` result in the machine, and closed
   * by awaiting `return()` (runtime/asyncIteration.ts has the whole lowering).
   */
  private forAwaitStatement(s: ts.ForOfStatement, labels: ts.Identifier[]): ts.Statement[] {
    const r = this.spiller.spill(s.expression);
    const pre = [...r.pre];
    const iter = this.spiller.tempFor(runtimeCall("asyncIterate", [r.expr]), "iter", pre);
    const next = this.names.temp("next");
    const value = this.names.temp("value");
    const done = runtimeMember("ITERATION_DONE");
    const loop = f.createForStatement(
      undefined,
      undefined,
      undefined,
      block([
        declare("const", next, described(f.createAwaitExpression(runtimeCall("asyncNext", [iter])), "the next result of", s.expression)),
        declare("const", value, runtimeCall("asyncValue", [iter, id(next)])),
        f.createIfStatement(f.createBinaryExpression(id(value), ts.SyntaxKind.EqualsEqualsEqualsToken, done), f.createBreakStatement()),
        ...this.bindLoopValue(s.initializer, id(value)),
        this.body(s.statement),
      ]),
    );
    loopOrigin.set(loop, s);
    const caught = this.names.temp("caught");
    const closingAfterThrow = this.names.temp("closing");
    const closing = this.names.temp("closing");
    const returned = this.names.temp("returned");
    const notDone = (name: string): ts.Expression => f.createBinaryExpression(id(name), ts.SyntaxKind.ExclamationEqualsEqualsToken, done);
    const guarded = f.createTryStatement(
      block([relabel(loop, labels)]),
      f.createCatchClause(
        caught,
        block([
          declare("const", closingAfterThrow, runtimeCall("asyncReturnAfterThrow", [iter])),
          f.createIfStatement(notDone(closingAfterThrow), f.createTryStatement(block([stmt(described(f.createAwaitExpression(id(closingAfterThrow)), "return() of", s.expression))]), f.createCatchClause(undefined, block([])), undefined)),
          f.createThrowStatement(id(caught)),
        ]),
      ),
      block([
        declare("const", closing, runtimeCall("asyncReturn", [iter])),
        f.createIfStatement(notDone(closing), block([declare("const", returned, described(f.createAwaitExpression(id(closing)), "return() of", s.expression)), stmt(runtimeCall("returnResult", [id(returned)]))])),
      ]),
    );
    iteratorGuard.set(guarded, s);
    return [...pre, guarded];
  }

  private forOfStatement(s: ts.ForOfStatement, labels: ts.Identifier[]): ts.Statement[] {
    if (s.awaitModifier) return this.forAwaitStatement(s, labels);
    const r = this.spiller.spill(s.expression);
    const pre = [...r.pre];
    if (!containsSuspension(s.statement) && !containsSuspension(s.initializer)) {
      return [...pre, relabel(f.updateForOfStatement(s, s.awaitModifier, s.initializer, r.expr, s.statement), labels)];
    }
    const iter = this.spiller.tempFor(runtimeCall("iterate", [r.expr]), "iter", pre);
    const loop = this.stepLoop(s, runtimeCall("step", [iter]), "value", labels);
    const caught = this.names.temp("caught");
    const guarded = f.createTryStatement(
      block([loop]),
      f.createCatchClause(caught, block([stmt(runtimeCall("closeIteratorAfterThrow", [iter])), f.createThrowStatement(id(caught))])),
      block([stmt(runtimeCall("closeIterator", [iter]))]),
    );
    iteratorGuard.set(guarded, s);
    return [...pre, guarded];
  }

  private forInStatement(s: ts.ForInStatement, labels: ts.Identifier[]): ts.Statement[] {
    const r = this.spiller.spill(s.expression);
    const pre = [...r.pre];
    if (!containsSuspension(s.statement) && !containsSuspension(s.initializer)) {
      return [...pre, relabel(f.updateForInStatement(s, s.initializer, r.expr, s.statement), labels)];
    }
    const keys = this.spiller.tempFor(runtimeCall("forInKeys", [r.expr]), "keys", pre);
    return [...pre, this.stepLoop(s, runtimeCall("nextKey", [keys]), "key", labels)];
  }

  /**
   * The loop of a for-of/for-in taken one step at a time:
   *   for (;;) { const $value1 = STEP; if ($value1 === $rt.ITERATION_DONE) break; const x = $value1; BODY }
   */
  private stepLoop(s: ts.ForOfStatement | ts.ForInStatement, stepCall: ts.Expression, role: "value" | "key", labels: ts.Identifier[]): ts.Statement {
    const value = this.names.temp(role);
    const loopBody = [
      declare("const", value, stepCall),
      f.createIfStatement(f.createBinaryExpression(id(value), ts.SyntaxKind.EqualsEqualsEqualsToken, runtimeMember("ITERATION_DONE")), f.createBreakStatement()),
      ...this.bindLoopValue(s.initializer, id(value)),
      this.body(s.statement),
    ];
    const forever = f.createForStatement(undefined, undefined, undefined, block(loopBody));
    loopOrigin.set(forever, s);
    return relabel(forever, labels);
  }

  /** The head of a for-of/for-in as a statement in the body: `const x = $value1;` or `o.x = $value1;`. */
  private bindLoopValue(init: ts.ForInitializer, value: ts.Expression): ts.Statement[] {
    if (ts.isVariableDeclarationList(init)) {
      const d = init.declarations[0]!;
      const decl = f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(d.name, undefined, d.type, value)], init.flags));
      return this.statement(decl);
    }
    return this.statement(stmt(assign(init, value)));
  }
}

/** Must a suspending `let`/`const` for-head be evaluated in a scope of its own (`lexicalForHead`)? */
function needsOwnScope(init: ts.VariableDeclarationList): boolean {
  const declared = new Set(init.declarations.flatMap((d) => bindingNames(d.name).map((n) => n.text)));
  return init.declarations.some((d) => (!ts.isIdentifier(d.name) && containsSuspension(d.name)) || (d.initializer !== undefined && containsSuspension(d.initializer) && [...identifiersIn(d.initializer)].some((n) => declared.has(n))));
}

function isLoop(s: ts.Statement): boolean {
  return ts.isWhileStatement(s) || ts.isDoStatement(s) || ts.isForStatement(s) || ts.isForOfStatement(s) || ts.isForInStatement(s);
}

function relabel(s: ts.Statement, labels: readonly ts.Identifier[]): ts.Statement {
  return labels.reduceRight<ts.Statement>((inner, label) => f.createLabeledStatement(label, inner), s);
}

/** The identifiers a binding pattern declares. */
export function bindingNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: ts.Identifier[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingNames(el.name));
  return out;
}

function declareNames(kind: "let" | "var", names: ts.Identifier[]): ts.VariableStatement {
  const flags = kind === "let" ? ts.NodeFlags.Let : ts.NodeFlags.None;
  return f.createVariableStatement(undefined, f.createVariableDeclarationList(names.map((n) => f.createVariableDeclaration(n.text)), flags));
}

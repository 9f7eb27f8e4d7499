/**
 * Build IR: walks a normalized body and emits the instruction set of ir.ts, keeping a region stack
 * (loops, labels, switch, try/catch/finally) so that `break`, `continue` and `return` find their
 * targets — through every `finally` on the way — and exceptions find their handlers.
 *
 * Statements without a suspension are emitted whole (`stmt`); a `break`, `continue` or `return`
 * inside one that leaves it for a lowered construct is replaced by the jump it means (`inline`).
 *
 *   [source]   while (await more()) { if (done) break; }
 *   [IR]       label 1 (loop head)   suspend more() → 2   label 2   resume $awaited1
 *              jumpIf !$awaited1 → 3   stmt if (done) «jump 3»   jump 1   label 3 (after loop)
 */
import ts from "typescript";
import type { Binding, BindingInfo, Scope } from "../analyze/bindings.js";
import { containsSuspension, isFunctionBoundary, isSuspensionExpression, type SuspensionExpression } from "../analyze/suspension.js";
import { MACHINE, type NameAuthority } from "../names.js";
import { f, runtimeMember as runtimeMemberOf, skipOuter } from "../normalize/factory.js";
import { plainContext } from "./visit.js";
import { awaitDescriptions, iteratorGuard, loopOrigin } from "../normalize/statements.js";
import { functionBodyBlocks } from "../normalize/parameterScope.js";
import type { Completion, Handler, Instr, Label, LabelInfo, TryRecord } from "./ir.js";

type Region =
  | { kind: "breakable"; labels: string[]; breakLabel: Label; continueLabel?: Label }
  | {
      kind: "try";
      id: number;
      part: "try" | "catch" | "finally";
      catchLabel?: Label;
      finallyLabel?: Label;
      /** Targets of jumps that pass through this finally, with the route onwards from it. */
      jumpTargets: Set<Label>;
      returnsThrough: boolean;
    };

export interface BuiltBody {
  instrs: Instr[];
  labels: LabelInfo[];
  tries: TryRecord[];
  awaitCount: number;
}

/** Markers standing for jumps inside statements kept whole; the emitter expands them. */
export const jumpMarkers = new WeakMap<ts.Node, Instr[]>();

/** Expressions the builder wrote in terms of the machine itself (`this.$completion1.value`): not user code to rewrite. */
export const machineExpressions = new WeakSet<ts.Node>();

/** `$rt.NAME`: machinery, never rewritten as user code. */
function runtimeMember(name: string): ts.Expression {
  const e = runtimeMemberOf(name);
  machineExpressions.add(e);
  return e;
}

export class Builder {
  private readonly instrs: Instr[] = [];
  private readonly labels: LabelInfo[] = [];
  private readonly regions: Region[] = [];
  private readonly tries: TryRecord[] = [];
  private awaitCount = 0;
  private yieldCount = 0;
  private line = 1;

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly bindings: BindingInfo,
    private readonly names: NameAuthority,
    private readonly describe: (node: ts.Node) => string,
    /** Bindings that start in their temporal dead zone (analyze/tdz.ts). */
    private readonly deadZone: ReadonlySet<Binding> = new Set(),
    /** A generator's `resume(how, sent)` parameters, as the resume states read them. */
    private readonly resumeNames: { how: string; sent: string } = { how: "how", sent: "sent" },
    /**
     * A generator's or async generator's body: the function around performs every suspension
     * (runtime coroutine.ts), `return` included, and resumes the machine with the outcome.
     */
    private readonly coroutine = false,
    /**
     * Future mode: the name of poll's context parameter. Each await's resume state then starts
     * with the drop check (`if (cx === $rt.DROPPING)`, see runtime machine.ts `drop`).
     */
    private readonly dropContext: string | undefined = undefined,
  ) {}

  build(body: readonly ts.Statement[], startLine: number): BuiltBody {
    this.line = startLine;
    const start = this.newLabel("start", startLine);
    this.mark(start);
    this.enterScope(this.bindings.functionScope, body);
    const argumentsVar = this.bindings.argumentsVar;
    if (argumentsVar) {
      // [source] var arguments;   [lowered] this.arguments = this.$arguments;
      const name = f.createIdentifier("arguments");
      this.bindings.refs.set(name, argumentsVar);
      const value = f.createPropertyAccessExpression(f.createThis(), MACHINE.argumentsObject);
      machineExpressions.add(value);
      this.emit({ op: "stmt", node: f.createExpressionStatement(f.createAssignment(name, value)) });
    }
    this.statements(body);
    this.emit({ op: "return", value: undefined });
    return { instrs: this.instrs, labels: this.labels, tries: this.tries, awaitCount: this.awaitCount };
  }

  // ---------------------------------------------------------------------------------------------

  private emit(i: Instr): void {
    this.instrs.push(i);
  }

  private newLabel(what: string, line = this.line, resume = false): Label {
    const id = this.labels.length;
    this.labels.push({ id, what, line, resume, handlers: [] });
    return id;
  }

  private mark(label: Label): void {
    this.labels[label]!.handlers = this.handlers();
    if (this.coroutine) this.labels[label]!.leftByThrow = this.finallyPartsBeforeHandler();
    this.emit({ op: "label", label });
  }

  private handlers(): Handler[] {
    const out: Handler[] = [];
    for (let i = this.regions.length - 1; i >= 0; i--) {
      const r = this.regions[i]!;
      if (r.kind !== "try") continue;
      if (r.part === "try" && r.catchLabel !== undefined) out.push({ kind: "catch", tryId: r.id, target: r.catchLabel });
      else if (r.part !== "finally" && r.finallyLabel !== undefined) out.push({ kind: "finally", tryId: r.id, target: r.finallyLabel });
    }
    return out;
  }

  /** The finally blocks (their tries) an exception thrown here leaves before it reaches a handler, if it reaches one. */
  private finallyPartsBeforeHandler(): number[] {
    const out: number[] = [];
    for (let i = this.regions.length - 1; i >= 0; i--) {
      const r = this.regions[i]!;
      if (r.kind !== "try") continue;
      if (r.part === "finally") out.push(r.id);
      else if ((r.part === "try" && r.catchLabel !== undefined) || r.finallyLabel !== undefined) return out;
    }
    return [];
  }

  private lineOf(node: ts.Node): number {
    let n: ts.Node | undefined = node;
    while (n && n.pos < 0) n = (n as { original?: ts.Node }).original;
    if (!n) return this.line;
    return this.sourceFile.getLineAndCharacterOfPosition(n.getStart(this.sourceFile)).line + 1;
  }

  // ---------------------------------------------------------------------------------------------
  // Statements

  private statements(list: readonly ts.Statement[]): void {
    for (const s of list) this.statement(s);
  }

  private statement(s: ts.Statement, labels: string[] = []): void {
    this.line = this.lineOf(s);
    if (ts.isFunctionDeclaration(s)) return; // hoisted by enterScope
    // The body's own scope below the parameters' (normalize/parameterScope.ts) is entered even when
    // nothing in it suspends: its captured vars need their environment (fixture hygiene/params-var-scope).
    const ownBody = ts.isBlock(s) && functionBodyBlocks.has(s);
    if (!containsSuspension(s) && !ownBody) return this.verbatim(s);
    if (ts.isLabeledStatement(s)) return this.statement(s.statement, [...labels, s.label.text]);
    if (ts.isExpressionStatement(s)) {
      const e = skipOuter(s.expression);
      if (isSuspensionExpression(e)) return this.suspension(e, undefined);
      if (ts.isBinaryExpression(e) && isSuspensionExpression(skipOuter(e.right))) return this.suspension(skipOuter(e.right) as SuspensionExpression, skipOuter(e.left) as ts.Identifier);
    }
    if (ts.isVariableStatement(s)) {
      const d = s.declarationList.declarations[0]!;
      return this.suspension(skipOuter(d.initializer!) as SuspensionExpression, d.name as ts.Identifier);
    }
    if (ts.isReturnStatement(s) && this.coroutine) return this.returnStatement(s);
    if (ts.isBlock(s)) return this.block(s, labels);
    if (ts.isIfStatement(s)) return this.ifStatement(s, labels);
    if (ts.isWhileStatement(s)) return this.whileStatement(s, labels);
    if (ts.isDoStatement(s)) return this.doStatement(s, labels);
    if (ts.isForStatement(s)) return this.forStatement(s, labels);
    if (ts.isSwitchStatement(s)) return this.switchStatement(s, labels);
    if (ts.isTryStatement(s)) return this.tryStatement(s, labels);
    throw new Error(`internal: unexpected ${ts.SyntaxKind[s.kind]} with a suspension after normalization`);
  }

  /** The places a machine suspends: `[x =] await OPERAND`, `[x =] yield OPERAND`, `[x =] yield* OPERAND`. */
  private suspension(e: SuspensionExpression, target: ts.Identifier | undefined): void {
    if (this.coroutine && (ts.isAwaitExpression(e) || e.asteriskToken)) return this.performed(e, target);
    if (ts.isAwaitExpression(e)) return this.await(e, target);
    return this.yield(e, target);
  }

  private await(e: ts.AwaitExpression, target: ts.Identifier | undefined): void {
    const index = ++this.awaitCount;
    const made = awaitDescriptions.get(e);
    const what = made ? `${made.what} \`${this.describe(made.of)}\`` : `\`${this.describe(e.expression)}\``;
    const resume = this.newLabel(`resume after await #${index} ${what}`, this.line, true);
    this.emit({ op: "suspend", kind: "await", operand: e.expression, resume, index });
    this.mark(resume);
    if (this.dropContext !== undefined) {
      // Future mode: `drop()` polls with $rt.DROPPING; the machine leaves from here as a `return`
      // would, through the finally blocks around this await, and does not poll its awaitee.
      const dropping = f.createBinaryExpression(f.createIdentifier(this.dropContext), ts.SyntaxKind.EqualsEqualsEqualsToken, runtimeMember("DROPPING"));
      this.emit({ op: "stmt", node: f.createIfStatement(dropping, this.marker(this.routeReturn(this.regions.length, undefined))) });
    }
    this.emit({ op: "resume", kind: "await", target });
  }

  /**
   * `[x =] yield OPERAND`: hand out the value. Resumed by `next(v)`, x is v; by `throw(e)`, the
   * yield throws e; by `return(v)`, it returns v through the finally blocks around it.
   */
  private yield(e: ts.YieldExpression, target: ts.Identifier | undefined): void {
    const index = ++this.yieldCount;
    const resume = this.newLabel(`resume after yield #${index}${e.expression ? ` \`${this.describe(e.expression)}\`` : ""}`, this.line, true);
    this.emit({ op: "suspend", kind: "yield", operand: e.expression, resume, index });
    this.mark(resume);
    this.emit({ op: "resume", kind: "yield" });
    const sent = f.createIdentifier(this.resumeNames.sent);
    const isReturn = f.createBinaryExpression(f.createIdentifier(this.resumeNames.how), ts.SyntaxKind.EqualsEqualsEqualsToken, runtimeMember("RETURN"));
    this.emit({ op: "stmt", node: f.createIfStatement(isReturn, this.marker(this.routeReturn(this.regions.length, sent))) });
    if (target) this.emit({ op: "stmt", node: f.createExpressionStatement(f.createAssignment(target, f.createIdentifier(this.resumeNames.sent))) });
  }

  /**
   * A generator's `yield*` and an async generator's `await` (and `yield`, below): the function around
   * performs them with the engine's own syntax, and resumes the machine with the outcome.
   */
  private performed(e: SuspensionExpression, target: ts.Identifier | undefined): void {
    const isAwait = ts.isAwaitExpression(e);
    const index = isAwait ? ++this.awaitCount : ++this.yieldCount;
    const made = isAwait ? awaitDescriptions.get(e) : undefined;
    const what = made ? `${made.what} \`${this.describe(made.of)}\`` : `\`${this.describe(e.expression!)}\``;
    const resume = this.newLabel(`resume after ${isAwait ? "await" : "yield*"} #${index} ${what}`, this.line, true);
    this.emit({ op: "suspend", kind: isAwait ? "await" : "yieldStar", operand: e.expression, resume, index });
    this.mark(resume);
    this.emit({ op: "resume", kind: "yield" });
    if (!isAwait) {
      // A return(v) that the inner iterator completes (or cannot take) returns from the generator.
      const isReturn = f.createBinaryExpression(f.createIdentifier(this.resumeNames.how), ts.SyntaxKind.EqualsEqualsEqualsToken, runtimeMember("RETURN"));
      this.emit({ op: "stmt", node: f.createIfStatement(isReturn, this.marker(this.routeReturn(this.regions.length, f.createIdentifier(this.resumeNames.sent)))) });
    }
    if (target) this.emit({ op: "stmt", node: f.createExpressionStatement(f.createAssignment(target, f.createIdentifier(this.resumeNames.sent))) });
  }

  /**
   * A generator's `return [v]`: the function around returns (an async generator's awaits v,
   * natively); when the engine has taken the return, the machine runs the finally blocks on its way
   * out. If the await of v throws, the `return` throws.
   */
  private returnStatement(s: ts.ReturnStatement): void {
    const resume = this.newLabel(`after return${s.expression ? ` \`${this.describe(s.expression)}\`` : ""}: leave through the finally blocks`, this.line, true);
    this.emit({ op: "suspend", kind: "return", operand: s.expression, resume, index: 0 });
    this.mark(resume);
    this.emit({ op: "resume", kind: "yield" });
    this.emitAll(this.routeReturn(this.regions.length, f.createIdentifier(this.resumeNames.sent)));
  }

  private withBreakLabel(labels: string[], body: () => void): void {
    if (labels.length === 0) return body();
    const exit = this.newLabel(`after ${labels.join(", ")}:`);
    this.regions.push({ kind: "breakable", labels, breakLabel: exit });
    body();
    this.regions.pop();
    this.mark(exit);
  }

  private block(s: ts.Block, labels: string[]): void {
    // A block without a suspension (a try block whose finally awaits) that declares something stays
    // one statement, so that its declarations keep their scope (fixtures/fuzz/strict-async-closure-in-try-finally).
    if (labels.length === 0 && !containsSuspension(s) && declaresLexically(s) && !functionBodyBlocks.has(s)) return this.verbatim(s);
    this.withBreakLabel(labels, () => {
      const scope = this.bindings.scopeOf.get(s);
      if (scope) this.enterScope(scope, s.statements);
      this.statements(s.statements);
    });
  }

  private ifStatement(s: ts.IfStatement, labels: string[]): void {
    this.withBreakLabel(labels, () => {
      const end = this.newLabel("after if");
      const otherwise = s.elseStatement ? this.newLabel("else") : end;
      this.emit({ op: "jumpIf", cond: s.expression, whenTrue: false, target: otherwise });
      this.statement(s.thenStatement);
      if (s.elseStatement) {
        this.emit({ op: "jump", target: end });
        this.mark(otherwise);
        this.statement(s.elseStatement);
      }
      this.mark(end);
    });
  }

  private loop(labels: string[], breakLabel: Label, continueLabel: Label, body: () => void): void {
    this.regions.push({ kind: "breakable", labels, breakLabel, continueLabel });
    body();
    this.regions.pop();
  }

  private whileStatement(s: ts.WhileStatement, labels: string[]): void {
    const head = this.newLabel(`loop head: while (${this.describe(s.expression)})`);
    const exit = this.newLabel("after while");
    this.mark(head);
    if (s.expression.kind !== ts.SyntaxKind.TrueKeyword) this.emit({ op: "jumpIf", cond: s.expression, whenTrue: false, target: exit });
    this.loop(labels, exit, head, () => this.statement(s.statement));
    this.emit({ op: "jump", target: head });
    this.mark(exit);
  }

  private doStatement(s: ts.DoStatement, labels: string[]): void {
    const body = this.newLabel("loop body: do");
    const cond = this.newLabel(`loop condition: while (${this.describe(s.expression)})`);
    const exit = this.newLabel("after do");
    this.mark(body);
    this.loop(labels, exit, cond, () => this.statement(s.statement));
    this.mark(cond);
    this.emit({ op: "jumpIf", cond: s.expression, whenTrue: true, target: body });
    this.mark(exit);
  }

  private forStatement(s: ts.ForStatement, labels: string[]): void {
    const scope = this.bindings.scopeOf.get(s);
    if (scope) this.enterScope(scope, []);
    if (s.initializer) {
      this.verbatim(ts.isVariableDeclarationList(s.initializer) ? f.createVariableStatement(undefined, s.initializer) : f.createExpressionStatement(s.initializer));
    }
    // The spec copies per-iteration bindings before the first iteration too: a closure made in the
    // initialiser keeps the original (fixture closures/for-let-init-closure).
    if (scope && hasCaptured(scope)) this.emit({ op: "enterScope", scope, hoisted: [], copyFrom: true });
    const headText = this.loopHead(s);
    const head = this.newLabel(`loop head: ${headText}`);
    const cont = this.newLabel(`next iteration: ${headText}`);
    const exit = this.newLabel(`after ${headText}`);
    this.mark(head);
    if (s.condition) this.emit({ op: "jumpIf", cond: s.condition, whenTrue: false, target: exit });
    this.loop(labels, exit, cont, () => this.statement(s.statement));
    this.mark(cont);
    if (scope && hasCaptured(scope)) this.emit({ op: "enterScope", scope, hoisted: [], copyFrom: true });
    if (s.incrementor) this.verbatim(f.createExpressionStatement(s.incrementor));
    this.emit({ op: "jump", target: head });
    this.mark(exit);
  }

  /** How a loop's head reads in the source: `for (const id of ids)`, not the normalized `for (;;)`. */
  private loopHead(s: ts.ForStatement): string {
    const origin = loopOrigin.get(s);
    if (origin && (ts.isForOfStatement(origin) || ts.isForInStatement(origin))) {
      const init = ts.isVariableDeclarationList(origin.initializer)
        ? `${origin.initializer.flags & ts.NodeFlags.Const ? "const" : origin.initializer.flags & ts.NodeFlags.Let ? "let" : "var"} ${this.describe(origin.initializer.declarations[0]!.name)}`
        : this.describe(origin.initializer);
      return `for${ts.isForOfStatement(origin) && origin.awaitModifier ? " await" : ""} (${init} ${ts.isForOfStatement(origin) ? "of" : "in"} ${this.describe(origin.expression)})`;
    }
    if (origin && ts.isWhileStatement(origin)) return `while (${this.describe(origin.expression)})`;
    if (origin && ts.isDoStatement(origin)) return `do … while (${this.describe(origin.expression)})`;
    if (origin && ts.isForStatement(origin)) return `for (…; ${origin.condition ? this.describe(origin.condition) : ""}; …)`;
    return s.condition ? `for (…; ${this.describe(s.condition)}; …)` : "for (;;)";
  }

  private switchStatement(s: ts.SwitchStatement, labels: string[]): void {
    const exit = this.newLabel("after switch");
    const clauseLabels = s.caseBlock.clauses.map((c) =>
      this.newLabel(ts.isCaseClause(c) ? `case ${this.describe(c.expression)}:` : "default:", this.lineOf(c)),
    );
    const discriminant = s.expression;
    // The case block's scope exists before any clause runs: a jump to a later clause skips the
    // declarations of earlier ones, which stay in their dead zone.
    const scope = this.bindings.scopeOf.get(s.caseBlock);
    if (scope) this.enterScope(scope, s.caseBlock.clauses.flatMap((cl) => cl.statements));
    s.caseBlock.clauses.forEach((c, i) => {
      if (ts.isCaseClause(c)) {
        this.emit({ op: "jumpIf", cond: f.createBinaryExpression(discriminant, ts.SyntaxKind.EqualsEqualsEqualsToken, c.expression), whenTrue: true, target: clauseLabels[i]! });
      }
    });
    const defaultIndex = s.caseBlock.clauses.findIndex((c) => ts.isDefaultClause(c));
    this.emit({ op: "jump", target: defaultIndex >= 0 ? clauseLabels[defaultIndex]! : exit });
    const region: Region = { kind: "breakable", labels, breakLabel: exit };
    this.switchRegions.add(region);
    this.regions.push(region);
    s.caseBlock.clauses.forEach((c, i) => {
      this.mark(clauseLabels[i]!);
      this.statements(c.statements);
    });
    this.regions.pop();
    this.mark(exit);
  }

  /**
   * try/catch/finally whose parts await. Exceptions reach the catch (or finally) through the try
   * table (a label's `handlers`); leaving the try or catch part in any way first runs the finally,
   * which then carries on with the recorded completion.
   */
  private tryStatement(s: ts.TryStatement, labels: string[]): void {
    this.withBreakLabel(labels, () => {
      const id = this.tries.length;
      const completionField = s.finallyBlock ? this.names.temp("completion") : undefined;
      this.tries.push({ id, completionField });
      const tryLine = this.line;
      // The try a for-of got so that its iterator is closed when the loop is left early.
      const guarded = iteratorGuard.get(s);
      const catchText = guarded ? "the loop threw: close the iterator, throw on" : `catch${s.catchClause?.variableDeclaration ? ` (${this.describe(s.catchClause.variableDeclaration.name)})` : ""}`;
      const catchLabel = s.catchClause ? this.newLabel(catchText, this.lineOf(s.catchClause)) : undefined;
      const finallyLabel = s.finallyBlock ? this.newLabel(guarded ? "leaving the loop: close the iterator unless it is done" : "finally", this.lineOf(s.finallyBlock)) : undefined;
      const end = this.newLabel(guarded ? "after the loop and its iterator" : "after try");
      const region: Region & { kind: "try" } = { kind: "try", id, part: "try", catchLabel, finallyLabel, jumpTargets: new Set(), returnsThrough: false };
      this.regions.push(region);
      const start = this.newLabel(guarded ? `${ts.isForOfStatement(guarded) && guarded.awaitModifier ? "for await" : "for-of"}: guard the iterator` : "try");
      this.mark(start);
      this.block(s.tryBlock, []);
      const leave = (): void => {
        if (finallyLabel !== undefined) {
          this.emit({ op: "complete", tryId: id, completion: { type: "normal" } });
          this.emit({ op: "jump", target: finallyLabel });
        } else this.emit({ op: "jump", target: end });
      };
      leave();
      if (s.catchClause && catchLabel !== undefined) {
        region.part = "catch";
        this.mark(catchLabel);
        const scope = this.bindings.scopeOf.get(s.catchClause);
        if (scope) this.enterScope(scope, []);
        this.emit({ op: "catchBind", name: s.catchClause.variableDeclaration?.name });
        this.block(s.catchClause.block, []);
        leave();
      }
      if (s.finallyBlock && finallyLabel !== undefined) {
        region.part = "finally";
        this.mark(finallyLabel);
        this.block(s.finallyBlock, []);
        this.regions.pop();
        const depth = this.regions.length;
        const valueOf = f.createPropertyAccessExpression(f.createPropertyAccessExpression(f.createThis(), completionField!), "value");
        machineExpressions.add(valueOf);
        const returnRoute = region.returnsThrough ? this.routeReturn(depth, valueOf) : [];
        const jumpRoutes = new Map<Label, Instr[]>();
        for (const target of region.jumpTargets) jumpRoutes.set(target, this.routeJump(depth, this.depthOfTarget(target), target));
        this.emit({ op: "endFinally", tryId: id, next: end, returnRoute, jumpRoutes });
      } else {
        this.regions.pop();
      }
      this.mark(end);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Jumps, returns and the finally blocks on their way

  /** Where each jump target lives in the region stack (its breakable region's depth). */
  private readonly targetDepth = new Map<Label, number>();

  private depthOfTarget(target: Label): number {
    return this.targetDepth.get(target) ?? 0;
  }

  /** Route a jump from region depth `from` to `target`, which belongs to the region at depth `to`. */
  private routeJump(from: number, to: number, target: Label): Instr[] {
    this.targetDepth.set(target, to);
    const left: number[] = [];
    for (let i = from - 1; i >= to; i--) {
      const r = this.regions[i]!;
      if (r.kind === "try" && r.part === "finally") left.push(r.id);
      if (r.kind === "try" && r.part !== "finally" && r.finallyLabel !== undefined) {
        r.jumpTargets.add(target);
        const completion: Completion = { type: "jump", target };
        return [{ op: "complete", tryId: r.id, completion }, ...this.dropTaken(left, r.finallyLabel), { op: "jump", target: r.finallyLabel }];
      }
    }
    return [...this.dropTaken(left, target), { op: "jump", target }];
  }

  /**
   * A jump out of finally blocks of a generator: any of them may be running for a return the
   * engine has taken, which the engine must then drop too (runtime DROP_RETURN).
   */
  private dropTaken(finallyParts: number[], target: Label): Instr[] {
    if (!this.coroutine || finallyParts.length === 0) return [];
    // The machine stops there and is resumed at the target: a poll starts there, as after a suspension.
    this.labels[target]!.resume = true;
    return [{ op: "dropTaken", tryIds: finallyParts, target }];
  }

  private routeReturn(from: number, value: ts.Expression | undefined): Instr[] {
    const left: number[] = [];
    for (let i = from - 1; i >= 0; i--) {
      const r = this.regions[i]!;
      if (r.kind === "try" && r.part === "finally") left.push(r.id);
      if (r.kind === "try" && r.part !== "finally" && r.finallyLabel !== undefined) {
        r.returnsThrough = true;
        return [{ op: "complete", tryId: r.id, completion: { type: "return", value: this.replacingTaken(value, left) } }, { op: "jump", target: r.finallyLabel }];
      }
    }
    // Out of every try: the machine is done, and which taken return stands no longer matters.
    return [{ op: "return", value }];
  }

  /**
   * A generator's return leaving finally blocks that may be running for returns the
   * engine has taken: it replaces them (runtime outermostTaken).
   */
  private replacingTaken(value: ts.Expression | undefined, finallyParts: number[]): ts.Expression | undefined {
    if (!this.coroutine || finallyParts.length === 0) return value;
    const fields = finallyParts.map((t) => {
      const e = f.createPropertyAccessExpression(f.createThis(), this.tries[t]!.completionField!);
      machineExpressions.add(e);
      return e;
    });
    const call = f.createCallExpression(runtimeMember("outermostTaken"), undefined, [value ?? f.createVoidZero(), ...fields]);
    machineExpressions.add(call);
    return call;
  }

  /** The region (and its depth) a `break`/`continue` refers to. */
  private findTarget(kind: "break" | "continue", label: string | undefined): { depth: number; target: Label } {
    for (let i = this.regions.length - 1; i >= 0; i--) {
      const r = this.regions[i]!;
      if (r.kind !== "breakable") continue;
      if (label !== undefined ? r.labels.includes(label) : kind === "break" || r.continueLabel !== undefined) {
        if (label === undefined && kind === "break" && r.continueLabel === undefined && r.labels.length > 0 && !this.isSwitchRegion(r)) continue;
        const target = kind === "break" ? r.breakLabel : r.continueLabel;
        if (target === undefined) throw new Error(`internal: continue to a non-loop label ${label}`);
        return { depth: i, target };
      }
    }
    throw new Error(`internal: no target for ${kind}${label ? " " + label : ""}`);
  }

  private readonly switchRegions = new WeakSet<Region>();
  private isSwitchRegion(r: Region): boolean {
    return this.switchRegions.has(r);
  }

  /**
   * A statement without a suspension, emitted whole. Any `break`/`continue`/`return` in it that
   * leaves it becomes a marker for the jump it means.
   */
  private verbatim(s: ts.Statement): void {
    if (ts.isReturnStatement(s)) return this.emitAll(this.routeReturn(this.regions.length, s.expression));
    if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) {
      const t = this.findTarget(ts.isBreakStatement(s) ? "break" : "continue", s.label?.text);
      return this.emitAll(this.routeJump(this.regions.length, t.depth + 1, t.target));
    }
    this.emit({ op: "stmt", node: this.rewriteEscapes(s) });
  }

  private emitAll(instrs: Instr[]): void {
    for (const i of instrs) this.emit(i);
  }

  private rewriteEscapes(s: ts.Statement): ts.Statement {
    const innerLabels: string[] = [];
    let loops = 0;
    let switches = 0;
    const visit = (node: ts.Node): ts.Node => {
      if (isFunctionBoundary(node) || ts.isClassLike(node)) return node;
      if (ts.isReturnStatement(node)) return this.marker(this.routeReturn(this.regions.length, node.expression));
      if (ts.isBreakStatement(node) || ts.isContinueStatement(node)) {
        const isBreak = ts.isBreakStatement(node);
        const escapes = node.label ? !innerLabels.includes(node.label.text) : isBreak ? loops + switches === 0 : loops === 0;
        if (!escapes) return node;
        const t = this.findTarget(isBreak ? "break" : "continue", node.label?.text);
        return this.marker(this.routeJump(this.regions.length, t.depth + 1, t.target));
      }
      if (ts.isLabeledStatement(node)) {
        innerLabels.push(node.label.text);
        const r = ts.visitEachChild(node, visit, plainContext);
        innerLabels.pop();
        return r;
      }
      const isLoopNode = ts.isIterationStatement(node, false);
      if (isLoopNode) loops++;
      if (ts.isSwitchStatement(node)) switches++;
      const r = ts.visitEachChild(node, visit, plainContext);
      if (isLoopNode) loops--;
      if (ts.isSwitchStatement(node)) switches--;
      return r;
    };
    return visit(s) as ts.Statement;
  }

  private marker(instrs: Instr[]): ts.Statement {
    const m = f.createEmptyStatement();
    jumpMarkers.set(m, instrs);
    return m;
  }

  // ---------------------------------------------------------------------------------------------

  /** Entering a scope of the machine: its environment (if captured) and its hoisted functions. */
  private enterScope(scope: Scope, statements: readonly ts.Statement[]): void {
    const hoisted = statements.filter((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.body !== undefined);
    const startsDead = [...scope.bindings.values()].some((b) => this.deadZone.has(b));
    if (hoisted.length === 0 && !hasCaptured(scope) && !startsDead) return;
    this.emit({ op: "enterScope", scope, hoisted });
  }
}

/** Does the block declare anything of its own (`let`, `const`, `class`, a function)? */
function declaresLexically(b: ts.Block): boolean {
  return b.statements.some((st) => ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st) || (ts.isVariableStatement(st) && (st.declarationList.flags & ts.NodeFlags.BlockScoped) !== 0));
}

export function hasCaptured(scope: Scope): boolean {
  for (const b of scope.bindings.values()) if (b.captured && b.machineLevel) return true;
  return false;
}

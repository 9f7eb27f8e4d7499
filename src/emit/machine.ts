/**
 * Emit: the machine class, its `poll`, and the wrapper that replaces the async function.
 *
 *   [source]   async function total(ids) { ... }
 *   [lowered]  function total(ids) { return $rt.promise(new total$Future(ids)); }
 *              class total$Future extends $rt.StateMachine { static $layout = ...; poll(cx) { ... } }
 *
 * Each state is a `case` that says what it is; the catch block of `poll` is the try table, one
 * `case` per group of states that share a handler.
 */
import ts from "typescript";
import type { Binding, BindingInfo } from "../analyze/bindings.js";
import { isFunctionBoundary } from "../analyze/suspension.js";
import { jumpMarkers, machineExpressions } from "../ir/build.js";
import type { Instr, Label, TryRecord } from "../ir/ir.js";
import type { Mode } from "../api.js";
import type { SplitBody, State } from "../ir/split.js";
import { plainContext } from "../ir/visit.js";
import { forEachBindingName, type Home, type Layout } from "../layout/liveness.js";
import { constructorParameterNames, MACHINE } from "../names.js";
import { assign, block, f, id, runtimeCall, runtimeMember, runtimeName, skipOuter, stmt } from "../normalize/factory.js";
import { type CheckedBinding, checkedAssignment, checkedRead, checkedTarget, checkedUpdate, rewritePattern } from "./checkedWrites.js";

export interface MachineParts {
  className: string;
  displayName: string;
  fileName: string;
  line: number;
  info: BindingInfo;
  body: SplitBody;
  layout: Layout;
  tries: TryRecord[];
  /** The machine's parameters as the constructor receives them (simple params, or `$args`). */
  params: Binding[];
  /** Bindings of the function scope for captured params, initialised in the constructor. */
  resultType: ts.TypeNode | undefined;
  /**
   * The function was sloppy-mode code. Class bodies are always strict, so its `poll` is then
   * defined outside the class (`X.prototype.poll = function (cx) { ... }`) to keep sloppy semantics.
   */
  sloppy: boolean;
  /** The function scope's environment comes from the wrapper (mapped `arguments`), not the constructor. */
  envFromWrapper: boolean;
  /** `$this` holds a function that reads `this` (an arrow in a derived constructor, before super()). */
  lazyThis: boolean;
  /**
   * The own name of a named function expression: a read-only binding. Assigning to it is ignored
   * in sloppy mode and a TypeError in strict mode.
   */
  readOnly: Binding | undefined;
  /** Bindings that start in their temporal dead zone: marked on scope entry, checked when read. */
  deadZone: ReadonlySet<Binding>;
  /**
   * Scopes (blocks, case blocks) left as written whose block-level functions must not become vars
   * of a sloppy `poll` (Annex B): each is wrapped in a block declaring those names with `let`.
   */
  shielded: ReadonlyMap<ts.Node, readonly string[]>;
  /**
   * The names of poll's parameter and locals (`cx`, `$result`, `$error`, `$caught`), chosen so that
   * they hide no name the body reads from outside (a global `cx` stays reachable).
   */
  pollNames: PollNames;
  /**
   * An async function's machine (a Future with `poll(cx)`), or a generator's or async generator's
   * (a Coroutine with `resume(how, sent)`, answering what the function around must perform: runtime
   * coroutine.ts).
   */
  kind: "async" | "generator" | "asyncGenerator";
  /** Type parameters in scope at the function that its types use: the class declares them too. */
  typeParameters: readonly ts.TypeParameterDeclaration[];
  /** How an async function's `await` suspends: handed to the promise driver (`$rt.awaitNatively`), or polled as a future (`$rt.intoFuture` in `$awaitee`). */
  mode: Mode;
  /** Extra constructor inputs: `$this`, `$arguments`, `$super`, `$newTarget`. */
  extras: Array<{ field: string; type: ts.TypeNode }>;
}

export interface PollNames {
  context: string;
  result: string;
  error: string;
  caught: string;
  /** The state a jump chose, kept while a finally runs in the state it belongs to. */
  stateAfter: string;
  /** A generator's `resume(how, sent)` parameters. */
  how: string;
  sent: string;
  /** The label of poll's loop (`$poll`). */
  label: string;
}

const anyType = (): ts.TypeNode => f.createKeywordTypeNode(ts.SyntaxKind.AnyKeyword);
/** `this.name`: machinery, never rewritten as user code. */
const thisField = (name: string): ts.PropertyAccessExpression => {
  const e = f.createPropertyAccessExpression(f.createThis(), name);
  machineExpressions.add(e);
  return e;
};

export function emitMachineClass(m: MachineParts): { classDecl: ts.ClassDeclaration; sloppyPoll?: ts.Statement; stateRows: Array<{ id: number; label: string; line: number; resume: boolean; live: string[] }> } {
  const e = new MachineEmitter(m);
  return e.emit();
}

class MachineEmitter {
  private usesPollLabel = false;
  private usesCaught = false;

  constructor(private readonly m: MachineParts) {}

  private stateOf(l: Label): number {
    return this.m.body.stateOf.get(l)!;
  }

  private homeOf(b: Binding): Home {
    const h = this.m.layout.homes.get(b);
    if (!h) throw new Error(`internal: no home for ${b.name}`);
    return h;
  }

  /** Where a binding lives, as an expression. Inside closures, environments are the materialized consts. */
  private storage(b: Binding, inClosure: boolean, envsUsed?: Set<Binding>): ts.Expression {
    const h = this.homeOf(b);
    if (h.kind === "field") return thisField(h.name);
    if (h.kind === "local") return id(h.name);
    const envHome = this.homeOf(h.env);
    if (inClosure) {
      envsUsed?.add(h.env);
      return f.createPropertyAccessExpression(id(envHome.name), h.name);
    }
    return f.createPropertyAccessExpression(this.storage(h.env, false), h.name);
  }

  emit() {
    const m = this.m;
    const rows = m.body.states.map((s, i) => ({
      id: s.id,
      label: s.info.what,
      line: s.info.line,
      resume: s.info.resume,
      live: [...m.layout.liveIn[i]!].filter((b) => this.homeOf(b).kind === "field").map((b) => (this.homeOf(b) as { name: string }).name),
    }));
    const members: ts.ClassElement[] = [];
    members.push(
      f.createPropertyDeclaration(
        [f.createModifier(ts.SyntaxKind.StaticKeyword)],
        MACHINE.layout,
        undefined,
        undefined,
        layoutLiteral(m, rows, m.layout.fields.map((b) => this.homeOf(b) as { name: string }).map((h) => h.name)),
      ),
    );
    members.push(
      f.createPropertyDeclaration([f.createModifier(ts.SyntaxKind.StaticKeyword)], MACHINE.shape, undefined, undefined, runtimeCall("keepShape", [f.createThis()])),
      f.createPropertyDeclaration(undefined, MACHINE.state, undefined, undefined, f.createNumericLiteral(0)),
    );
    if (m.kind === "async" && m.mode === "future") members.push(f.createPropertyDeclaration(undefined, MACHINE.awaitee, undefined, f.createTypeReferenceNode(f.createQualifiedName(runtimeName(), "Awaitee")), f.createNull()));
    if (m.kind !== "async") members.push(f.createPropertyDeclaration(undefined, MACHINE.out, undefined, anyType(), f.createVoidZero()));
    for (const x of m.extras) members.push(f.createPropertyDeclaration(undefined, x.field, undefined, x.type, undefined));
    for (const b of m.layout.fields) {
      const h = this.homeOf(b) as { name: string };
      if (m.extras.some((x) => x.field === h.name)) continue; // declared with the constructor's inputs
      members.push(f.createPropertyDeclaration(undefined, h.name, f.createToken(ts.SyntaxKind.ExclamationToken), b.type ?? anyType(), undefined));
    }
    for (const t of m.tries) {
      if (t.completionField) members.push(f.createPropertyDeclaration(undefined, t.completionField, f.createToken(ts.SyntaxKind.ExclamationToken), anyType(), undefined));
    }
    members.push(this.constructorDecl());
    const poll = this.pollMethod();
    if (m.kind !== "async" && this.usesCaught) {
      const at = members.findIndex((x) => ts.isPropertyDeclaration(x) && ts.isIdentifier(x.name) && x.name.text === MACHINE.out);
      members.splice(at + 1, 0, f.createPropertyDeclaration(undefined, MACHINE.caughtCopy, undefined, anyType(), f.createVoidZero()));
    }
    let sloppyPoll: ts.Statement | undefined;
    if (m.sloppy) {
      const pollType = f.createFunctionTypeNode(undefined, poll.parameters, poll.type!);
      const method = m.kind === "async" ? MACHINE.poll : MACHINE.resume;
      const declared = f.createPropertyDeclaration([f.createModifier(ts.SyntaxKind.DeclareKeyword)], method, undefined, pollType, undefined);
      // TypeScript erases a `declare` field by the Ambient flag its parser sets, not by the modifier:
      // without the flag, a compile to JavaScript would emit `poll;` and shadow the prototype's poll.
      (declared as { flags: number }).flags |= (ts.NodeFlags as unknown as { Ambient: number }).Ambient;
      members.push(declared);
      // Named `poll` for stack traces, unless the body reads a `poll` from outside, which the name would hide.
      const fn = f.createFunctionExpression(undefined, undefined, m.info.free.has(method) ? undefined : method, undefined, [f.createParameterDeclaration(undefined, undefined, "this", undefined, f.createTypeReferenceNode(m.className, m.typeParameters.length ? m.typeParameters.map(() => anyType()) : undefined)), ...poll.parameters], poll.type, poll.body!);
      sloppyPoll = stmt(assign(f.createPropertyAccessExpression(f.createPropertyAccessExpression(id(m.className), "prototype"), method), fn));
      ts.addSyntheticLeadingComment(sloppyPoll, ts.SyntaxKind.SingleLineCommentTrivia, ` Sloppy-mode code: ${method} is defined outside the class body, which would make it strict.`, true);
    } else members.push(poll);
    const classDecl = f.createClassDeclaration(
      undefined,
      m.className,
      m.typeParameters.length ? m.typeParameters : undefined,
      [f.createHeritageClause(ts.SyntaxKind.ExtendsKeyword, [this.baseClass()])],
      members,
    );
    ts.addSyntheticLeadingComment(classDecl, ts.SyntaxKind.MultiLineCommentTrivia, legend(m, rows), true);
    return { classDecl, sloppyPoll, stateRows: rows };
  }

  private baseClass(): ts.ExpressionWithTypeArguments {
    const m = this.m;
    const base = (name: string, types: ts.TypeNode[] | undefined) => f.createExpressionWithTypeArguments(runtimeMember(name), types);
    if (m.kind === "async") return base("StateMachine", [m.resultType ?? anyType()]);
    return base("Coroutine", undefined);
  }

  private constructorDecl(): ts.ConstructorDeclaration {
    const m = this.m;
    const params: ts.ParameterDeclaration[] = [];
    const body: ts.Statement[] = [stmt(f.createCallExpression(f.createSuper(), undefined, []))];
    for (const x of m.extras) {
      params.push(f.createParameterDeclaration(undefined, undefined, x.field, undefined, x.type));
      body.push(stmt(assign(thisField(x.field), id(x.field))));
    }
    // A class body is strict code: `arguments`, `let`, a repeated name... are renamed here (names.ts).
    const inputNames = constructorParameterNames([...m.extras.map((x) => x.field), MACHINE.runtime], m.params.map((p) => p.name));
    /** The input a parameter's value comes from: the last of its name, as natively. */
    const inputOf = new Map<Binding, string>();
    m.params.forEach((p, i) => inputOf.set(p, inputNames[i]!));
    const fnEnv = m.layout.envOf.get(m.info.functionScope);
    if (fnEnv && !m.envFromWrapper) {
      // The function scope's environment holds its captured bindings; captured parameters start with their values.
      const slots = [...m.info.functionScope.bindings.values()].filter((b) => b.captured).map((b) =>
        f.createPropertyAssignment(b.name, b.kind === "param" ? id(inputOf.get(b) ?? b.name) : this.initialValue(b)),
      );
      body.push(stmt(assign(this.storage(fnEnv, false), f.createObjectLiteralExpression(slots, false))));
    }
    m.params.forEach((p, i) => {
      params.push(f.createParameterDeclaration(undefined, undefined, inputNames[i]!, undefined, p.type ?? anyType()));
      const h = m.layout.homes.get(p);
      if (h?.kind === "field") body.push(stmt(assign(thisField(h.name), id(inputNames[i]!))));
    });
    return f.createConstructorDeclaration(undefined, params, block(body));
  }

  private pollMethod(): ts.MethodDeclaration {
    const m = this.m;
    const cases: ts.CaseOrDefaultClause[] = m.body.states.map((s) => {
      const statements = this.stateCode(s);
      const first = statements[0];
      const comment = `${s.id}: ${s.info.what} (line ${s.info.line})`;
      const blk = block(statements);
      if (first) ts.addSyntheticLeadingComment(first, ts.SyntaxKind.SingleLineCommentTrivia, ` ${comment}`, true);
      return f.createCaseClause(f.createNumericLiteral(s.id), [blk]);
    });
    cases.push(f.createDefaultClause([f.createReturnStatement(f.createCallExpression(thisField(MACHINE.pollAfterEnd), undefined, []))]));
    const sw = f.createSwitchStatement(thisField(MACHINE.state), f.createCaseBlock(cases));
    const handler = this.tryTable();
    const tryStmt = f.createTryStatement(block([sw]), f.createCatchClause(this.m.pollNames.error, block(handler)), undefined);
    const loop: ts.Statement = f.createForStatement(undefined, undefined, undefined, block([tryStmt]));
    const decls: ts.Statement[] = [];
    const localNames = m.layout.locals.map((b) => (this.homeOf(b) as { name: string }).name);
    if (this.usesCaught && m.kind === "async") localNames.push(this.m.pollNames.caught);
    if (localNames.length) {
      decls.push(f.createVariableStatement(undefined, f.createVariableDeclarationList(localNames.map((n) => f.createVariableDeclaration(n, undefined, anyType())), ts.NodeFlags.Let)));
    }
    const body = [...decls, this.usesPollLabel ? f.createLabeledStatement(this.m.pollNames.label, loop) : loop];
    if (m.kind !== "async") {
      // resume(how, sent): how the generator is resumed (next, throw, return) and with what.
      return f.createMethodDeclaration(
        undefined,
        undefined,
        MACHINE.resume,
        undefined,
        undefined,
        [
          f.createParameterDeclaration(undefined, undefined, this.m.pollNames.how, undefined, f.createTypeReferenceNode(f.createQualifiedName(runtimeName(), "Resumption"))),
          f.createParameterDeclaration(undefined, undefined, this.m.pollNames.sent, undefined, anyType()),
        ],
        f.createTypeReferenceNode(f.createQualifiedName(runtimeName(), "Signal")),
        block(body),
      );
    }
    return f.createMethodDeclaration(
      undefined,
      undefined,
      MACHINE.poll,
      undefined,
      undefined,
      [f.createParameterDeclaration(undefined, undefined, this.m.pollNames.context, undefined, f.createTypeReferenceNode(f.createQualifiedName(runtimeName(), "Context")))],
      f.createTypeReferenceNode(f.createQualifiedName(runtimeName(), "Poll"), [m.resultType ?? anyType()]),
      block(body),
    );
  }

  /**
   * The exception on its way to a catch state: a local of poll, or in an async generator a field,
   * since the machine may stop on the way (to drop a taken return) and be resumed at the catch.
   */
  private caught(): ts.Expression {
    return this.m.kind !== "async" ? thisField(MACHINE.caughtCopy) : id(this.m.pollNames.caught);
  }

  /** `this.$dropsTaken(this.$completion2, this.$completion1)`: do these finally blocks run for taken returns? */
  private dropsTaken(tryIds: readonly number[]): ts.Expression {
    return f.createCallExpression(thisField(MACHINE.dropsTaken), undefined, tryIds.map((t) => thisField(this.m.tries[t]!.completionField!)));
  }

  /** The catch block of poll: where an exception thrown in each state goes. */
  private tryTable(): ts.Statement[] {
    const groups = new Map<string, { states: number[]; statements: ts.Statement[] }>();
    for (const s of this.m.body.states) {
      const h = s.handlers[0];
      if (!h) continue;
      // An async generator's exception that leaves finally blocks on its way to a handler of the
      // machine: they may run for returns the engine has taken, which it must drop too.
      const left = this.m.kind !== "async" ? (s.info.leftByThrow ?? []) : [];
      const key = `${h.kind}:${h.target}:${left.join(",")}`;
      let g = groups.get(key);
      if (!g) {
        const target = this.stateOf(h.target);
        const statements: ts.Statement[] =
          h.kind === "catch"
            ? [stmt(assign(this.caught(), id(this.m.pollNames.error)))]
            : [stmt(assign(thisField(this.m.tries[h.tryId]!.completionField!), completionLiteral("throw", id(this.m.pollNames.error))))];
        if (h.kind === "catch") this.usesCaught = true;
        statements.push(stmt(assign(thisField(MACHINE.state), f.createNumericLiteral(target))));
        if (left.length) {
          const drops = this.dropsTaken(left);
          statements.push(f.createIfStatement(drops, f.createReturnStatement(runtimeMember("DROP_RETURN"))));
        }
        statements.push(f.createContinueStatement());
        ts.addSyntheticLeadingComment(statements[0]!, ts.SyntaxKind.SingleLineCommentTrivia, ` thrown in a try → ${this.m.body.states[target]!.info.what} (state ${target})`, true);
        g = { states: [], statements };
        groups.set(key, g);
      }
      g.states.push(s.id);
    }
    const poison = f.createThrowStatement(f.createCallExpression(thisField(MACHINE.poison), undefined, [id(this.m.pollNames.error)]));
    if (groups.size === 0) return [poison];
    const clauses: ts.CaseOrDefaultClause[] = [];
    for (const g of groups.values()) {
      g.states.forEach((st, i) => clauses.push(f.createCaseClause(f.createNumericLiteral(st), i === g.states.length - 1 ? g.statements : [])));
    }
    clauses.push(f.createDefaultClause([poison]));
    return [f.createSwitchStatement(thisField(MACHINE.state), f.createCaseBlock(clauses))];
  }

  // ---------------------------------------------------------------------------------------------

  /** The state whose code is being emitted. */
  private currentState: State | undefined;

  private stateCode(s: State): ts.Statement[] {
    this.currentState = s;
    const out: ts.Statement[] = [];
    s.instrs.forEach((i, k) => out.push(...this.instr(i, false, s, k === s.instrs.length - 1)));
    if (s.fallsThrough && s.id + 1 < this.m.body.states.length) {
      out.push(...this.m.layout.clearAtFallThrough[s.id]!.map((b) => this.clear(b)));
      out.push(stmt(assign(thisField(MACHINE.state), f.createNumericLiteral(s.id + 1))));
    }
    return out;
  }

  /** The fields that die on this jump (see clearing in layout/liveness.ts). */
  private clearsOn(i: Instr): ts.Statement[] {
    return (this.m.layout.clearOnJump.get(i) ?? []).map((b) => this.clear(b));
  }

  /** `this.x = undefined!`: the field is dead (`undefined!` keeps its declared type). */
  private clear(b: Binding): ts.Statement {
    return stmt(assign(this.storage(b, false), f.createNonNullExpression(f.createVoidZero())));
  }

  private jumpTo(state: number, nested: boolean, fallsIntoNext: boolean): ts.Statement[] {
    const set = stmt(assign(thisField(MACHINE.state), f.createNumericLiteral(state)));
    if (fallsIntoNext) return [set];
    if (nested) this.usesPollLabel = true;
    return [set, f.createContinueStatement(nested ? this.m.pollNames.label : undefined)];
  }

  private instr(i: Instr, nested: boolean, s: State | undefined, last: boolean): ts.Statement[] {
    if (i.op === "suspend" || i.op === "jumpIf" || i.op === "return" || i.op === "complete") {
      const saved = this.pendingEnvs;
      this.pendingEnvs = new Set();
      const out = this.instrCode(i, nested, s, last);
      const envs = this.pendingEnvs;
      this.pendingEnvs = saved;
      return this.withEnvironments(envs, out);
    }
    return this.instrCode(i, nested, s, last);
  }

  private instrCode(i: Instr, nested: boolean, s: State | undefined, last: boolean): ts.Statement[] {
    switch (i.op) {
      case "stmt":
        return this.statement(i.node);
      case "suspend": {
        const resume = this.stateOf(i.resume);
        // Dead from here on: let go of the value (`undefined!` keeps the field's declared type).
        const clears = (s ? this.m.layout.clearAtSuspend[s.id]! : []).map((b) => this.clear(b));
        const setState = stmt(assign(thisField(MACHINE.state), f.createNumericLiteral(resume)));
        if (this.m.kind !== "async") {
          // Hand the operand to the function around, which performs the suspension natively.
          const signal = { await: "AWAIT", yield: "YIELD", yieldStar: "YIELD_STAR", return: i.operand ? "RETURN_VALUE" : "RETURN_VOID" }[i.kind];
          const out = i.operand ? [stmt(assign(thisField(MACHINE.out), this.expression(i.operand)))] : i.kind === "return" ? [] : [stmt(assign(thisField(MACHINE.out), f.createVoidZero()))];
          return [...out, ...clears, setState, f.createReturnStatement(runtimeMember(signal))];
        }
        if (this.m.mode !== "future") {
          // Promise mode: the promise driver performs the engine's own await on the operand.
          return [stmt(runtimeCall("awaitNatively", [this.expression(i.operand!)])), ...clears, setState, f.createReturnStatement(runtimeMember("PENDING"))];
        }
        return [stmt(assign(thisField(MACHINE.awaitee), runtimeCall("intoFuture", [this.expression(i.operand!)]))), ...clears, setState];
      }
      case "resume": {
        if (i.kind === "yield") {
          // Resumed by throw(e): the yield throws e (caught by the try blocks around it, if any).
          const isThrow = f.createBinaryExpression(id(this.m.pollNames.how), ts.SyntaxKind.EqualsEqualsEqualsToken, runtimeMember("THROW"));
          return [f.createIfStatement(isThrow, f.createThrowStatement(id(this.m.pollNames.sent)))];
        }
        if (this.m.mode !== "future") {
          // Promise mode: the driver polls again only once the operand has settled.
          const value = runtimeCall("awaited", []);
          return [stmt(i.target ? assign(this.expression(i.target), f.createAsExpression(value, anyType())) : value)];
        }
        const r = id(this.m.pollNames.result);
        const out: ts.Statement[] = [
          f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(this.m.pollNames.result, undefined, undefined, f.createCallExpression(f.createPropertyAccessExpression(f.createNonNullExpression(thisField(MACHINE.awaitee)), "poll"), undefined, [id(this.m.pollNames.context)]))], ts.NodeFlags.Const)),
          f.createIfStatement(f.createBinaryExpression(r, ts.SyntaxKind.EqualsEqualsEqualsToken, runtimeMember("PENDING")), f.createReturnStatement(runtimeMember("PENDING"))),
          stmt(assign(thisField(MACHINE.awaitee), f.createNull())),
        ];
        if (i.target) out.push(stmt(assign(this.expression(i.target), f.createAsExpression(r, anyType()))));
        return out;
      }
      case "jump": {
        const target = this.stateOf(i.target);
        return [...this.clearsOn(i), ...this.jumpTo(target, nested, !nested && last && s !== undefined && target === s.id + 1)];
      }
      case "jumpIf": {
        const cond = this.expression(i.cond);
        // `if (!(!x))` reads as `if (x)`: a condition is only tested for truth.
        const negated = ts.isPrefixUnaryExpression(cond) && cond.operator === ts.SyntaxKind.ExclamationToken ? cond.operand : f.createLogicalNot(f.createParenthesizedExpression(cond));
        return [f.createIfStatement(i.whenTrue ? cond : negated, block([...this.clearsOn(i), ...this.jumpTo(this.stateOf(i.target), nested, false)]))];
      }
      case "return":
        return [f.createReturnStatement(f.createCallExpression(thisField(MACHINE.done), undefined, [i.value ? this.expression(i.value) : f.createNonNullExpression(f.createVoidZero())]))];
      case "complete": {
        const field = thisField(this.m.tries[i.tryId]!.completionField!);
        const c = i.completion;
        const value =
          c.type === "normal"
            ? completionLiteral("normal")
            : c.type === "return"
              ? completionLiteral("return", c.value ? this.expression(c.value) : f.createVoidZero())
              : c.type === "jump"
                ? f.createObjectLiteralExpression([f.createPropertyAssignment("type", f.createStringLiteral("jump")), f.createPropertyAssignment("target", f.createNumericLiteral(this.stateOf(c.target)))])
                : thisField(this.m.tries[c.from]!.completionField!);
        return [stmt(assign(field, value))];
      }
      case "endFinally":
        return this.endFinally(i, nested);
      case "dropTaken": {
        // if (this.$dropsTaken(this.$completion1)) { this.$state = 7; return $rt.DROP_RETURN; }
        const drops = this.dropsTaken(i.tryIds);
        const stop = [stmt(assign(thisField(MACHINE.state), f.createNumericLiteral(this.stateOf(i.target)))), f.createReturnStatement(runtimeMember("DROP_RETURN"))];
        return [f.createIfStatement(drops, block(stop))];
      }
      case "enterScope": {
        const out: ts.Statement[] = [];
        const env = this.m.layout.envOf.get(i.scope);
        const isFunctionScope = i.scope === this.m.info.functionScope;
        if (env && !isFunctionScope) {
          const value = i.copyFrom
            ? f.createObjectLiteralExpression([f.createSpreadAssignment(this.storage(env, false))])
            : f.createObjectLiteralExpression([...i.scope.bindings.values()].filter((b) => b.captured).map((b) => f.createPropertyAssignment(b.name, this.initialValue(b))));
          out.push(stmt(assign(this.storage(env, false), value)));
        }
        if (!i.copyFrom) {
          for (const b of i.scope.bindings.values()) {
            if (this.m.deadZone.has(b) && !b.captured) out.push(stmt(assign(this.storage(b, false), uninitialized())));
          }
        }
        for (const fn of i.hoisted) {
          const expr = f.createFunctionExpression(fn.modifiers?.filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword) as ts.Modifier[] | undefined, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, fn.body!);
          const binding = this.m.info.refs.get(fn.name!);
          const target = binding ? this.storage(binding, false) : id(fn.name!.text);
          out.push(...this.statement(stmt(assign(target, expr))));
        }
        return out;
      }
      case "catchBind": {
        if (!i.name) return [];
        this.usesCaught = true;
        if (ts.isIdentifier(i.name)) return [stmt(assign(this.expression(i.name), this.caught()))];
        return this.statement(stmt(assign(bindingToAssignmentPattern(i.name), this.caught())));
      }
      case "inline":
        return i.instrs.flatMap((x) => this.instr(x, true, undefined, false));
      case "label":
        return [];
    }
  }

  private endFinally(i: Instr & { op: "endFinally" }, nested: boolean): ts.Statement[] {
    const c = thisField(this.m.tries[i.tryId]!.completionField!);
    const typeIs = (t: string): ts.Expression => f.createBinaryExpression(f.createPropertyAccessExpression(c, "type"), ts.SyntaxKind.EqualsEqualsEqualsToken, f.createStringLiteral(t));
    const out: ts.Statement[] = [f.createIfStatement(typeIs("throw"), f.createThrowStatement(f.createPropertyAccessExpression(c, "value")))];
    if (i.returnRoute.length) out.push(f.createIfStatement(typeIs("return"), block(i.returnRoute.flatMap((x) => this.instr(x, nested, undefined, false)))));
    if (i.jumpRoutes.size) {
      const routes = [...i.jumpRoutes];
      const direct = routes.every(([, r]) => r.length === 1 && r[0]!.op === "jump");
      if (direct) {
        if (nested) this.usesPollLabel = true;
        out.push(f.createIfStatement(typeIs("jump"), block([stmt(assign(thisField(MACHINE.state), f.createPropertyAccessExpression(c, "target"))), f.createContinueStatement(nested ? this.m.pollNames.label : undefined)])));
      } else {
        const clauses = routes.map(([t, r]) => f.createCaseClause(f.createNumericLiteral(this.stateOf(t)), r.flatMap((x) => this.instr(x, true, undefined, false))));
        out.push(f.createIfStatement(typeIs("jump"), f.createSwitchStatement(f.createPropertyAccessExpression(c, "target"), f.createCaseBlock(clauses))));
      }
    }
    out.push(...this.jumpTo(this.stateOf(i.next), nested, false));
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Rewriting user code: bindings to their homes, this/arguments/super/new.target, jump markers

  /** What a slot holds when its scope is entered: `$rt.UNINITIALIZED` in the dead zone, else undefined. */
  private initialValue(b: Binding): ts.Expression {
    return this.m.deadZone.has(b) ? uninitialized() : f.createVoidZero();
  }

  /** The function's own `this`: `this.$this`, or `this.$this()` where it is read lazily. */
  private userThis(): ts.Expression {
    const field = thisField(MACHINE.thisValue);
    return this.m.lazyThis ? f.createCallExpression(field, undefined, []) : field;
  }

  /** Environments that closures in the expressions of the current instruction capture. */
  private pendingEnvs = new Set<Binding>();

  private expression(e: ts.Expression): ts.Expression {
    return this.rewrite(e, this.pendingEnvs) as ts.Expression;
  }

  /** `{ const $env1 = this.$env1; ...statements }` when closures in them capture environments. */
  private withEnvironments(envs: Set<Binding>, out: ts.Statement[]): ts.Statement[] {
    if (envs.size === 0) return out;
    const consts = [...envs].map((env) =>
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration((this.homeOf(env) as { name: string }).name, undefined, undefined, this.storage(env, false))], ts.NodeFlags.Const)),
    );
    return [block([...consts, ...out])];
  }

  /**
   * A try statement kept whole whose try or catch part leaves it by a jump or a return of the
   * machine: the jump sets `$state` (a return, DONE) before the finally runs. Natively the finally
   * still runs where the try is, so an exception from it must reach this state's handlers: the
   * finally runs in this state, then puts back the state the jump chose.
   *
   *   finally { const $stateAfter = this.$state; this.$state = 4; F; this.$state = $stateAfter; }
   *
   * (fixtures/fuzz/finally-throw-overrides-return-in-kept-try)
   */
  private keepStateThroughFinally(t: ts.TryStatement, s: State): ts.TryStatement {
    const saved = this.m.pollNames.stateAfter;
    const state = thisField(MACHINE.state);
    const finallyBlock = block([
      f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(saved, undefined, undefined, thisField(MACHINE.state))], ts.NodeFlags.Const)),
      stmt(assign(state, f.createNumericLiteral(s.id))),
      ...t.finallyBlock!.statements,
      stmt(assign(thisField(MACHINE.state), id(saved))),
    ]);
    return f.updateTryStatement(t, t.tryBlock, t.catchClause, finallyBlock);
  }

  /**
   * A for-of loop kept whole whose body leaves it by a jump or a return of the machine: the jump
   * sets `$state` (a return, DONE) before the loop closes its iterator. If the iterator's `return()`
   * throws, the exception must reach this state's handlers, as natively it is thrown where the loop is.
   *
   *   try { for (const x of xs) { ... } } catch ($error) { this.$state = 4; throw $error; }
   *
   * (fuzz/found/return-from-for-of-iterator-close-throws-skips-catch)
   */
  private readonly iteratorCloseKept = new WeakSet<ts.Node>();

  private keepStateThroughIteratorClose(loop: ts.Statement, s: State): ts.TryStatement {
    const error = this.m.pollNames.error;
    const restore = block([stmt(assign(thisField(MACHINE.state), f.createNumericLiteral(s.id))), f.createThrowStatement(id(error))]);
    return f.createTryStatement(block([loop]), f.createCatchClause(error, restore), undefined);
  }

  /** A statement of the machine: rewritten, with the environments its closures capture made constant. */
  private statement(st: ts.Statement): ts.Statement[] {
    const envs = new Set<Binding>();
    return this.withEnvironments(envs, this.rewriteStatement(st, envs));
  }

  private rewriteStatement(st: ts.Statement, envs: Set<Binding>): ts.Statement[] {
    const r = this.rewrite(st, envs);
    if (Array.isArray(r)) return r as ts.Statement[];
    return [r as ts.Statement];
  }

  /**
   * A call whose callee is a name: natively a plain call (`this` undefined, or globalThis for a
   * sloppy callee). A name the machine keeps in a field or an environment slot reads as a property,
   * which would make the call a method call on the machine or the environment; `(0, ...)` keeps it
   * plain. Parentheses around the name go (`(cb)()` is a plain call, `(this.cb)()` is not).
   *
   *   [source]   cb(x)         tag`t`              cb?.()
   *   [lowered]  (0, this.cb)(x)   (0, $env1.tag)`t`   (0, this.cb)?.()
   *
   * (fixture hygiene/this-saved-callee)
   */
  private plainCall(node: ts.CallExpression | ts.TaggedTemplateExpression, visit: (n: ts.Node) => ts.Node): ts.Expression {
    const isAccess = (e: ts.Expression): boolean => ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e);
    let readsProperty = false;
    const rewritten = (e: ts.Expression): ts.Expression => {
      if (ts.isParenthesizedExpression(e)) return rewritten(e.expression);
      if (ts.isAsExpression(e)) return f.updateAsExpression(e, rewritten(e.expression), e.type);
      if (ts.isNonNullExpression(e)) return f.updateNonNullExpression(e, rewritten(e.expression));
      if (ts.isSatisfiesExpression(e)) return f.updateSatisfiesExpression(e, rewritten(e.expression), e.type);
      if (ts.isTypeAssertionExpression(e)) return f.updateTypeAssertion(e, e.type, rewritten(e.expression));
      const read = visit(e) as ts.Expression;
      readsProperty = isAccess(read);
      return read;
    };
    const plain = (e: ts.Expression): ts.Expression => {
      const callee = rewritten(e);
      if (!readsProperty) return callee;
      // TypeScript accepts `(0, x.y)()` as a plain call; with a type assertion on the callee
      // (`(cb as F)()`), only `(void 0, this.cb as F)()`.
      return f.createParenthesizedExpression(f.createComma(isAccess(callee) ? f.createNumericLiteral(0) : f.createVoidZero(), callee));
    };
    if (ts.isTaggedTemplateExpression(node)) return f.updateTaggedTemplateExpression(node, plain(node.tag), node.typeArguments, visit(node.template) as ts.TemplateLiteral);
    const args = node.arguments.map((a) => visit(a) as ts.Expression);
    if (ts.isCallChain(node)) return f.updateCallChain(node, plain(node.expression), node.questionDotToken, node.typeArguments, args);
    return f.updateCallExpression(node, plain(node.expression), node.typeArguments, args);
  }

  private rewrite(root: ts.Node, envs: Set<Binding>): ts.Node | ts.Node[] {
    const info = this.m.info;
    const machineLevel = (n: ts.Identifier): Binding | undefined => {
      const b = info.refs.get(n);
      return b && b.machineLevel ? b : undefined;
    };
    const checked = (b: Binding, closure: number): CheckedBinding => ({ binding: b, storage: () => this.storage(b, closure > 0, envs), deadZone: this.m.deadZone.has(b) });
    /** A write to `b` through `name` that must be checked: a `const`, or a `let` with a dead zone. */
    const writeChecked = (name: ts.Identifier, b: Binding, closure: number): CheckedBinding | undefined =>
      !info.declarationNames.has(name) && (this.m.deadZone.has(b) || b.kind === "const") ? checked(b, closure) : undefined;
    const visit = (node: ts.Node, closure: number, ownThis: boolean): ts.Node | ts.Node[] => {
      const recurse = (n: ts.Node, c = closure, t = ownThis): ts.Node => {
        // The own name of a function or class is its name, not a reference to a binding.
        const ownName = ts.isFunctionLike(n) || ts.isClassLike(n) || ts.isPropertyDeclaration(n) ? (n as { name?: ts.Node }).name : undefined;
        const heritage = ts.isClassLike(n) ? n.heritageClauses : undefined;
        return ts.visitEachChild(
          n,
          (x) => {
            if (x === ownName) return ts.isComputedPropertyName(x) ? (visit(x, closure, ownThis) as ts.Node) : x;
            // A class's heritage and its members' computed names are evaluated outside the class.
            if (heritage?.includes(x as ts.HeritageClause)) return visit(x, closure, ownThis) as ts.Node;
            return visit(x, c, t) as ts.VisitResult<ts.Node>;
          },
          plainContext,
        );
      };
      if (machineExpressions.has(node)) return node;
      if (ts.isTryStatement(node) && node.finallyBlock && this.currentState && (containsMarker(node.tryBlock) || (node.catchClause !== undefined && containsMarker(node.catchClause)))) {
        return this.keepStateThroughFinally(recurse(node) as ts.TryStatement, this.currentState);
      }
      if (this.currentState && (ts.isLabeledStatement(node) || ts.isForOfStatement(node)) && !this.iteratorCloseKept.has(node)) {
        // The try goes around the loop's labels: it must not come between a label and its loop.
        let loop: ts.Statement = node;
        while (ts.isLabeledStatement(loop)) loop = loop.statement;
        if (ts.isForOfStatement(loop) && !loop.awaitModifier && containsMarker(loop.statement)) {
          this.iteratorCloseKept.add(node);
          this.iteratorCloseKept.add(loop);
          // Rewritten as any statement (a `var` head becomes a field target), then wrapped.
          return this.keepStateThroughIteratorClose(visit(node, closure, ownThis) as ts.Statement, this.currentState);
        }
      }
      const marker = jumpMarkers.get(node);
      if (marker) return block(marker.flatMap((x) => this.instr(x, true, undefined, false)));
      const shield = this.m.shielded.get(ts.isSwitchStatement(node) ? node.caseBlock : node);
      if (shield && ts.isStatement(node)) {
        // `{ let f; { function f() {} } }`: a var `f` of poll would clash with the let, so there is none.
        return block([f.createVariableStatement(undefined, f.createVariableDeclarationList(shield.map((n) => f.createVariableDeclaration(n)), ts.NodeFlags.Let)), recurse(node) as ts.Statement]);
      }
      if (ts.isIdentifier(node)) {
        const b = machineLevel(node);
        if (b && this.m.deadZone.has(b) && !info.declarationNames.has(node)) return checkedRead(checked(b, closure));
        if (b) return this.storage(b, closure > 0, envs);
        if (node.text === "arguments" && !ownThis && !info.refs.has(node)) return thisField(MACHINE.argumentsObject);
        return node;
      }
      // Property names are names, not references (`o.arguments`, `{ arguments: 1 }`).
      if (ts.isPropertyAccessExpression(node) && node.expression.kind !== ts.SyntaxKind.SuperKeyword) {
        return f.updatePropertyAccessExpression(node, visit(node.expression, closure, ownThis) as ts.Expression, node.name);
      }
      if (ts.isPropertyAssignment(node) && !ts.isComputedPropertyName(node.name)) {
        return f.updatePropertyAssignment(node, node.name, visit(node.initializer, closure, ownThis) as ts.Expression);
      }
      if (ts.isShorthandPropertyAssignment(node)) {
        const b = machineLevel(node.name);
        if (b) return f.createPropertyAssignment(node.name.text, visit(node.name, closure, ownThis) as ts.Expression);
        if (node.name.text === "arguments" && !ownThis && !info.refs.has(node.name)) return f.createPropertyAssignment("arguments", thisField(MACHINE.argumentsObject));
        return recurse(node);
      }
      if (ts.isVariableStatement(node) && isMachineDeclaration(node.declarationList)) {
        return declarationAsAssignments(node.declarationList).map((s) => recurse(s) as ts.Statement);
      }
      if ((ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) && node.initializer && ts.isVariableDeclarationList(node.initializer) && isMachineDeclaration(node.initializer)) {
        const list = node.initializer;
        const asExpr = ts.isForStatement(node) ? commaOf(declarationAsAssignments(list).map((s) => (s as ts.ExpressionStatement).expression)) : bindingTarget(list.declarations[0]!.name);
        const init = asExpr ? (visit(asExpr, closure, ownThis) as ts.Expression) : undefined;
        if (ts.isForStatement(node)) return f.updateForStatement(node, init, node.condition && (visit(node.condition, closure, ownThis) as ts.Expression), node.incrementor && (visit(node.incrementor, closure, ownThis) as ts.Expression), recurse(node.statement) as ts.Statement);
        if (ts.isForInStatement(node)) return f.updateForInStatement(node, init!, visit(node.expression, closure, ownThis) as ts.Expression, recurse(node.statement) as ts.Statement);
        return f.updateForOfStatement(node, node.awaitModifier, init!, visit(node.expression, closure, ownThis) as ts.Expression, recurse(node.statement) as ts.Statement);
      }
      if (ts.isClassDeclaration(node) && node.name && machineLevel(node.name)) {
        const b = machineLevel(node.name)!;
        const expr = f.createClassExpression(node.modifiers?.filter((m) => m.kind === ts.SyntaxKind.Decorator) as ts.ModifierLike[] | undefined, node.name, node.typeParameters, node.heritageClauses, node.members);
        return stmt(assign(this.storage(b, closure > 0, envs), recurse(expr, closure + 1, true) as ts.Expression));
      }
      if (node.kind === ts.SyntaxKind.ThisKeyword && !ownThis) return this.userThis();
      if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.NewKeyword && !ownThis) return thisField(MACHINE.newTarget);
      if (!ownThis && (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        return superGet(node, (x) => visit(x, closure, ownThis) as ts.Expression);
      }
      if (ts.isDeleteExpression(node) && ts.isIdentifier(skipOuter(node.expression))) {
        // Sloppy `delete x` of a declared binding deletes nothing and is false; of a field, it would
        // delete the field. (Strict code cannot say it.)
        //   [source] delete x      [lowered] false
        // (fixture hygiene/strict-delete)
        const name = skipOuter(node.expression) as ts.Identifier;
        if (machineLevel(name) || (name.text === "arguments" && !ownThis && !info.refs.has(name))) return f.createFalse();
      }
      if ((ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) && ts.isIdentifier(skipOuter(ts.isCallExpression(node) ? node.expression : node.tag))) {
        return this.plainCall(node, (x) => visit(x, closure, ownThis) as ts.Node);
      }
      if (!ownThis && ts.isCallExpression(node)) {
        const callee = node.expression;
        if ((ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && callee.expression.kind === ts.SyntaxKind.SuperKeyword) {
          const fn = superGet(callee, (x) => visit(x, closure, ownThis) as ts.Expression);
          return runtimeCall("call", [fn, this.userThis(), ...node.arguments.map((a) => visit(a, closure, ownThis) as ts.Expression)]);
        }
      }
      if (!ownThis && ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = node.left;
        if ((ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) && left.expression.kind === ts.SyntaxKind.SuperKeyword) {
          const key = ts.isPropertyAccessExpression(left) ? f.createStringLiteral(left.name.text) : (visit(left.argumentExpression, closure, ownThis) as ts.Expression);
          return f.createCallExpression(f.createPropertyAccessExpression(thisField(MACHINE.superAccess), "set"), undefined, [key, visit(node.right, closure, ownThis) as ts.Expression]);
        }
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && this.m.readOnly && info.refs.get(node.left) === this.m.readOnly) {
        // `fact = v` inside `async function fact() {}`: v is evaluated, the name keeps its value.
        const value = visit(node.right, closure, ownThis) as ts.Expression;
        return this.m.sloppy ? f.createParenthesizedExpression(value) : runtimeCall("assignToConstant", [value, f.createStringLiteral(node.left.text)]);
      }
      // Writes: a target is stored into, not read. A `const`, or a `let` that may be in its dead
      // zone, throws as natively (emit/checkedWrites.ts).
      const read = (e: ts.Expression): ts.Expression => visit(e, closure, ownThis) as ts.Expression;
      const target = (e: ts.Expression): ts.Expression => {
        const b = ts.isIdentifier(e) ? machineLevel(e) : undefined;
        if (!b) return read(e);
        const c = writeChecked(e as ts.Identifier, b, closure);
        return c ? checkedTarget(c) : this.storage(b, closure > 0, envs);
      };
      if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        const left = skipOuter(node.left);
        const b = ts.isIdentifier(left) ? machineLevel(left) : undefined;
        const c = b && writeChecked(left as ts.Identifier, b, closure);
        if (c) return checkedAssignment(c, node.operatorToken.kind as ts.AssignmentOperator, read(node.right));
        const pattern = node.operatorToken.kind === ts.SyntaxKind.EqualsToken ? rewritePattern(node.left, target, read) : target(node.left);
        return f.updateBinaryExpression(node, pattern, node.operatorToken, read(node.right));
      }
      if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
        const operand = skipOuter(node.operand);
        const b = ts.isIdentifier(operand) ? machineLevel(operand) : undefined;
        const c = b && writeChecked(operand as ts.Identifier, b, closure);
        if (c) return checkedUpdate(c, node);
        return ts.isPrefixUnaryExpression(node) ? f.updatePrefixUnaryExpression(node, target(node.operand)) : f.updatePostfixUnaryExpression(node, target(node.operand));
      }
      if ((ts.isForInStatement(node) || ts.isForOfStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) {
        const head = rewritePattern(node.initializer, target, read);
        return ts.isForInStatement(node)
          ? f.updateForInStatement(node, head, read(node.expression), recurse(node.statement) as ts.Statement)
          : f.updateForOfStatement(node, node.awaitModifier, head, read(node.expression), recurse(node.statement) as ts.Statement);
      }
      if (ts.isArrowFunction(node)) return recurse(node, closure + 1, ownThis);
      if (isFunctionBoundary(node) || ts.isClassLike(node)) return recurse(node, closure + 1, true);
      return recurse(node);
    };

    const isMachineDeclaration = (list: ts.VariableDeclarationList): boolean => {
      let found = false;
      for (const d of list.declarations) forEachBindingName(d.name, (n) => (found ||= machineLevel(n) !== undefined));
      return found;
    };
    return visit(root, 0, false);
  }
}

/** `let a = 1, {b} = o, c;` → `a = 1; ({b} = o); c = undefined;` (`var c;` stays nothing). */
function declarationAsAssignments(list: ts.VariableDeclarationList): ts.Statement[] {
  const isVar = !(list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const));
  const out: ts.Statement[] = [];
  for (const d of list.declarations) {
    if (!d.initializer) {
      if (!isVar && ts.isIdentifier(d.name)) out.push(stmt(assign(d.name, f.createVoidZero())));
      continue;
    }
    out.push(stmt(assign(bindingTarget(d.name)!, d.initializer)));
  }
  return out;
}

function bindingTarget(name: ts.BindingName): ts.Expression | undefined {
  return ts.isIdentifier(name) ? name : bindingToAssignmentPattern(name);
}

function commaOf(exprs: ts.Expression[]): ts.Expression | undefined {
  if (exprs.length === 0) return undefined;
  return exprs.reduce((a, b) => f.createBinaryExpression(a, ts.SyntaxKind.CommaToken, b));
}

/** A binding pattern as the assignment pattern that stores the same values: `{a, b: [c]}`. */
export function bindingToAssignmentPattern(name: ts.BindingPattern): ts.Expression {
  if (ts.isObjectBindingPattern(name)) {
    return f.createObjectLiteralExpression(
      name.elements.map((el) => {
        const target = bindingTarget(el.name)!;
        const value = el.initializer ? assign(target, el.initializer) : target;
        if (el.dotDotDotToken) return f.createSpreadAssignment(target);
        const key = el.propertyName ?? (el.name as ts.Identifier);
        return f.createPropertyAssignment(ts.isIdentifier(key) ? key.text : (key as ts.PropertyName), value);
      }),
    );
  }
  return f.createArrayLiteralExpression(
    name.elements.map((el) => {
      if (ts.isOmittedExpression(el)) return el;
      const target = bindingTarget(el.name)!;
      if (el.dotDotDotToken) return f.createSpreadElement(target);
      return el.initializer ? assign(target, el.initializer) : target;
    }),
  );
}

/** Does the statement hold a jump or return of the machine (a builder marker)? */
function containsMarker(node: ts.Node): boolean {
  if (jumpMarkers.has(node)) return true;
  if (isFunctionBoundary(node)) return false;
  return ts.forEachChild(node, (c) => (containsMarker(c) ? true : undefined)) ?? false;
}

function uninitialized(): ts.Expression {
  return runtimeMember("UNINITIALIZED");
}

function superGet(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, visitExpr: (e: ts.Expression) => ts.Expression): ts.Expression {
  const key = ts.isPropertyAccessExpression(node) ? f.createStringLiteral(node.name.text) : visitExpr(node.argumentExpression);
  return f.createCallExpression(f.createPropertyAccessExpression(thisField(MACHINE.superAccess), "get"), undefined, [key]);
}

function completionLiteral(type: string, value?: ts.Expression): ts.Expression {
  const props = [f.createPropertyAssignment("type", f.createStringLiteral(type))];
  if (value) props.push(f.createPropertyAssignment("value", value));
  return f.createObjectLiteralExpression(props);
}

function legend(m: MachineParts, rows: Array<{ id: number; label: string; line: number; live: string[] }>): string {
  const width = Math.max(...rows.map((r) => r.label.length), 10);
  const lines = rows.map((r) => ` *   ${String(r.id).padStart(2)}  ${r.label.padEnd(width)}  line ${String(r.line).padEnd(4)}${r.live.length ? ` live: ${r.live.join(", ")}` : ""}`);
  const terminal = m.mode === "future" && m.kind === "async" ? "DONE / POISONED / DROPPED" : "DONE / POISONED";
  return `*\n * State machine for \`${m.displayName}\` (${m.fileName}:${m.line})\n${lines.join("\n")}\n *   ${terminal}\n `;
}

function layoutLiteral(m: MachineParts, rows: Array<{ id: number; label: string; line: number; live: string[] }>, fields: string[]): ts.Expression {
  const str = (s: string) => f.createStringLiteral(s);
  return f.createObjectLiteralExpression(
    [
      f.createPropertyAssignment("name", str(m.displayName)),
      f.createPropertyAssignment(
        "states",
        f.createArrayLiteralExpression(
          rows.map((r) =>
            f.createObjectLiteralExpression([
              f.createPropertyAssignment("id", f.createNumericLiteral(r.id)),
              f.createPropertyAssignment("label", str(r.label)),
              f.createPropertyAssignment("line", f.createNumericLiteral(r.line)),
              f.createPropertyAssignment("live", f.createArrayLiteralExpression(r.live.map(str))),
            ]),
          ),
          true,
        ),
      ),
      f.createPropertyAssignment("fields", f.createArrayLiteralExpression(fields.map(str))),
      // Future mode: its await states check for `drop()` (runtime machine.ts).
      ...(m.mode === "future" && m.kind === "async" ? [f.createPropertyAssignment("mode", str("future"))] : []),
    ],
    true,
  );
}

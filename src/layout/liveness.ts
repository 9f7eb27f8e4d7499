/**
 * Liveness and layout: backward liveness over the state graph decides where each binding of the
 * machine lives.
 *
 * - live on entry to a state entered after a suspension (or to state 0) → a **field** of the class;
 * - otherwise → a **local** of `poll`;
 * - captured by a nested function → a slot of its scope's **environment** object (`$env1.x`),
 *   which is itself a field or a local like any other binding.
 *
 *   [source]   let sum = 0; for (const id of ids) { const item = await load(id); sum += item.price; }
 *   [layout]   fields: ids, sum, $iter1      locals: id, item, $value1
 */
import ts from "typescript";
import type { Binding, BindingInfo, Scope } from "../analyze/bindings.js";
import type { Instr, Label } from "../ir/ir.js";
import { forEachMarker, type SplitBody, type State } from "../ir/split.js";

export type Home =
  | { kind: "field"; name: string }
  | { kind: "local"; name: string }
  | { kind: "env"; env: Binding; name: string };

export interface Layout {
  /** Fields, in order of first appearance. */
  fields: Binding[];
  locals: Binding[];
  homes: Map<Binding, Home>;
  /** The environment binding of each scope with captured bindings. */
  envOf: Map<Scope, Binding>;
  /** Bindings live on entry to each state. */
  liveIn: Set<Binding>[];
  /** Fields to clear when suspending at the end of each state (indexed by state). */
  clearAtSuspend: Binding[][];
  /** Fields to clear on a jump to another state in the same poll (each `jump` and `jumpIf`). */
  clearOnJump: Map<Instr, Binding[]>;
  /** Fields to clear when a state falls through into the next (indexed by state). */
  clearAtFallThrough: Binding[][];
  successors: number[][];
}

export function computeLayout(body: SplitBody, info: BindingInfo, envName: () => string, homeName: (b: Binding) => string): Layout {
  // Environments: one synthetic binding per scope that has captured machine-level bindings.
  const envOf = new Map<Scope, Binding>();
  for (const b of info.machineBindings) {
    if (!b.captured || envOf.has(b.scope)) continue;
    envOf.set(b.scope, { name: envName(), kind: "temp", scope: b.scope, captured: false, machineLevel: true, uses: [] });
  }
  const storageOf = (b: Binding): Binding => (b.captured ? envOf.get(b.scope)! : b);

  const { states, stateOf } = body;
  const uses: Set<Binding>[] = [];
  /**
   * Each way out of each state, with what the state has surely written before taking it: a jump
   * taken before `v = …` passes the needs of its target through to the state's entry.
   */
  const exits: Exit[][] = [];
  const successors: number[][] = [];

  const target = (l: Label): number => stateOf.get(l)!;

  for (const s of states) {
    const use = new Set<Binding>();
    const def = new Set<Binding>();
    const touch = new Set<Binding>();
    const out: Exit[] = [];
    const exit = (l: Label, by?: Instr): void => void out.push({ to: target(l), written: new Set(def), touched: new Set(touch), by });
    const read = (b: Binding | undefined): void => {
      if (!b || !b.machineLevel) return;
      const st = storageOf(b);
      touch.add(st);
      if (!def.has(st)) use.add(st);
    };
    const write = (b: Binding | undefined): void => {
      if (!b || !b.machineLevel) return;
      const st = storageOf(b);
      if (st !== b || b.readOnly) return read(b); // writing a slot reads the environment; a read-only name keeps its value
      touch.add(st);
      def.add(st);
    };
    const readAll = (node: ts.Node | undefined): void => {
      if (!node) return;
      const visit = (n: ts.Node): void => {
        if (ts.isIdentifier(n)) read(info.refs.get(n));
        ts.forEachChild(n, visit);
      };
      visit(node);
      forEachMarker(node, (instrs) => instrs.forEach(visitInstr));
    };
    const visitInstr = (i: Instr): void => {
      switch (i.op) {
        case "stmt":
          return visitStatement(i.node);
        case "suspend":
          readAll(i.operand);
          return exit(i.resume, i);
        case "resume":
          if (i.target) write(info.refs.get(i.target));
          return;
        case "jumpIf":
          readAll(i.cond);
          return exit(i.target, i);
        case "return":
          return readAll(i.value);
        case "complete":
          if (i.completion.type === "return") readAll(i.completion.value);
          return;
        case "endFinally":
          exit(i.next);
          i.returnRoute.forEach(visitInstr);
          for (const [t, r] of i.jumpRoutes) {
            exit(t);
            r.forEach(visitInstr);
          }
          return;
        case "enterScope": {
          const env = envOf.get(i.scope);
          if (env) {
            if (i.copyFrom) read(env);
            touch.add(env);
            def.add(env);
          }
          // Entering a scope starts its lexical bindings afresh; the copy a `for (let …)` makes for the
          // next iteration keeps their values (fixtures/generators/for-let-head-bindings-across-yields).
          if (!i.copyFrom) for (const b of i.scope.bindings.values()) if (!b.captured && b.machineLevel && (b.kind === "let" || b.kind === "const" || b.kind === "class")) def.add(b);
          for (const fn of i.hoisted) {
            readAll(fn);
            if (fn.name) write(info.refs.get(fn.name));
          }
          return;
        }
        case "catchBind":
          if (i.name) bindPattern(i.name);
          return;
        case "inline":
          return i.instrs.forEach(visitInstr);
        case "jump":
          return exit(i.target, i);
        case "dropTaken":
          return exit(i.target);
        case "label":
          return;
      }
    };
    /** A declaration's names, in order: each element's computed key and default are read before its names are written. */
    const bindPattern = (name: ts.BindingName): void => {
      if (ts.isIdentifier(name)) return write(info.refs.get(name));
      for (const el of name.elements) {
        if (ts.isOmittedExpression(el)) continue;
        if (el.propertyName && ts.isComputedPropertyName(el.propertyName)) readAll(el.propertyName.expression);
        readAll(el.initializer);
        bindPattern(el.name);
      }
    };
    /**
     * `x = e;` and `let x = e;` define x after reading e; everything else only reads. A `var x;`
     * without a value writes nothing: x keeps the value it had (fixture hygiene/params-var-redeclared).
     */
    const visitStatement = (st: ts.Statement): void => {
      if (ts.isVariableStatement(st)) {
        const isVar = (st.declarationList.flags & ts.NodeFlags.BlockScoped) === 0;
        for (const d of st.declarationList.declarations) {
          if (isVar && !d.initializer) continue;
          readAll(d.initializer);
          bindPattern(d.name);
        }
        return;
      }
      if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(st.expression.left)) {
        readAll(st.expression.right);
        write(info.refs.get(st.expression.left));
        return;
      }
      readAll(st);
    };
    s.instrs.forEach(visitInstr);
    for (const b of def) touch.add(b);
    if (s.fallsThrough && s.id + 1 < states.length) out.push({ to: s.id + 1, written: def, touched: touch, by: "fallThrough" });
    // An exception can leave the state anywhere: before any of its definitions (the handler's needs
    // pass through), holding whatever the state touched.
    const handler = s.handlers[0];
    if (handler) out.push({ to: target(handler.target), written: new Set(), touched: touch });
    exits.push(out);
    uses.push(use);
    successors.push(successorsOf(s, states.length, target));
  }

  // Backward dataflow to a fixed point.
  const liveIn = states.map(() => new Set<Binding>());
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = states.length - 1; i >= 0; i--) {
      const next = new Set(uses[i]);
      for (const { to, written } of exits[i]!) for (const b of liveIn[to]!) if (!written.has(b)) next.add(b);
      if (next.size !== liveIn[i]!.size) {
        liveIn[i] = next;
        changed = true;
      }
    }
  }

  const fieldSet = new Set<Binding>();
  states.forEach((s, i) => {
    if (i === 0 || s.info.resume) for (const b of liveIn[i]!) fieldSet.add(b);
  });
  // Environments are always fields: closures made in one poll keep them, and a closure reads the
  // environment it was made with (a constant copy of the field), never a later one.
  for (const env of envOf.values()) fieldSet.add(env);
  const all = [...info.machineBindings.filter((b) => !b.captured), ...envOf.values()];
  const fields = all.filter((b) => fieldSet.has(b));
  const locals = all.filter((b) => !fieldSet.has(b));
  const homes = new Map<Binding, Home>();
  for (const b of fields) homes.set(b, { kind: "field", name: homeName(b) });
  for (const b of locals) homes.set(b, { kind: "local", name: homeName(b) });
  for (const b of info.machineBindings) if (b.captured) homes.set(b, { kind: "env", env: envOf.get(b.scope)!, name: b.name });

  const { clearAtSuspend, clearOnJump, clearAtFallThrough } = clearing(states, fields, liveIn, exits);
  return { fields, locals, homes, envOf, liveIn, clearAtSuspend, clearOnJump, clearAtFallThrough, successors };
}

function successorsOf(s: State, count: number, target: (l: Label) => number): number[] {
  const out = new Set<number>();
  const visit = (i: Instr): void => {
    switch (i.op) {
      case "jump":
      case "jumpIf":
        out.add(target(i.target));
        break;
      case "suspend":
        out.add(target(i.resume));
        break;
      case "dropTaken":
        out.add(target(i.target));
        break;
      case "endFinally":
        out.add(target(i.next));
        for (const [t, r] of i.jumpRoutes) {
          out.add(target(t));
          r.forEach(visit);
        }
        i.returnRoute.forEach(visit);
        break;
      case "inline":
        i.instrs.forEach(visit);
        break;
      case "stmt":
        forEachMarker(i.node, (instrs) => instrs.forEach(visit));
        break;
      default:
        break;
    }
  };
  s.instrs.forEach(visit);
  if (s.fallsThrough && s.id + 1 < count) out.add(s.id + 1);
  for (const h of s.handlers.slice(0, 1)) out.add(target(h.target));
  return [...out];
}

/** A way out of a state, for liveness (what it surely wrote before) and clearing (what it may hold). */
interface Exit {
  to: number;
  /** Bindings the state surely wrote before taking this exit. */
  written: ReadonlySet<Binding>;
  /** Bindings the state read or wrote before taking this exit. */
  touched: ReadonlySet<Binding>;
  /** What takes it, when that can let go of fields: a jump, a suspension, or falling through. */
  by?: Instr | "fallThrough";
}

/**
 * Where dead fields are let go of. A field is cleared where the machine suspends holding it while
 * it is dead: a suspended machine keeps nothing it no longer needs. A forward "may hold" dataflow
 * says which fields can hold a value at a point: those live on entry to state 0 (the constructor
 * stores them), and any field read or written since, until an edge clears it.
 *
 * Clearing at the suspension alone would repeat inside a loop what was dead before the loop began,
 * once per turn. So an edge that enters a loop (a cycle of states, suspensions included) also
 * clears what is dead on entry to it, and the loop's suspensions then find nothing more to clear.
 * Other edges (a jump inside the loop, a `finally` route, an exception) keep what they hold.
 *
 *   [source]   function* range(from, to) { for (let i = from; i < to; i++) yield i; }
 *   [lowered]  case 0: this.i = this.from; this.from = undefined; this.$state = 1;   (enters the loop)
 *              case 1: ... this.$out = this.i; this.$state = 2; return $rt.YIELD;   (nothing to clear)
 */
function clearing(
  states: State[],
  fields: Binding[],
  liveIn: Set<Binding>[],
  exits: Exit[][],
): { clearAtSuspend: Binding[][]; clearOnJump: Map<Instr, Binding[]>; clearAtFallThrough: Binding[][] } {
  const fieldSet = new Set(fields);
  const holdIn = states.map(() => new Set<Binding>());
  for (const b of liveIn[0] ?? []) if (fieldSet.has(b)) holdIn[0]!.add(b);

  const held = (i: number, e: Exit): Set<Binding> => {
    const out = new Set(holdIn[i]);
    for (const b of e.touched) if (fieldSet.has(b)) out.add(b);
    return out;
  };
  const loop = loopsOf(states.length, exits);
  const clears = (i: number, e: Exit): boolean =>
    e.by !== undefined && (e.by === "fallThrough" || e.by.op !== "suspend" ? loop[e.to] !== -1 && loop[e.to] !== loop[i] : true);
  const cleared = (i: number, e: Exit): Binding[] => {
    if (!clears(i, e)) return [];
    const h = held(i, e);
    return fields.filter((b) => h.has(b) && !liveIn[e.to]!.has(b));
  };

  let changed = true;
  while (changed) {
    changed = false;
    states.forEach((_, i) => {
      for (const e of exits[i]!) {
        const gone = new Set(cleared(i, e));
        for (const b of held(i, e)) {
          if (gone.has(b) || holdIn[e.to]!.has(b)) continue;
          holdIn[e.to]!.add(b);
          changed = true;
        }
      }
    });
  }

  const clearAtSuspend = states.map(() => [] as Binding[]);
  const clearAtFallThrough = states.map(() => [] as Binding[]);
  const clearOnJump = new Map<Instr, Binding[]>();
  states.forEach((_, i) => {
    for (const e of exits[i]!) {
      if (!e.by || !clears(i, e)) continue;
      const gone = cleared(i, e);
      if (e.by === "fallThrough") clearAtFallThrough[i] = gone;
      else if (e.by.op === "suspend") clearAtSuspend[i] = gone;
      else clearOnJump.set(e.by, gone);
    }
  });
  return { clearAtSuspend, clearOnJump, clearAtFallThrough };
}

/**
 * The loop each state belongs to: the strongly connected components of the state graph that
 * contain a cycle, numbered; -1 for a state on no cycle. Tarjan's algorithm, iteratively.
 */
function loopsOf(count: number, exits: Exit[][]): number[] {
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const component = new Array<number>(count).fill(-1);
  const stack: number[] = [];
  let next = 0;
  let components = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: { node: number; edge: number }[] = [{ node: root, edge: 0 }];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = true;
    while (work.length) {
      const top = work[work.length - 1]!;
      const edges = exits[top.node]!;
      if (top.edge < edges.length) {
        const to = edges[top.edge++]!.to;
        if (index[to] === -1) {
          index[to] = low[to] = next++;
          stack.push(to);
          onStack[to] = true;
          work.push({ node: to, edge: 0 });
        } else if (onStack[to]) low[top.node] = Math.min(low[top.node]!, index[to]!);
        continue;
      }
      work.pop();
      if (work.length) low[work[work.length - 1]!.node] = Math.min(low[work[work.length - 1]!.node]!, low[top.node]!);
      if (low[top.node] !== index[top.node]) continue;
      const members: number[] = [];
      let n: number;
      do {
        n = stack.pop()!;
        onStack[n] = false;
        members.push(n);
      } while (n !== top.node);
      const cyclic = members.length > 1 || exits[top.node]!.some((e) => e.to === top.node);
      for (const m of members) component[m] = cyclic ? components : -1;
      if (cyclic) components++;
    }
  }
  return component;
}

export function forEachBindingName(name: ts.BindingName, fn: (id: ts.Identifier) => void): void {
  if (ts.isIdentifier(name)) return fn(name);
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) forEachBindingName(el.name, fn);
}

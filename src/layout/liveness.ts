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
  const defs: Set<Binding>[] = [];
  const successors: number[][] = [];

  const target = (l: Label): number => stateOf.get(l)!;

  for (const s of states) {
    const use = new Set<Binding>();
    const def = new Set<Binding>();
    const read = (b: Binding | undefined): void => {
      if (!b || !b.machineLevel) return;
      const st = storageOf(b);
      if (!def.has(st)) use.add(st);
    };
    const write = (b: Binding | undefined): void => {
      if (!b || !b.machineLevel) return;
      const st = storageOf(b);
      if (st !== b || b.readOnly) return read(b); // writing a slot reads the environment; a read-only name keeps its value
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
          return readAll(i.operand);
        case "resume":
          if (i.target) write(info.refs.get(i.target));
          return;
        case "jumpIf":
          return readAll(i.cond);
        case "return":
          return readAll(i.value);
        case "complete":
          if (i.completion.type === "return") readAll(i.completion.value);
          return;
        case "endFinally":
          i.returnRoute.forEach(visitInstr);
          for (const r of i.jumpRoutes.values()) r.forEach(visitInstr);
          return;
        case "enterScope": {
          const env = envOf.get(i.scope);
          if (env) {
            if (i.copyFrom) read(env);
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
        case "label":
        case "dropTaken":
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
    /** `x = e;` and `let x = e;` define x after reading e; everything else only reads. */
    const visitStatement = (st: ts.Statement): void => {
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) {
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
    uses.push(use);
    defs.push(def);
    successors.push(successorsOf(s, states.length, target));
  }

  // Backward dataflow to a fixed point.
  const liveIn = states.map(() => new Set<Binding>());
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = states.length - 1; i >= 0; i--) {
      const out = new Set<Binding>();
      for (const t of successors[i]!) for (const b of liveIn[t]!) out.add(b);
      const next = new Set(uses[i]);
      for (const b of out) if (!defs[i]!.has(b)) next.add(b);
      // An exception can leave the state before any of its definitions: the handler's needs pass through.
      const handler = states[i]!.handlers[0];
      if (handler) for (const b of liveIn[target(handler.target)]!) next.add(b);
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

  // Clearing: at a suspension, fields that may hold a value but are dead at the resume point.
  const preds = predecessorsInPoll(states, successors);
  const clearAtSuspend = states.map((s, i) => {
    const last = s.instrs[s.instrs.length - 1];
    if (!last || last.op !== "suspend") return [];
    const resume = target(last.resume);
    const maybe = new Set<Binding>([...liveIn[i]!, ...defs[i]!]);
    for (const p of reachingWithinPoll(i, states, preds)) for (const b of [...liveIn[p]!, ...defs[p]!]) maybe.add(b);
    return fields.filter((b) => maybe.has(b) && !liveIn[resume]!.has(b));
  });
  return { fields, locals, homes, envOf, liveIn, clearAtSuspend, successors };
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

/**
 * Predecessors along edges that stay inside one poll: every edge except a suspension's edge to its
 * resume state. Computed once for the whole machine.
 */
function predecessorsInPoll(states: State[], successors: number[][]): number[][] {
  const preds = states.map(() => [] as number[]);
  successors.forEach((succ, from) => {
    const suspends = states[from]!.instrs[states[from]!.instrs.length - 1]?.op === "suspend";
    for (const to of succ) if (!(suspends && states[to]!.info.resume)) preds[to]!.push(from);
  });
  return preds;
}

/** States that can reach `i` in the same poll: walking back stops at resume states (a poll's start). */
function reachingWithinPoll(i: number, states: State[], preds: number[][]): number[] {
  const seen = new Set<number>();
  const stack = [i];
  while (stack.length) {
    const n = stack.pop()!;
    for (const p of preds[n]!) {
      if (seen.has(p)) continue;
      seen.add(p);
      if (!states[p]!.info.resume) stack.push(p);
    }
  }
  return [...seen];
}

export function forEachBindingName(name: ts.BindingName, fn: (id: ts.Identifier) => void): void {
  if (ts.isIdentifier(name)) return fn(name);
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) forEachBindingName(el.name, fn);
}

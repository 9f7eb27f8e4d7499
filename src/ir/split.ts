/**
 * Split: cut the instruction list into numbered states. A state starts at every label that is
 * jumped to, resumed at, or handles exceptions, and wherever the try-table context changes;
 * other labels melt into the state before them. States are numbered in source order.
 *
 * Invariant after this phase: every jump target is the first label of a state.
 */
import type { Handler, Instr, Label, LabelInfo, SuspendKind } from "./ir.js";
import { jumpMarkers } from "./build.js";
import type { BuiltBody } from "./build.js";
import ts from "typescript";

export interface State {
  id: number;
  info: LabelInfo;
  instrs: Instr[];
  handlers: Handler[];
  /** Does control fall off the end into the next state? */
  fallsThrough: boolean;
}

export interface SplitBody {
  states: State[];
  /** Label → state number. */
  stateOf: Map<Label, number>;
}

export function split(body: BuiltBody): SplitBody {
  const referenced = new Set<Label>([0]);
  forEachTransfer(body.instrs, (t) => {
    if (t.to !== "DONE") referenced.add(t.to);
  });
  for (const l of body.labels) for (const h of l.handlers) referenced.add(h.target);

  const states: State[] = [];
  const stateOf = new Map<Label, number>();
  let current: State | undefined;
  for (const instr of body.instrs) {
    if (instr.op === "label") {
      const info = body.labels[instr.label]!;
      const canMerge = current !== undefined && !referenced.has(instr.label) && !endsState(current) && sameHandlers(current.handlers, info.handlers);
      if (canMerge) {
        stateOf.set(instr.label, current!.id);
        continue;
      }
      current = { id: states.length, info, instrs: [], handlers: info.handlers, fallsThrough: true };
      states.push(current);
      stateOf.set(instr.label, current.id);
      continue;
    }
    if (!current) throw new Error("internal: instruction before the first label");
    if (endsState(current)) continue; // unreachable until the next label
    current.instrs.push(instr);
  }
  for (const s of states) s.fallsThrough = !endsState(s);
  return { states, stateOf };
}

function endsState(s: State): boolean {
  const last = s.instrs[s.instrs.length - 1];
  return last !== undefined && (last.op === "jump" || last.op === "return" || last.op === "endFinally" || last.op === "suspend");
}

function sameHandlers(a: readonly Handler[], b: readonly Handler[]): boolean {
  return a.length === b.length && a.every((h, i) => h.kind === b[i]!.kind && h.target === b[i]!.target);
}

/** Calls `fn` with the instructions of every jump marker inside a statement kept whole. */
export function forEachMarker(node: ts.Node, fn: (instrs: Instr[]) => void): void {
  const visit = (n: ts.Node): void => {
    const m = jumpMarkers.get(n);
    if (m) fn(m);
    ts.forEachChild(n, visit);
  };
  visit(node);
}

/**
 * Where control can go from `instrs`: a jump (also the routes out of a finally, and the jumps of
 * statements kept whole, through their markers), a suspension to its resume label, the target a
 * finally's completion records, or a return.
 */
export type Transfer = { to: Label; how: "jump" | "completion" | SuspendKind } | { to: "DONE"; how: "return" };

export function forEachTransfer(instrs: readonly Instr[], fn: (t: Transfer) => void): void {
  for (const i of instrs) {
    switch (i.op) {
      case "jump":
      case "jumpIf":
      case "dropTaken":
        fn({ to: i.target, how: "jump" });
        break;
      case "suspend":
        fn({ to: i.resume, how: i.kind });
        break;
      case "return":
        fn({ to: "DONE", how: "return" });
        break;
      case "complete":
        if (i.completion.type === "jump") fn({ to: i.completion.target, how: "completion" });
        break;
      case "endFinally":
        fn({ to: i.next, how: "jump" });
        forEachTransfer(i.returnRoute, fn);
        for (const [target, route] of i.jumpRoutes) {
          fn({ to: target, how: "jump" });
          forEachTransfer(route, fn);
        }
        break;
      case "inline":
        forEachTransfer(i.instrs, fn);
        break;
      case "stmt":
        forEachMarker(i.node, (m) => forEachTransfer(m, fn));
        break;
    }
  }
}

/**
 * Split: cut the instruction list into numbered states. A state starts at every label that is
 * jumped to, resumed at, or handles exceptions, and wherever the try-table context changes;
 * other labels melt into the state before them. States are numbered in source order.
 *
 * Invariant after this phase: every jump target is the first label of a state.
 */
import type { Handler, Instr, Label, LabelInfo } from "./ir.js";
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
  const note = (instrs: readonly Instr[]): void => {
    for (const i of instrs) {
      switch (i.op) {
        case "jump":
        case "jumpIf":
          referenced.add(i.target);
          break;
        case "suspend":
          referenced.add(i.resume);
          break;
        case "dropTaken":
          referenced.add(i.target);
          break;
        case "complete":
          if (i.completion.type === "jump") referenced.add(i.completion.target);
          break;
        case "endFinally":
          referenced.add(i.next);
          note(i.returnRoute);
          for (const [t, r] of i.jumpRoutes) {
            referenced.add(t);
            note(r);
          }
          break;
        case "inline":
          note(i.instrs);
          break;
        case "stmt":
          forEachMarker(i.node, note);
          break;
      }
    }
  };
  note(body.instrs);
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

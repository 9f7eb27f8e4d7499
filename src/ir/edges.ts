/**
 * The state graph: every way control leaves each state, read off the split instructions.
 *
 *   [source]   async function f(xs) { for (const x of xs) await x; return 1; }
 *   [edges]    0 -next-> 1   1 -jump-> 2   1 -await-> 3   3 -jump-> 1   2 -return-> DONE   ...
 *
 * Jumps hidden in statements kept whole (`break` out of a loop that stays a loop) are found
 * through their markers, and a finally's routes through its `endFinally`. An exception goes to the
 * innermost handler of its state; one that no try catches poisons the machine from any state, and
 * those edges are left out.
 */
import type { EdgeInfo } from "../api.js";
import { forEachTransfer, type SplitBody } from "./split.js";

const SUSPEND_KIND = { await: "await", yield: "yield", yieldStar: "yield*", return: "return" } as const;

export function stateEdges(body: SplitBody): EdgeInfo[] {
  const edges: EdgeInfo[] = [];
  const seen = new Set<string>();
  const add = (from: number, to: number | "DONE", kind: EdgeInfo["kind"]): void => {
    const key = `${from} ${to} ${kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to, kind });
  };
  for (const s of body.states) {
    const to = (label: number): number => {
      const state = body.stateOf.get(label);
      if (state === undefined) throw new Error(`internal: label ${label} has no state`);
      return state;
    };
    forEachTransfer(s.instrs, (t) => {
      // A completion records where a finally carries on; its endFinally makes that edge.
      if (t.how === "completion") return;
      if (t.to === "DONE") add(s.id, "DONE", "return");
      else add(s.id, to(t.to), t.how === "jump" ? "jump" : SUSPEND_KIND[t.how]);
    });
    if (s.fallsThrough) {
      if (s.id + 1 < body.states.length) add(s.id, s.id + 1, "next");
      else add(s.id, "DONE", "return"); // the end of the body
    }
    // Handlers are innermost first: an exception goes to the first; a finally passes it on itself.
    const handler = s.handlers[0];
    if (handler) add(s.id, to(handler.target), handler.kind);
  }
  return edges;
}

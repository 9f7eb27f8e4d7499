/**
 * Phase boundaries as text (`unawait FILE --phase ...`): what the normalizer produced, the IR, the
 * states, and the layout. For reading and for tests; the format is for people, not for parsing.
 */
import ts from "typescript";
import type { Binding, BindingInfo } from "../analyze/bindings.js";
import type { Layout } from "../layout/liveness.js";
import type { Instr, LabelInfo } from "./ir.js";
import type { BuiltBody } from "./build.js";
import { jumpMarkers } from "./build.js";
import { forEachMarker, type SplitBody } from "./split.js";

const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: true });

function text(node: ts.Node, sf: ts.SourceFile, label: (l: number) => string = (l) => `L${l}`): string {
  const marked = (n: ts.Node): ts.Node => {
    const m = jumpMarkers.get(n);
    if (m) return ts.factory.createExpressionStatement(ts.factory.createIdentifier(`«${m.map((i) => instrText(i, sf, label).replace(/\s+/g, " ")).join("; ")}»`));
    return ts.visitEachChild(n, marked, (ts as unknown as { nullTransformationContext: ts.TransformationContext }).nullTransformationContext);
  };
  return printer.printNode(ts.EmitHint.Unspecified, marked(node), sf).replace(/\s*\n\s*/g, " ");
}

export function printNormalized(header: string, statements: readonly ts.Statement[], sf: ts.SourceFile): string {
  const body = ts.factory.createBlock([...statements], true);
  return `${header} ${printer.printNode(ts.EmitHint.Unspecified, body, sf)}`;
}

function instrText(i: Instr, sf: ts.SourceFile, label: (l: number) => string): string {
  switch (i.op) {
    case "stmt":
      return `stmt      ${text(i.node, sf, label)}`;
    case "label":
      return `label     ${label(i.label)}`;
    case "suspend":
      return `suspend   ${i.kind.padEnd(8)} ${i.operand ? text(i.operand, sf) : "undefined"} → ${label(i.resume)}`;
    case "resume":
      return `resume    ${i.kind.padEnd(8)} ${i.target ? text(i.target, sf) : i.kind === "await" ? "(value unused)" : ""}`.trimEnd();
    case "jump":
      return `jump      ${label(i.target)}`;
    case "jumpIf":
      return `jumpIf${i.whenTrue ? "  " : "Not"} ${text(i.cond, sf)} → ${label(i.target)}`;
    case "return":
      return `return    ${i.value ? text(i.value, sf) : "undefined"}`;
    case "complete": {
      const c = i.completion;
      const what = c.type === "jump" ? `jump ${label(c.target)}` : c.type === "return" ? `return ${c.value ? text(c.value, sf) : "undefined"}` : c.type === "forward" ? `forward from try #${c.from}` : "normal";
      return `complete  try #${i.tryId}: ${what}`;
    }
    case "endFinally":
      return `endFinally try #${i.tryId} → ${label(i.next)}${i.returnRoute.length ? " (returns pass through)" : ""}${i.jumpRoutes.size ? ` (jumps to ${[...i.jumpRoutes.keys()].map(label).join(", ")})` : ""}`;
    case "enterScope":
      return `enterScope${i.copyFrom ? " (copy for the next iteration)" : ""}${i.hoisted.length ? ` hoisting ${i.hoisted.map((f) => f.name?.text).join(", ")}` : ""}`;
    case "catchBind":
      return `catchBind ${i.name ? text(i.name, sf) : "(no binding)"}`;
    case "dropTaken":
      return `dropTaken try ${i.tryIds.map((t) => `#${t}`).join(", ")} → ${label(i.target)}`;
    case "inline":
      return `inline    ${i.instrs.map((x) => instrText(x, sf, label)).join("; ")}`;
  }
}

export function printIR(header: string, body: BuiltBody, sf: ts.SourceFile): string {
  const lines = [header];
  const describe = (l: LabelInfo) => `L${l.id}: ${l.what} (line ${l.line})${l.resume ? " [resume]" : ""}`;
  for (const i of body.instrs) {
    if (i.op === "label") lines.push(describe(body.labels[i.label]!));
    else lines.push(`    ${instrText(i, sf, (l) => `L${l}`)}`);
  }
  return lines.join("\n");
}

export function printStates(header: string, split: SplitBody, sf: ts.SourceFile): string {
  const lines = [header];
  const state = (l: number) => `state ${split.stateOf.get(l)}`;
  for (const s of split.states) {
    const handler = s.handlers[0];
    lines.push(`state ${s.id}: ${s.info.what} (line ${s.info.line})${s.info.resume ? " [resume]" : ""}${handler ? `  throws → ${handler.kind} (state ${split.stateOf.get(handler.target)})` : ""}`);
    for (const i of s.instrs) lines.push(`    ${instrText(i, sf, state)}`);
    if (s.fallsThrough && s.id + 1 < split.states.length) lines.push(`    (falls through to state ${s.id + 1})`);
  }
  return lines.join("\n");
}

export function printLayout(header: string, layout: Layout, info: BindingInfo, split: SplitBody, method = "poll"): string {
  const name = (b: Binding) => {
    const h = layout.homes.get(b);
    return h && h.kind !== "env" ? h.name : b.name;
  };
  const lines = [header];
  lines.push(`fields:  ${layout.fields.map(name).join(", ") || "(none)"}`);
  lines.push(`locals of ${method}:  ${layout.locals.map(name).join(", ") || "(none)"}`);
  for (const [scope, env] of layout.envOf) {
    const slots = [...scope.bindings.values()].filter((b) => b.captured).map((b) => b.name);
    lines.push(`environment ${name(env)} (captured by closures): ${slots.join(", ")}`);
  }
  split.states.forEach((s, i) => {
    const live = [...layout.liveIn[i]!].map(name);
    const cleared = layout.clearAtSuspend[i]!.map(name);
    const left = [...new Set([...jumpsOf(s.instrs).flatMap((j) => layout.clearOnJump.get(j) ?? []), ...layout.clearAtFallThrough[i]!])].map(name);
    const suspends = cleared.length ? `; cleared when it suspends: ${cleared.join(", ")}` : "";
    const exits = left.length ? `; cleared when it leaves: ${left.join(", ")}` : "";
    lines.push(`state ${s.id}: live on entry: ${live.join(", ") || "-"}${suspends}${exits}`);
  });
  void info;
  return lines.join("\n");
}

/** Every instruction of a state, also those inside statements (jump markers) and inline groups. */
function jumpsOf(instrs: readonly Instr[]): Instr[] {
  const out: Instr[] = [];
  const visit = (i: Instr): void => {
    out.push(i);
    if (i.op === "inline") i.instrs.forEach(visit);
    if (i.op === "stmt") forEachMarker(i.node, (inner) => inner.forEach(visit));
  };
  instrs.forEach(visit);
  return out;
}

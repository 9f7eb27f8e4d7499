/**
 * The state graph of a machine as text a renderer draws: Mermaid (GitHub, GitLab and most
 * Markdown viewers draw it in place) or Graphviz DOT (`dot -Tsvg`).
 *
 *   [machine]  0 start → 1 try, 1 -await-> 2, 2 -return-> DONE, 1 -catch-> 3
 *   [mermaid]  flowchart TD
 *                s0["0 · start · line 1"]
 *                s1 ==>|await| s2
 *                s1 -.->|catch| s3
 *
 * Suspensions are drawn thick (that is where the machine stops and something else runs),
 * exceptions dotted, everything else plain.
 */
import type { EdgeInfo, MachineInfo } from "../api.js";

export type GraphFormat = "mermaid" | "dot";

export function renderGraph(machine: MachineInfo, format: GraphFormat): string {
  return format === "dot" ? dot(machine) : mermaid(machine);
}

const SUSPENDS = new Set<EdgeInfo["kind"]>(["await", "yield", "yield*"]);
const THROWS = new Set<EdgeInfo["kind"]>(["catch", "finally"]);

function stateText(machine: MachineInfo, id: number): string {
  const s = machine.states[id]!;
  const live = s.live.length ? ` · live: ${s.live.join(", ")}` : "";
  return `${s.id} · ${s.label} · line ${s.line}${live}`;
}

function title(machine: MachineInfo): string {
  return `${machine.name} (${machine.fileName}:${machine.line})`;
}

function mermaid(machine: MachineInfo): string {
  // Mermaid reads `#name;` as an entity: write `#`, quotes and angle brackets as entities.
  const escape = (text: string): string => text.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
  const node = (to: number | "DONE"): string => (to === "DONE" ? "DONE" : `s${to}`);
  const lines = ["flowchart TD", `  %% ${title(machine).replace(/\n/g, " ")}`];
  for (const s of machine.states) lines.push(`  s${s.id}["${escape(stateText(machine, s.id))}"]`);
  if (machine.edges.some((e) => e.to === "DONE")) lines.push(`  DONE(["DONE"])`);
  for (const e of machine.edges) {
    const arrow = SUSPENDS.has(e.kind) ? "==>" : THROWS.has(e.kind) ? "-.->" : "-->";
    const label = e.kind === "next" || e.kind === "jump" ? "" : `|${e.kind}|`;
    lines.push(`  ${node(e.from)} ${arrow}${label} ${node(e.to)}`);
  }
  return lines.join("\n") + "\n";
}

function dot(machine: MachineInfo): string {
  const quote = (text: string): string => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  const node = (to: number | "DONE"): string => (to === "DONE" ? "DONE" : `s${to}`);
  const lines = [`digraph ${quote(title(machine))} {`, `  node [shape=box, fontname="monospace"];`];
  for (const s of machine.states) lines.push(`  s${s.id} [label=${quote(stateText(machine, s.id))}];`);
  if (machine.edges.some((e) => e.to === "DONE")) lines.push(`  DONE [shape=doublecircle];`);
  for (const e of machine.edges) {
    const attrs: string[] = [];
    if (e.kind !== "next" && e.kind !== "jump") attrs.push(`label=${quote(e.kind)}`);
    if (SUSPENDS.has(e.kind)) attrs.push("style=bold");
    if (THROWS.has(e.kind)) attrs.push("style=dashed");
    lines.push(`  ${node(e.from)} -> ${node(e.to)}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

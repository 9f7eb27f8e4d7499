import { lower } from "../../src/index.js";
import { hasErrors } from "../../src/report/index.js";
import { renderGraph } from "../../src/report/graph.js";
import type { GraphArgs } from "../args.js";
import { printDiagnostics } from "../diagnostics.js";
import { readSource } from "../input.js";
import { writeOutput } from "../output.js";
import { ExitCode } from "../usage-error.js";

/**
 * `unawait graph FILE`: the state graph of each machine in FILE (or of `--function NAME`), as
 * Mermaid or, with `--dot`, Graphviz DOT; one graph after another, a blank line between them.
 */
export async function graphCommand(args: GraphArgs): Promise<number> {
  const source = await readSource(args.file);
  const result = lower(source.text, { fileName: source.fileName, mode: args.mode, functionName: args.functionName, strict: args.strict });
  printDiagnostics(result.diagnostics, source.text);
  if (hasErrors(result.diagnostics)) return ExitCode.failed;
  if (result.machines.length === 0) {
    process.stderr.write(`${source.fileName}: no async function, generator or async generator${args.functionName !== undefined ? ` named ${args.functionName}` : ""} to draw\n`);
    return ExitCode.failed;
  }
  await writeOutput(result.machines.map((m) => renderGraph(m, args.dot ? "dot" : "mermaid")).join("\n"), args.out);
  return ExitCode.ok;
}

import { createTwoFilesPatch } from "diff";
import { lower } from "../../src/index.js";
import { hasErrors } from "../../src/report/index.js";
import type { LowerArgs } from "../args.js";
import { printDiagnostics } from "../diagnostics.js";
import { formatTypeScript } from "../format.js";
import { readSource } from "../input.js";
import { writeOutput } from "../output.js";
import { ExitCode } from "../usage-error.js";

/**
 * `unawait FILE` and `unawait lower FILE|-`: print (or write) the lowered code, or with `--diff`
 * a unified diff from the source to it. Nothing is printed or written when there are errors.
 */
export async function lowerCommand(args: LowerArgs): Promise<number> {
  const source = await readSource(args.file);
  const result = lower(source.text, {
    fileName: source.fileName,
    mode: args.mode,
    target: args.target,
    runtime: args.runtime,
    functionName: args.functionName,
    phase: args.phase,
    strict: args.strict,
    lang: args.lang,
    sourceType: args.sourceType,
  });
  printDiagnostics(result.diagnostics, source.text);
  if (hasErrors(result.diagnostics)) return ExitCode.failed;

  const code = args.target === "ts" && !args.phase ? await formatted(result.code) : result.code;
  const output = args.diff ? diffFromSource(source.fileName, source.text, code, args.target) : code;
  await writeOutput(output, args.out);
  return ExitCode.ok;
}

async function formatted(code: string): Promise<string> {
  const outcome = await formatTypeScript(code);
  if (!outcome.ok) process.stderr.write(`warning: printing the lowered code unformatted; ${outcome.reason}\n`);
  return outcome.code;
}

/** `--- shop.ts` / `+++ shop.lowered.ts` (or `.lowered.js`). */
function diffFromSource(fileName: string, source: string, lowered: string, target: "ts" | "js"): string {
  const loweredName = `${fileName.replace(/\.[cm]?[jt]sx?$/, "")}.lowered.${target}`;
  return createTwoFilesPatch(fileName, loweredName, source, lowered, undefined, undefined, { context: 3 }).replace(/^=+\n/, "");
}

import { format } from "prettier";
import ts from "typescript";

export type FormatOutcome = { ok: true; code: string } | { ok: false; code: string; reason: string };

/**
 * Formats lowered TypeScript with prettier. `lower()` is synchronous and prettier 3 is not, so
 * the CLI formats even when it asked `lower()` to (`format: true`); prettier is idempotent.
 * Code prettier cannot parse comes back as it was, with the reason; so does code whose formatted
 * text TypeScript's parser refuses: prettier drops the parentheses of `[x = ("x" in {})]` in a
 * `for` head, which TypeScript then misreads (src/inInLoopHead.ts).
 */
export async function formatTypeScript(code: string): Promise<FormatOutcome> {
  let formatted: string;
  try {
    formatted = await format(code, { parser: "typescript" });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, code, reason: `prettier could not parse it: ${reason}` };
  }
  const refused = firstParseError(formatted);
  if (refused !== undefined && firstParseError(code) === undefined) return { ok: false, code, reason: `TypeScript's parser refuses prettier's formatting of it: ${refused}` };
  return { ok: true, code: formatted };
}

function firstParseError(code: string): string | undefined {
  const sf = ts.createSourceFile("lowered.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const [first] = (sf as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (first === undefined) return undefined;
  const { line, character } = sf.getLineAndCharacterOfPosition(first.start);
  return `${ts.flattenDiagnosticMessageText(first.messageText, " ")} at line ${line + 1}, column ${character + 1}`;
}

import ts from "typescript";
import { misreadInOperators, respellAt, restoreInOperators } from "../inInLoopHead.js";

/**
 * TypeScript to JavaScript with nothing else changed: target ES2022 keeps `async`/`await`,
 * generators and class fields native, modules stay ES modules, and no "use strict" is added
 * (a script keeps sloppy-mode semantics, as the fixtures need).
 *
 * Harmless on code that is already JavaScript, which is why lowered output goes through it too:
 * both sides of a comparison are then compiled by the same function.
 *
 * An `in` TypeScript's parser misreads (in an array literal in a `for` head) is respelled for its
 * parse and restored in the output, as lower() does (inInLoopHead.ts): transpiling the source as
 * written would drop the `in` (`[x = "x" in {}]` → `[x = "x", {}]`).
 */
export function stripTypes(source: string, fileName: string): string {
  // Parsed once more only when there can be such an `in`: a `for` with an `in` after it.
  const ins = /\bfor\b[^]*\bin\b/.test(source) ? misreadInOperators(source, (text) => ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true)) : [];
  const lost = (at: number): never => {
    throw new Error(`stripTypes: the \`in\` at offset ${at} of ${fileName} was lost in TypeScript's output`);
  };
  return ts.transpileModule(ins.length > 0 ? respellAt(source, ins) : source, {
    fileName,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      alwaysStrict: false,
      // `alwaysStrict: false` is deprecated in TypeScript 6 (it warns); we need it for scripts.
      ignoreDeprecations: "6.0",
      sourceMap: false,
    },
    transformers: ins.length > 0 ? { before: [restoreInOperators(ins, lost)] } : undefined,
  }).outputText;
}

import ts from "typescript";

/**
 * TypeScript to JavaScript with nothing else changed: target ES2022 keeps `async`/`await`,
 * generators and class fields native, modules stay ES modules, and no "use strict" is added
 * (a script keeps sloppy-mode semantics, as the fixtures need).
 *
 * Harmless on code that is already JavaScript, which is why lowered output goes through it too:
 * both sides of a comparison are then compiled by the same function.
 */
export function stripTypes(source: string, fileName: string): string {
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      alwaysStrict: false,
      // `alwaysStrict: false` is deprecated in TypeScript 6 (it warns); we need it for scripts.
      ignoreDeprecations: "6.0",
      sourceMap: false,
    },
  }).outputText;
}

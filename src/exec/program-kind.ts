import ts from "typescript";
import type { ProgramKind } from "./program.js";

/**
 * Whether a source file is an ES module or a classic script, the way Node would have to load it:
 * - the extension decides when it says (`.mts`/`.mjs` module, `.cts`/`.cjs` script);
 * - otherwise `import`/`export` declarations or `import.meta` make a module (TypeScript's rule);
 * - and so does a top-level `await`, which a script could not even parse (Node's own syntax
 *   detection does the same).
 */
export function detectProgramKind(source: string, fileName: string): ProgramKind {
  if (/\.m[jt]s$/i.test(fileName)) return "module";
  if (/\.c[jt]s$/i.test(fileName)) return "script";
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  return ts.isExternalModule(file) || hasTopLevelAwait(file) ? "module" : "script";
}

/** An `await` (or `for await`) outside every function body. */
function hasTopLevelAwait(file: ts.SourceFile): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isFunctionLike(node)) return false;
    if (ts.isAwaitExpression(node)) return true;
    if (ts.isForOfStatement(node) && node.awaitModifier !== undefined) return true;
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(file);
}

/**
 * What `unawait run` appends to a program that exports `main`: unawait's `#[tokio::main]`. The
 * exported `main` becomes the root task of an executor with the clock asked for, and futures the
 * program awaits outside its tasks run on that executor too.
 *
 *   [source]   export async function main() { await sleep(1000); console.log("done"); }
 *   [appended] { const $runtime = new $rt.Runtime({ clock: "virtual" }); ...
 *                // In promise mode main returns a promise that the runtime's own timers move on: it must not hold the virtual clock.
  const $main = main();
  if ($main !== null && typeof $main === "object") $rt.internalPromise($main);
  $runtime.blockOn($rt.intoFuture($main), "main") ... }
 *
 * A failing `main` fails the program as an uncaught error would (exit code 1, the error on
 * stderr). A `main` still waiting when nothing is left to run is reported, with exit code 1. On
 * the virtual clock the driver says on stderr how much virtual time the run took.
 */
import ts from "typescript";

export interface MainDriverOptions {
  clock: "real" | "virtual";
  trace: boolean;
}

/** Does the module export a binding named `main`? */
export function exportsMain(source: string, fileName: string): boolean {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const exported = (node: ts.Node): boolean => ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
  return sf.statements.some((s) => {
    if (ts.isFunctionDeclaration(s)) return exported(s) && s.name?.text === "main";
    if (ts.isVariableStatement(s)) return exported(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === "main");
    if (ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause)) {
      return s.exportClause.elements.some((e) => e.name.text === "main");
    }
    return false;
  });
}

/** The statements appended to the program (which has `$rt`, the inline runtime, in scope). */
export function mainDriver(options: MainDriverOptions): string {
  const trace = options.trace ? `, trace: $rt.traceTo((line) => process.stderr.write(line + "\\n"))` : "";
  const report =
    options.clock === "virtual"
      ? `() => process.stderr.write("unawait: main finished after " + $runtime.now() + " ms of virtual time\\n")`
      : `() => {}`;
  return `
// unawait run: the exported main is the root task of an executor (its #[tokio::main]).
if (typeof $rt === "undefined") main();
else {
  const $runtime = new $rt.Runtime({ clock: ${JSON.stringify(options.clock)}${trace} });
  $rt.setAmbientRuntime($runtime);
  let $finished = false;
  // In promise mode main returns a promise that the runtime's own timers move on: it must not hold the virtual clock.
  const $main = main();
  if ($main !== null && typeof $main === "object") $rt.internalPromise($main);
  $runtime.blockOn($rt.intoFuture($main), "main").then(() => { $finished = true; (${report})(); }, (error) => {
    $finished = true;
    process.exitCode = 1;
    setTimeout(() => { throw error; });
  });
  process.on("exit", () => {
    if ($finished) return;
    process.stderr.write("unawait: main did not finish: every task is waiting, and nothing is left that could wake one (a promise that never settles; on the virtual clock, a promise the executor cannot see, such as Promise.all of futures, which holds the clock: use join or joinAll; or tasks waiting on each other)\\n");
    process.exitCode = 1;
  });
}
`;
}

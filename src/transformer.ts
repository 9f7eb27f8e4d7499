/**
 * `unawait/transformer`: the ts-patch plugin. Lowers every async function of a project while
 * `tspc` (or a `tsc` patched with `ts-patch install`) compiles it:
 *
 *     "compilerOptions": { "plugins": [{ "transform": "unawait/transformer" }] }
 *
 * ts-patch calls the default export as `(program, config, extras)` (a "program" plugin, the default
 * type) and runs the factory it returns as a `before` transformer, on the TypeScript AST before the
 * compiler's own transforms. The machines refer to the runtime as `$rt`; an import of
 * "unawait/runtime" is added to each file that got a machine (a `require` in a script), and the
 * compiler's module transform then turns it into whatever the output format needs (a `require` for
 * CommonJS, an `import` for ES modules). So the compiled program needs `unawait` as a runtime
 * dependency.
 *
 * Diagnostics go through `extras.addDiagnostic`: they are printed with the compiler's own, and an
 * error makes `tsc` exit non-zero (the file is then emitted unlowered). Without `extras` (the
 * factory called by some other host, e.g. `getCustomTransformers` of a bundler loader) warnings go
 * to stderr and an error throws.
 *
 * Loading: ts-patch loads transformers with `require()`. The package's `exports["./transformer"]`
 * sends `require` to `transformer.cjs` (built from transformer.cts), which `require()`s this ES
 * module; that needs Node.js >= 20.19 or >= 22.12 (require(esm)).
 */
import { posix } from "node:path";
import ts from "typescript";
import type { Diagnostic } from "./api.js";
import { modeOf, refusals } from "./refusals.js";
import { unusedFutures } from "./analyze/mustUse.js";
import { unawaitTransformer, type TransformReport } from "./transform.js";
import { identifiersIn, runtimeNameIn } from "./names.js";
import { renameRuntime } from "./emit/runtimeName.js";

/** The module the generated code's `$rt` comes from. */
export const RUNTIME_MODULE = "unawait/runtime";

/** The plugin's entry in `compilerOptions.plugins`. ts-patch's own keys (`transform`, `after`, ...) are ignored. */
export interface UnawaitPluginConfig {
  /** "promise" (default) or "future" (Rust's lazy futures). A `// @unawait-mode` pragma in a file wins. */
  mode?: "promise" | "future";
  /**
   * A function with `with` or a direct `eval` is left native with a warning (promise mode);
   * `"strict": true` makes it an error that fails the build.
   */
  strict?: boolean;
  [key: string]: unknown;
}

/** What ts-patch passes as the third argument of a "program" plugin (a subset of its `TransformerExtras`). */
export interface UnawaitTransformerExtras {
  /** The TypeScript instance doing the compilation. */
  ts?: typeof ts;
  addDiagnostic?: (diagnostic: ts.Diagnostic) => number;
}

/** Diagnostic codes as TypeScript numbers: UA2001 → 92001 (printed "TS92001"), the UA code is repeated in the message. */
const diagnosticNumber = (code: string): number => 90000 + (Number(/\d+$/.exec(code)?.[0]) || 0);

export default function unawaitPlugin(
  program?: ts.Program,
  config: UnawaitPluginConfig = {},
  extras: UnawaitTransformerExtras = {},
): ts.TransformerFactory<ts.SourceFile> {
  const host = extras.ts;
  // Problems that stop the plugin before it looks at any file, reported once.
  let setupProblem: Diagnostic | undefined;
  const problem = (code: string, message: string): Diagnostic => ({ severity: "error", code, message, fileName: "unawait/transformer", line: 1, column: 1, start: 0, length: 0 });
  if (host && host.versionMajorMinor !== ts.versionMajorMinor) {
    // transform.ts and the phases build nodes with the `typescript` this package depends on; the
    // compiler's emitter must agree with it on SyntaxKind numbers, which change between minor versions.
    setupProblem = problem(
      "UA0004",
      `unawait/transformer was built against TypeScript ${ts.versionMajorMinor} but this compiler is TypeScript ${host.version}; nothing was lowered (install a matching typescript, or let npm dedupe unawait's copy)`,
    );
  } else if (config.mode !== undefined && config.mode !== "promise" && config.mode !== "future") {
    setupProblem = problem("UA0005", `unawait/transformer: unknown mode ${JSON.stringify(config.mode)} in the plugin's options (promise or future); nothing was lowered`);
  } else if (config.strict !== undefined && typeof config.strict !== "boolean") {
    setupProblem = problem("UA0005", `unawait/transformer: "strict" in the plugin's options must be true or false, not ${JSON.stringify(config.strict)}; nothing was lowered`);
  }
  let setupReported = false;
  // Names in legends and diagnostics relative to the project (the tsconfig's directory), so that
  // the emitted comments do not depend on where the project was checked out.
  const configFile = program?.getCompilerOptions().configFilePath;
  const base = typeof configFile === "string" ? posix.dirname(configFile.replace(/\\/g, "/")) : program?.getCurrentDirectory().replace(/\\/g, "/");
  const displayName = (fileName: string): string => {
    if (!base) return fileName;
    const relative = posix.relative(base, fileName.replace(/\\/g, "/"));
    return relative && !posix.isAbsolute(relative) ? relative : fileName;
  };

  const surface = (all: readonly Diagnostic[], file: ts.SourceFile | undefined): void => {
    // Warnings go to stderr, in the compiler's format: handed to tsc, any diagnostic would make the
    // build exit with status 2, and a warning must not fail a build.
    for (const d of all.filter((x) => x.severity === "warning")) process.stderr.write(`${d.fileName}(${d.line},${d.column}): warning ${d.code}: ${d.message}\n`);
    const diagnostics = all.filter((d) => d.severity !== "warning");
    if (diagnostics.length === 0) return;
    if (extras.addDiagnostic) {
      for (const d of diagnostics) extras.addDiagnostic(toTsDiagnostic(d, file));
      return;
    }
    for (const d of diagnostics) {
      const where = d.length === 0 && d.start === 0 ? d.fileName : `${d.fileName}:${d.line}:${d.column}`;
      process.stderr.write(`${where} - ${d.severity} ${d.code}: ${d.message}\n`);
    }
    const errors = diagnostics.filter((d) => d.severity === "error");
    if (errors.length) throw new Error(`unawait: ${errors.length} error(s) in ${errors[0]!.fileName}:\n${errors.map((d) => `  ${d.line}:${d.column} ${d.code}: ${d.message}`).join("\n")}`);
  };

  return (context) => (sourceFile) => {
    if (!ts.isSourceFile(sourceFile) || sourceFile.isDeclarationFile) return sourceFile;
    if (setupProblem) {
      if (!setupReported) {
        setupReported = true;
        surface([setupProblem], undefined);
      }
      return sourceFile;
    }
    if (!sourceFile.text.includes("async")) return sourceFile;
    const parsed = program?.getSourceFile(sourceFile.fileName) ?? sourceFile;
    const fileName = displayName(sourceFile.fileName);
    // The compiler reports syntax errors itself; a file that has them is not lowered.
    if (program && program.getSyntacticDiagnostics(parsed).length > 0) return sourceFile;

    const mode = modeOf(sourceFile.text, config.mode);
    const refused = refusals(sourceFile, fileName, { mode, strict: config.strict === true });
    if (refused.diagnostics.some((d) => d.severity === "error")) {
      surface(refused.diagnostics, parsed);
      return sourceFile;
    }

    const report: TransformReport = { machines: [], diagnostics: [...refused.diagnostics, ...(mode === "future" ? unusedFutures(parsed, fileName, program?.getTypeChecker()) : [])] };
    const transformer = unawaitTransformer({ fileName, mode, leftNative: refused.leftNative, hasDirectEval: refused.hasDirectEval }, report);
    const runtimeName = runtimeNameIn(identifiersIn(sourceFile));
    const lowered = renameRuntime(runtimeName)(context)(transformer(context)(sourceFile));
    surface(report.diagnostics, parsed);
    if (report.diagnostics.some((d) => d.severity === "error")) return sourceFile;
    if (report.machines.length === 0) return lowered;
    return linkRuntime(lowered, ts.isExternalModule(sourceFile), runtimeName);
  };
}

export { unawaitPlugin };

function toTsDiagnostic(d: Diagnostic, file: ts.SourceFile | undefined): ts.Diagnostic {
  return {
    file,
    start: file ? d.start : undefined,
    length: file ? d.length : undefined,
    messageText: `${d.code}: ${d.message}`,
    category: d.severity === "error" ? ts.DiagnosticCategory.Error : ts.DiagnosticCategory.Warning,
    code: diagnosticNumber(d.code),
    source: "unawait",
  };
}

/**
 * Puts `$rt` in reach of the generated code, after the directive prologue: `import * as $rt from
 * "unawait/runtime"` in a module (the compiler lowers it for CommonJS output), `const $rt =
 * require("unawait/runtime")` in a script. The AST twin of lower.ts's `linkRuntime`.
 */
function linkRuntime(sf: ts.SourceFile, isModule: boolean, name: string): ts.SourceFile {
  const f = ts.factory;
  if (name === "$rt" && sf.statements.some(declaresRuntime)) return sf;
  const link: ts.Statement = isModule
    ? f.createImportDeclaration(undefined, f.createImportClause(undefined, undefined, f.createNamespaceImport(f.createIdentifier(name))), f.createStringLiteral(RUNTIME_MODULE))
    : f.createVariableStatement(
        undefined,
        f.createVariableDeclarationList(
          [f.createVariableDeclaration(name, undefined, undefined, f.createCallExpression(f.createIdentifier("require"), undefined, [f.createStringLiteral(RUNTIME_MODULE)]))],
          ts.NodeFlags.Const,
        ),
      );
  let at = 0;
  while (at < sf.statements.length && isPrologueDirective(sf.statements[at]!)) at++;
  return f.updateSourceFile(sf, [...sf.statements.slice(0, at), link, ...sf.statements.slice(at)]);
}

function isPrologueDirective(s: ts.Statement): boolean {
  return ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression);
}

/** The file already imports the runtime as `$rt` (written by hand, or a second pass). */
function declaresRuntime(s: ts.Statement): boolean {
  if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || s.moduleSpecifier.text !== RUNTIME_MODULE) return false;
  const bindings = s.importClause?.namedBindings;
  return !!bindings && ts.isNamespaceImport(bindings) && bindings.name.text === "$rt";
}


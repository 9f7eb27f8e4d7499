/**
 * The library API: `lower(source, options)` → `{ code, map, machines, diagnostics }`.
 *
 * Parses the file (parseSource.ts), refuses syntax errors with a diagnostic and no code, leaves
 * native what it cannot lower faithfully (`with`, direct `eval`: refusals.ts), runs the
 * transformer, prints TypeScript or JavaScript, links the runtime (an import, or the runtime
 * pasted in: emit/runtimeLink.ts), and parses what it printed once more: output that would not
 * parse is never returned.
 */
import ts from "typescript";
import vm from "node:vm";
import type { Diagnostic, LowerOptions, LowerResult, SourceMapV3 } from "./api.js";
import { unawaitTransformer, type TransformReport } from "./transform.js";
import { modeOf, refusals } from "./refusals.js";
import { identifiersIn, runtimeNameIn } from "./names.js";
import { renameRuntime } from "./emit/runtimeName.js";
import { hasTopLevelLexical, privateScriptScope } from "./emit/scriptScope.js";
import { linkRuntime, pasteIntoScope, replaceLines, runtimeStandIn, type Linked } from "./emit/runtimeLink.js";
import { importsRuntime, runtimeImportsFromInline } from "./runtimeImports.js";
import { unusedFutures } from "./analyze/mustUse.js";
import { restoreAwaitNames } from "./awaitAsName.js";
import { quoteInOperatorsAsWritten, respellAt, restoreInOperators } from "./inInLoopHead.js";
import { inlineRuntimeParseProblem, outputParseProblem } from "./outputParses.js";
import { goalErrors, parse, syntaxErrors } from "./parseSource.js";

export function lower(source: string, options: LowerOptions = {}): LowerResult {
  const fileName = options.fileName ?? "input.ts";
  const { sf, kind, text, respelled, inOperators, isModule, sourceSaysModule } = parse(fileName, source, options);
  const mode = modeOf(source, options.mode);
  const refused = refusals(sf, fileName, { mode, strict: options.strict });
  const diagnostics = [...syntaxErrors(sf, fileName), ...goalErrors(sf, kind, fileName, options), ...refused.diagnostics];
  if (mode === "future" && !hasErrors(diagnostics)) diagnostics.push(...unusedFutures(sf, fileName));
  if (!hasErrors(diagnostics) && !isModule) diagnostics.push(...earlyErrors(source, kind, fileName, sf, inOperators));
  if (hasErrors(diagnostics)) return { code: "", machines: [], diagnostics };

  const report: TransformReport = { machines: [], diagnostics };
  const boundaries: string[] = [];
  const observe = options.phase ? (phase: string, text: string) => void (phase === options.phase && boundaries.push(text)) : undefined;
  // The program's own imports of the runtime read the pasted copy when there is one.
  const inline = (options.runtime ?? "import") === "inline";
  const linksRuntime = importsRuntime(sf);
  const runtimeName = runtimeNameIn(identifiersIn(sf));
  const linked = (): boolean => !options.phase && (report.machines.length > 0 || (inline && linksRuntime));
  // A script with the runtime pasted in keeps it out of the global scope (emit/scriptScope.ts).
  const privateScope = inline && !isModule && !hasTopLevelLexical(sf);
  const after = [
    ...(inline && linksRuntime ? [runtimeImportsFromInline()] : []),
    ...(privateScope ? [privateScriptScope(linked)] : []),
    renameRuntime(runtimeName),
    ...(inOperators ? [restoreInOperators(inOperators, (at) => report.diagnostics.push(lostInOperator(sf, fileName, at)))] : []),
  ];
  const transformer = unawaitTransformer({ fileName, functionName: options.functionName, observe, mode, leftNative: refused.leftNative, hasDirectEval: refused.hasDirectEval }, report);
  const first = inOperators ? [quoteInOperatorsAsWritten(inOperators)] : [];
  let code: string;
  let map: SourceMapV3 | undefined;
  if (options.target === "js") {
    // transpileModule runs the transformer on its own parse of the source, so the JavaScript it
    // prints comes with a source map back to the original lines.
    const out = ts.transpileModule(text, {
      fileName: kind === ts.ScriptKind.JS ? "input.js" : kind === ts.ScriptKind.TSX ? "input.tsx" : kind === ts.ScriptKind.JSX ? "input.jsx" : "input.ts",
      compilerOptions: { ...jsOptions, sourceMap: true, inlineSources: true, moduleDetection: isModule ? ts.ModuleDetectionKind.Force : ts.ModuleDetectionKind.Legacy },
      transformers: { before: [...first, transformer, ...after] },
    });
    code = out.outputText.replace(/\n?\/\/# sourceMappingURL=.*\s*$/, "\n");
    // A module that neither imports nor exports (a top-level await, --module) stays that way: the
    // `export {};` TypeScript adds to mark it would make it say more than its source.
    if (isModule && !sourceSaysModule) code = code.replace(/^export \{\};\n(?![^]*\n)/m, "");
    map = out.sourceMapText ? (JSON.parse(out.sourceMapText) as SourceMapV3) : undefined;
    if (map) map.sources = [fileName];
    if (map?.sourcesContent) map.sourcesContent = [source];
  } else {
    const result = ts.transform(sf, [...first, transformer, ...after]);
    code = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed }).printFile(result.transformed[0]!);
    result.dispose();
  }
  code = restoreAwaitNames(code, respelled);
  if (hasErrors(report.diagnostics)) return { code: "", machines: [], diagnostics: report.diagnostics };
  if (options.functionName !== undefined && report.machines.length === 0) {
    report.diagnostics.push({ severity: "error", code: "UA0002", message: `no async function named \`${options.functionName}\` in this file`, fileName, line: 1, column: 1, start: 0, length: 0 });
    return { code: "", machines: [], diagnostics: report.diagnostics };
  }
  if (options.phase) return { code: boundaries.join("\n\n") + "\n", machines: report.machines, diagnostics: report.diagnostics };
  // What is checked: the program as linked, the pasted runtime (checked once: outputParses.ts) stood in for by one line.
  let checked = code;
  let checkedLink: Linked | undefined;
  if (linked()) {
    const link = (runtime?: (name: string) => string): Linked =>
      privateScope ? pasteIntoScope(code, runtimeName, runtime) : linkRuntime(code, options.runtime ?? "import", isModule, options.target !== "js", runtimeName, runtime);
    const real = link();
    checkedLink = inline ? link(runtimeStandIn) : real;
    checked = checkedLink.code;
    code = real.code;
    if (map) map.mappings = replaceLines(map.mappings, real.atLine, real.replaced, real.lines);
  }
  const problem = (inline && linked() ? inlineRuntimeParseProblem(runtimeName) : undefined) ?? outputParseProblem(checked, options.target ?? "ts", isModule, kind);
  // A line after the stand-in is that many lines further down in the real output.
  const unparsable = problem && checkedLink && inline && problem.line > checkedLink.atLine + 1 ? { ...problem, line: problem.line + linkedLines(code) - linkedLines(checked) } : problem;
  if (unparsable) {
    const message = `internal error: unawait wrote ${options.target === "js" ? "JavaScript" : "TypeScript"} that does not parse (a bug in unawait; please report it with this file): ${unparsable.message}, at line ${unparsable.line} of the output`;
    return { code: "", machines: [], diagnostics: [...report.diagnostics, { severity: "error", code: "UA9001", message, fileName, line: 1, column: 1, start: 0, length: 0 }] };
  }
  return { code, map, machines: report.machines, diagnostics: report.diagnostics };
}

const jsOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, useDefineForClassFields: true, verbatimModuleSyntax: false, ignoreDeprecations: "6.0", alwaysStrict: false } as ts.CompilerOptions;

/** A respelled `in` the lowering did not keep: printing its `<=` would change what the program does. */
function lostInOperator(sf: ts.SourceFile, fileName: string, at: number): Diagnostic {
  const { line, character } = sf.getLineAndCharacterOfPosition(at);
  const message = "internal error: unawait lost track of this `in` operator (read as `<=` for TypeScript's parser, which refuses an `in` inside an array literal in a `for` head); a bug in unawait, please report it with this file; parenthesizing the `in` expression avoids it";
  return { severity: "error", code: "UA9001", message, fileName, line: line + 1, column: character + 1, start: at, length: 2 };
}

function linkedLines(code: string): number {
  return code.split("\n").length;
}

function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/**
 * Early errors TypeScript's parser lets through (`(await x) = 1`, `await` as a nested binding name,
 * ...) would make a program that the engine refuses turn into one that runs. The engine's own
 * parser decides: the script, types stripped, is compiled (not run) by `vm.Script`.
 */
function earlyErrors(source: string, kind: ts.ScriptKind, fileName: string, sf: ts.SourceFile, inOperators: readonly number[] | undefined): Diagnostic[] {
  // JavaScript is checked as written (re-printing would drop, say, a rest parameter's trailing comma);
  // TypeScript with its types stripped.
  // `using` declarations too, which this engine may not parse: TypeScript writes them out.
  const asWritten = (kind === ts.ScriptKind.JS || !hasTypeScriptSyntax(sf)) && !declaresUsing(sf);
  const inputName = kind === ts.ScriptKind.JS ? "input.js" : "input.ts";
  // TypeScript's own parse of the source is what it strips: with `in` respelled where it misreads
  // one (inInLoopHead.ts; `<=` has the same early errors).
  const js = asWritten ? source : ts.transpileModule(inOperators ? respellAt(source, inOperators) : source, { fileName: inputName, compilerOptions: { ...jsOptions, sourceMap: false } }).outputText;
  try {
    new vm.Script(js, { filename: fileName });
    return [];
  } catch (e) {
    if (!(e instanceof SyntaxError)) return [];
    const line = Number(/:(\d+)\n/.exec(String((e as Error).stack))?.[1] ?? "1");
    const start = source.split("\n").slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
    return [{ severity: "error", code: "UA1001", message: `syntax error: ${e.message}`, fileName, line, column: 1, start, length: 0 }];
  }
}

/** Does the file declare anything with `using` or `await using`? */
function declaresUsing(sf: ts.SourceFile): boolean {
  const visit = (n: ts.Node): boolean => {
    if (ts.isVariableDeclarationList(n)) {
      const scoped = n.flags & ts.NodeFlags.BlockScoped;
      if (scoped === ts.NodeFlags.Using || scoped === ts.NodeFlags.AwaitUsing) return true;
    }
    return ts.forEachChild(n, (c) => (visit(c) ? true : undefined)) ?? false;
  };
  return visit(sf);
}

/** Does the file use any syntax that only TypeScript has (types, enums, `as`, `!`, ...)? */
function hasTypeScriptSyntax(sf: ts.SourceFile): boolean {
  const visit = (n: ts.Node): boolean =>
    ts.isTypeNode(n) ||
    ts.isInterfaceDeclaration(n) ||
    ts.isTypeAliasDeclaration(n) ||
    ts.isEnumDeclaration(n) ||
    ts.isModuleDeclaration(n) ||
    ts.isAsExpression(n) ||
    ts.isNonNullExpression(n) ||
    ts.isSatisfiesExpression(n) ||
    ts.isTypeAssertionExpression(n) ||
    ts.isImportEqualsDeclaration(n) ||
    ts.isDecorator(n) ||
    (ts.canHaveModifiers(n) && (ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword || m.kind === ts.SyntaxKind.PublicKeyword || m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword || m.kind === ts.SyntaxKind.ReadonlyKeyword || m.kind === ts.SyntaxKind.AbstractKeyword) ?? false)) ||
    (ts.forEachChild(n, (c) => (visit(c) ? true : undefined)) ?? false);
  return visit(sf);
}


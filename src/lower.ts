/**
 * The library API: `lower(source, options)` → `{ code, map, machines, diagnostics }`.
 *
 * Parses the file, refuses what it cannot lower faithfully (syntax errors; `with` and direct
 * `eval` inside an async function) with a diagnostic and no code, runs the transformer, prints
 * TypeScript or JavaScript, and links the runtime (an import, or the runtime pasted in).
 */
import ts from "typescript";
import vm from "node:vm";
import type { Diagnostic, LowerOptions, LowerResult, SourceMapV3 } from "./api.js";
import { inlineRuntime } from "./emit/inlineRuntime.js";
import { unawaitTransformer, type TransformReport } from "./transform.js";
import { modeOf, refusals } from "./refusals.js";
import { importsRuntime, runtimeImportsFromInline } from "./runtimeImports.js";
import { unusedFutures } from "./analyze/mustUse.js";
import { respellAwaitNames, restoreAwaitNames, type Respelled } from "./awaitAsName.js";
import { respellCaseTests } from "./caseTestParentheses.js";

export function lower(source: string, options: LowerOptions = {}): LowerResult {
  const fileName = options.fileName ?? "input.ts";
  const { sf, kind, text, respelled } = parse(fileName, source);
  const mode = modeOf(source, options.mode);
  const diagnostics = [...syntaxErrors(sf, fileName), ...refusals(sf, fileName)];
  if (mode === "future" && diagnostics.length === 0) diagnostics.push(...unusedFutures(sf, fileName));
  if (diagnostics.length === 0 && !ts.isExternalModule(sf)) diagnostics.push(...earlyErrors(source, kind, fileName, sf));
  if (diagnostics.some((d) => d.severity === "error")) return { code: "", machines: [], diagnostics };

  const report: TransformReport = { machines: [], diagnostics };
  const boundaries: string[] = [];
  const observe = options.phase ? (phase: string, text: string) => void (phase === options.phase && boundaries.push(text)) : undefined;
  // The program's own imports of the runtime read the pasted copy when there is one.
  const inline = (options.runtime ?? "import") === "inline";
  const linksRuntime = importsRuntime(sf);
  const inlineImports = inline && linksRuntime ? [runtimeImportsFromInline()] : [];
  const transformer = unawaitTransformer({ fileName, functionName: options.functionName, observe, mode }, report);
  let code: string;
  let map: SourceMapV3 | undefined;
  if (options.target === "js") {
    // transpileModule runs the transformer on its own parse of the source, so the JavaScript it
    // prints comes with a source map back to the original lines.
    const out = ts.transpileModule(text, {
      fileName: kind === ts.ScriptKind.JS ? "input.js" : kind === ts.ScriptKind.TSX ? "input.tsx" : kind === ts.ScriptKind.JSX ? "input.jsx" : "input.ts",
      compilerOptions: { ...jsOptions, sourceMap: true, inlineSources: true },
      transformers: { before: [transformer, ...inlineImports] },
    });
    code = out.outputText.replace(/\n?\/\/# sourceMappingURL=.*\s*$/, "\n");
    map = out.sourceMapText ? (JSON.parse(out.sourceMapText) as SourceMapV3) : undefined;
    if (map) map.sources = [fileName];
    if (map?.sourcesContent) map.sourcesContent = [source];
  } else {
    const result = ts.transform(sf, [transformer, ...inlineImports]);
    code = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed }).printFile(result.transformed[0]!);
    result.dispose();
  }
  code = restoreAwaitNames(code, respelled);
  if (report.diagnostics.some((d) => d.severity === "error")) return { code: "", machines: [], diagnostics: report.diagnostics };
  if (options.functionName !== undefined && report.machines.length === 0) {
    report.diagnostics.push({ severity: "error", code: "UA0002", message: `no async function named \`${options.functionName}\` in this file`, fileName, line: 1, column: 1, start: 0, length: 0 });
    return { code: "", machines: [], diagnostics: report.diagnostics };
  }
  if (options.phase) return { code: boundaries.join("\n\n") + "\n", machines: report.machines, diagnostics: report.diagnostics };
  if (report.machines.length > 0 || (inline && linksRuntime)) {
    const linked = linkRuntime(code, options.runtime ?? "import", ts.isExternalModule(sf), options.target !== "js");
    code = linked.code;
    if (map) map.mappings = shiftLines(map.mappings, linked.atLine, linked.lines);
  }
  return { code, map, machines: report.machines, diagnostics: report.diagnostics };
}

const jsOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, useDefineForClassFields: true, verbatimModuleSyntax: false, ignoreDeprecations: "6.0", alwaysStrict: false } as ts.CompilerOptions;

/** Source map lines after `atLine` move down by `count` (the pasted runtime). */
function shiftLines(mappings: string, atLine: number, count: number): string {
  const lines = mappings.split(";");
  lines.splice(atLine, 0, ...Array<string>(count).fill(""));
  return lines.join(";");
}

/**
 * A TypeScript script cannot import the runtime's types without becoming a module, so its `$rt` is
 * typed as the module, and a namespace of the same name (types only, erased) gives the machines the
 * `$rt.Context`-style types they name.
 */
const RUNTIME_TYPES: Record<string, string> = { Awaitee: "", Context: "", Poll: "<T>", SuperAccess: "", Resumption: "", Signal: "", StateMachine: "<T>" };

function scriptTypedLink(code: string): string {
  // A type annotation reads `: $rt.X`; `extends $rt.StateMachine<T>` reads the value, which needs no alias.
  const used = Object.keys(RUNTIME_TYPES).filter((t) => new RegExp(t === "StateMachine" ? `:\\s*\\$rt\\.${t}\\b` : `\\$rt\\.${t}\\b`).test(code));
  const from = `import("unawait/runtime")`;
  const aliases = used.map((t) => `type ${t}${RUNTIME_TYPES[t]} = ${from}.${t}${RUNTIME_TYPES[t]};`).join(" ");
  return `const $rt: typeof ${from} = require("unawait/runtime");\n` + (aliases ? `declare namespace $rt { ${aliases} }\n` : "");
}

/** Puts the runtime in reach of the generated code, after any directive prologue. */
function linkRuntime(code: string, how: "import" | "inline", isModule: boolean, typed: boolean): { code: string; atLine: number; lines: number } {
  const link = how === "inline" ? inlineRuntime() : isModule ? `import * as $rt from "unawait/runtime";\n` : typed ? scriptTypedLink(code) : `const $rt = require("unawait/runtime");\n`;
  let at = prologueEnd(code);
  // Insert at the start of a line, so that the source map moves by whole lines.
  if (at > 0) at = code.indexOf("\n", at) === -1 ? code.length : code.indexOf("\n", at) + 1;
  const head = code.slice(0, at) + (at > 0 && !code.slice(0, at).endsWith("\n") ? "\n" : "");
  const atLine = head.split("\n").length - 1;
  return { code: head + link + code.slice(at), atLine, lines: link.split("\n").length - 1 };
}

/** Where the directive prologue ("use strict") and the comments around it end. */
function prologueEnd(code: string): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, code);
  let end = 0;
  for (;;) {
    const token = scanner.scan();
    if (token !== ts.SyntaxKind.StringLiteral) return end;
    const next = scanner.scan();
    if (next === ts.SyntaxKind.SemicolonToken) end = scanner.getTokenEnd();
    else if (scanner.hasPrecedingLineBreak() || next === ts.SyntaxKind.EndOfFileToken) end = scanner.getTokenStart();
    else return end;
    if (next !== ts.SyntaxKind.SemicolonToken) return end;
  }
}

/**
 * Parses as the file name says. A name that says nothing (`<stdin>`) is read as TypeScript, or as
 * JavaScript when only JavaScript's grammar accepts it (sloppy octal literals, for instance).
 */
function parse(fileName: string, source: string): Parsed {
  const known = /\.[cm]?[jt]sx?$/.test(fileName);
  const kind = scriptKindOf(fileName);
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  if (syntaxErrors(sf, fileName).length === 0) return { sf, kind, text: source };
  const respelled = ts.isExternalModule(sf) ? undefined : respellAwaitNames(source, sf);
  if (respelled) {
    const again = parse(fileName, respelled.text);
    if (syntaxErrors(again.sf, fileName).length === 0) return { ...again, respelled };
  }
  const unparenthesized = respellCaseTests(source, sf);
  if (unparenthesized !== undefined) {
    const again = parse(fileName, unparenthesized);
    if (syntaxErrors(again.sf, fileName).length === 0) return again;
  }
  if (known) return { sf, kind, text: source };
  const js = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  return syntaxErrors(js, fileName).length === 0 ? { sf: js, kind: ts.ScriptKind.JS, text: source } : { sf, kind, text: source };
}

interface Parsed {
  sf: ts.SourceFile;
  kind: ts.ScriptKind;
  /** What TypeScript parsed: the source, or the source respelled (awaitAsName.ts, caseTestParentheses.ts). */
  text: string;
  respelled?: Respelled;
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * Early errors TypeScript's parser lets through (`(await x) = 1`, `await` as a nested binding name,
 * ...) would make a program that the engine refuses turn into one that runs. The engine's own
 * parser decides: the script, types stripped, is compiled (not run) by `vm.Script`.
 */
function earlyErrors(source: string, kind: ts.ScriptKind, fileName: string, sf: ts.SourceFile): Diagnostic[] {
  // JavaScript is checked as written (re-printing would drop, say, a rest parameter's trailing comma);
  // TypeScript with its types stripped.
  // `using` declarations too, which this engine may not parse: TypeScript writes them out.
  const asWritten = (kind === ts.ScriptKind.JS || !hasTypeScriptSyntax(sf)) && !declaresUsing(sf);
  const inputName = kind === ts.ScriptKind.JS ? "input.js" : "input.ts";
  const js = asWritten ? source : ts.transpileModule(source, { fileName: inputName, compilerOptions: { ...jsOptions, sourceMap: false } }).outputText;
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

/**
 * TypeScript's parser refuses legacy octal literals and escapes even in JavaScript; they are valid
 * in sloppy-mode ECMAScript (and a SyntaxError in strict code, which the engine will say itself).
 */
const NOT_ECMASCRIPT_ERRORS = new Set([1121, 1487, 1489]);

function syntaxErrors(sf: ts.SourceFile, fileName: string): Diagnostic[] {
  const parse = (sf as unknown as { parseDiagnostics: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return parse.filter((d) => !NOT_ECMASCRIPT_ERRORS.has(d.code)).map((d) => {
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
    return {
      severity: "error" as const,
      code: "UA1001",
      message: `syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
      fileName,
      line: line + 1,
      column: character + 1,
      start: d.start,
      length: d.length,
    };
  });
}


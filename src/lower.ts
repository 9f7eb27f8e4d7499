/**
 * The library API: `lower(source, options)` → `{ code, map, machines, diagnostics }`.
 *
 * Parses the file, refuses what it cannot lower faithfully (syntax errors; `with` and direct
 * `eval` inside an async function) with a diagnostic and no code, runs the transformer, prints
 * TypeScript or JavaScript, and links the runtime (an import, or the runtime pasted in).
 */
import ts from "typescript";
import vm from "node:vm";
import * as acorn from "acorn";
import type { Diagnostic, LowerOptions, LowerResult, SourceMapV3 } from "./api.js";
import { inlineRuntime } from "./emit/inlineRuntime.js";
import { unawaitTransformer, type TransformReport } from "./transform.js";
import { modeOf, refusals } from "./refusals.js";
import { diagnosticAt } from "./transform.js";
import { identifiersIn, runtimeNameIn } from "./names.js";
import { renameRuntime } from "./emit/runtimeName.js";
import { hasTopLevelLexical, privateScriptScope, RUNTIME_MARKER } from "./emit/scriptScope.js";
import { importsRuntime, runtimeImportsFromInline } from "./runtimeImports.js";
import { unusedFutures } from "./analyze/mustUse.js";
import { respellAwaitNames, restoreAwaitNames, type Respelled } from "./awaitAsName.js";
import { respellCaseTests } from "./caseTestParentheses.js";

export function lower(source: string, options: LowerOptions = {}): LowerResult {
  const fileName = options.fileName ?? "input.ts";
  const { sf, kind, text, respelled, isModule, sourceSaysModule } = parse(fileName, source, options);
  const mode = modeOf(source, options.mode);
  const refused = refusals(sf, fileName, { mode, strict: options.strict });
  const diagnostics = [...syntaxErrors(sf, fileName), ...goalErrors(sf, kind, fileName, options), ...refused.diagnostics];
  if (mode === "future" && !hasErrors(diagnostics)) diagnostics.push(...unusedFutures(sf, fileName));
  if (!hasErrors(diagnostics) && !isModule) diagnostics.push(...earlyErrors(source, kind, fileName, sf));
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
  ];
  const transformer = unawaitTransformer({ fileName, functionName: options.functionName, observe, mode, leftNative: refused.leftNative, hasDirectEval: refused.hasDirectEval }, report);
  let code: string;
  let map: SourceMapV3 | undefined;
  if (options.target === "js") {
    // transpileModule runs the transformer on its own parse of the source, so the JavaScript it
    // prints comes with a source map back to the original lines.
    const out = ts.transpileModule(text, {
      fileName: kind === ts.ScriptKind.JS ? "input.js" : kind === ts.ScriptKind.TSX ? "input.tsx" : kind === ts.ScriptKind.JSX ? "input.jsx" : "input.ts",
      compilerOptions: { ...jsOptions, sourceMap: true, inlineSources: true, moduleDetection: isModule ? ts.ModuleDetectionKind.Force : ts.ModuleDetectionKind.Legacy },
      transformers: { before: [transformer, ...after] },
    });
    code = out.outputText.replace(/\n?\/\/# sourceMappingURL=.*\s*$/, "\n");
    // A module that neither imports nor exports (a top-level await, --module) stays that way: the
    // `export {};` TypeScript adds to mark it would make it say more than its source.
    if (isModule && !sourceSaysModule) code = code.replace(/^export \{\};\n(?![^]*\n)/m, "");
    map = out.sourceMapText ? (JSON.parse(out.sourceMapText) as SourceMapV3) : undefined;
    if (map) map.sources = [fileName];
    if (map?.sourcesContent) map.sourcesContent = [source];
  } else {
    const result = ts.transform(sf, [transformer, ...after]);
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
  if (linked()) {
    const link = privateScope ? pasteIntoScope(code, runtimeName) : linkRuntime(code, options.runtime ?? "import", isModule, options.target !== "js", runtimeName);
    code = link.code;
    if (map) map.mappings = replaceLines(map.mappings, link.atLine, link.replaced, link.lines);
  }
  const unparsable = options.target === "js" ? outputParseError(code, isModule) : typeScriptOutputParseError(code, kind);
  if (unparsable) {
    const message = `internal error: unawait wrote ${options.target === "js" ? "JavaScript" : "TypeScript"} that does not parse (a bug in unawait; please report it with this file): ${unparsable.message}, at line ${unparsable.line} of the output`;
    return { code: "", machines: [], diagnostics: [...report.diagnostics, { severity: "error", code: "UA9001", message, fileName, line: 1, column: 1, start: 0, length: 0 }] };
  }
  return { code, map, machines: report.machines, diagnostics: report.diagnostics };
}

const jsOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, useDefineForClassFields: true, verbatimModuleSyntax: false, ignoreDeprecations: "6.0", alwaysStrict: false } as ts.CompilerOptions;

function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Source map lines `atLine .. atLine + replaced` become `count` lines without mappings (the pasted runtime). */
function replaceLines(mappings: string, atLine: number, replaced: number, count: number): string {
  const lines = mappings.split(";");
  lines.splice(atLine, replaced, ...Array<string>(count).fill(""));
  return lines.join(";");
}

/**
 * A TypeScript script cannot import the runtime's types without becoming a module, so its `$rt` is
 * typed as the module, and a namespace of the same name (types only, erased) gives the machines the
 * `$rt.Context`-style types they name.
 */
const RUNTIME_TYPES: Record<string, string> = { Awaitee: "", Context: "", Poll: "<T>", SuperAccess: "", Resumption: "", Signal: "", StateMachine: "<T>" };

function scriptTypedLink(code: string, name: string): string {
  const rt = name.replace(/\$/g, "\\$");
  // A type annotation reads `: $rt.X`; `extends $rt.StateMachine<T>` reads the value, which needs no alias.
  const used = Object.keys(RUNTIME_TYPES).filter((t) => new RegExp(t === "StateMachine" ? `:\\s*${rt}\\.${t}\\b` : `${rt}\\.${t}\\b`).test(code));
  const from = `import("unawait/runtime")`;
  const aliases = used.map((t) => `type ${t}${RUNTIME_TYPES[t]} = ${from}.${t}${RUNTIME_TYPES[t]};`).join(" ");
  return `const ${name}: typeof ${from} = require("unawait/runtime");\n` + (aliases ? `declare namespace ${name} { ${aliases} }\n` : "");
}

interface Linked {
  code: string;
  /** The 0-based line where the link went, */
  atLine: number;
  /** how many lines of the printed program it replaced, */
  replaced: number;
  /** and how many lines it has. */
  lines: number;
}

/** Puts the runtime in reach of the generated code, after a shebang and the directive prologue. */
function linkRuntime(code: string, how: "import" | "inline", isModule: boolean, typed: boolean, name: string): Linked {
  const link =
    how === "inline" ? inlineRuntime(name) : isModule ? `import * as ${name} from "unawait/runtime";\n` : typed ? scriptTypedLink(code, name) : `const ${name} = require("unawait/runtime");\n`;
  let at = Math.max(prologueEnd(code), shebangEnd(code));
  // Insert at the start of a line, so that the source map moves by whole lines.
  if (at > 0) at = code.indexOf("\n", at) === -1 ? code.length : code.indexOf("\n", at) + 1;
  const head = code.slice(0, at) + (at > 0 && !code.slice(0, at).endsWith("\n") ? "\n" : "");
  const atLine = head.split("\n").length - 1;
  return { code: head + link + code.slice(at), atLine, replaced: 0, lines: link.split("\n").length - 1 };
}

/** The pasted runtime in place of the marker line of a private script scope (emit/scriptScope.ts). */
function pasteIntoScope(code: string, name: string): Linked {
  const lines = code.split("\n");
  const atLine = lines.findIndex((line) => line.trim() === RUNTIME_MARKER);
  if (atLine < 0) throw new Error("internal: the private script scope lost its runtime marker");
  const runtime = inlineRuntime(name);
  lines.splice(atLine, 1, runtime.replace(/\n$/, ""));
  return { code: lines.join("\n"), atLine, replaced: 1, lines: runtime.split("\n").length - 1 };
}

/** Where a `#!` line at the very start ends (it must stay the first line). */
function shebangEnd(code: string): number {
  if (!code.startsWith("#!")) return 0;
  const end = code.indexOf("\n");
  return end === -1 ? code.length : end;
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
 * Parses the source in its language and goal.
 *
 * The language: `options.lang`, else the file name's extension; a name that says nothing
 * (`<stdin>`, `script`) is read as JavaScript when it is JavaScript (`a < b > (c)` compares, it is no
 * generic call) and as TypeScript only when it needs TypeScript's syntax.
 * The goal: `options.sourceType`, else a module when the file imports or exports (TypeScript's rule),
 * or when it parses only as a module (a top-level `await`, no import or export).
 */
function parse(fileName: string, source: string, options: LowerOptions): Parsed {
  const parsed = parseAs(fileName, source, languageOf(fileName, source, options.lang));
  const isModule = options.sourceType !== undefined ? options.sourceType === "module" : ts.isExternalModule(parsed.sf) || parsesOnlyAsModule(source);
  const sourceSaysModule = ts.isExternalModule(parsed.sf);
  if (!isModule || sourceSaysModule) return { ...parsed, isModule, sourceSaysModule };
  // A module without import or export: TypeScript must know it too (strictness, module scope).
  const asModule = (file: ts.SourceFile): void => void ((file as { externalModuleIndicator?: unknown }).externalModuleIndicator = true);
  const sf = ts.createSourceFile(fileName, parsed.text, { languageVersion: ts.ScriptTarget.Latest, setExternalModuleIndicator: asModule }, true, parsed.kind);
  return { ...parsed, sf, isModule, sourceSaysModule };
}

/** The script kind to parse with: asked for, said by the extension, or found in the text. */
function languageOf(fileName: string, source: string, lang: "js" | "ts" | undefined): ts.ScriptKind {
  const jsx = /\.[jt]sx$/.test(fileName);
  if (lang === "js") return jsx ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  if (lang === "ts") return jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  if (/\.[cm]?[jt]sx?$/.test(fileName)) return scriptKindOf(fileName);
  return parsesAsJavaScript(source) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/**
 * Parses as `kind` says, respelling what TypeScript's parser refuses and the engine accepts
 * (awaitAsName.ts, caseTestParentheses.ts).
 */
function parseAs(fileName: string, source: string, kind: ts.ScriptKind): Omit<Parsed, "isModule" | "sourceSaysModule"> {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  if (syntaxErrors(sf, fileName).length === 0) return { sf, kind, text: source };
  const respelled = ts.isExternalModule(sf) ? undefined : respellAwaitNames(source, sf);
  if (respelled) {
    const again = parseAs(fileName, respelled.text, kind);
    if (syntaxErrors(again.sf, fileName).length === 0) return { ...again, respelled };
  }
  const unparenthesized = respellCaseTests(source, sf);
  if (unparenthesized !== undefined) {
    const again = parseAs(fileName, unparenthesized, kind);
    if (syntaxErrors(again.sf, fileName).length === 0) return again;
  }
  return { sf, kind, text: source };
}

interface Parsed {
  sf: ts.SourceFile;
  kind: ts.ScriptKind;
  /** What TypeScript parsed: the source, or the source respelled (awaitAsName.ts, caseTestParentheses.ts). */
  text: string;
  respelled?: Respelled;
  /** The goal the program is parsed and run in. */
  isModule: boolean;
  /** The text itself makes it a module (an import, an export, `import.meta`). */
  sourceSaysModule: boolean;
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** A `--script` file that imports or exports, or a `--module` one whose text no module can have. */
function goalErrors(sf: ts.SourceFile, kind: ts.ScriptKind, fileName: string, options: LowerOptions): Diagnostic[] {
  if (options.sourceType === "script" && ts.isExternalModule(sf)) {
    const at = sf.statements.find((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s) || ts.canHaveModifiers(s)) ?? sf.statements[0]!;
    return [diagnosticAt(sf, fileName, at, "UA1001", "syntax error: a script cannot import or export (it was read as a script: --script); leave it out to read this file as a module", "error")];
  }
  if (options.sourceType === "module" && kind === ts.ScriptKind.JS) {
    // A JavaScript text is checked as written; the engine cannot see TypeScript's (and a module's
    // early errors are not checked again later, as a script's are: earlyErrors).
    const problem = acornError(sf.text, "module");
    if (problem) {
      const start = sf.getPositionOfLineAndCharacter(problem.line - 1, problem.column - 1);
      return [{ severity: "error", code: "UA1001", message: `syntax error: ${problem.message} (read as a module: --module)`, fileName, line: problem.line, column: problem.column, start, length: 0 }];
    }
  }
  return [];
}

/** Does the text parse as ECMAScript, as a script or as a module? */
function parsesAsJavaScript(source: string): boolean {
  return acornError(source, "script") === undefined || acornError(source, "module") === undefined;
}

/** A text with no import or export that a script cannot have but a module can: a top-level `await`. */
function parsesOnlyAsModule(source: string): boolean {
  if (acornError(source, "script") === undefined) return false;
  if (acornError(source, "module") === undefined) return true;
  // TypeScript: decide on its own parse, as exec/program-kind.ts does.
  const sf = ts.createSourceFile("goal.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return hasTopLevelAwait(sf);
}

function hasTopLevelAwait(node: ts.Node): boolean {
  if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return false;
  if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined)) return true;
  if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.AwaitUsing) return true;
  return ts.forEachChild(node, hasTopLevelAwait) ?? false;
}

interface ParseProblem {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** What acorn (spec-exact, and it runs in a browser too) says of the text in the goal, if it refuses it. */
function acornError(code: string, sourceType: "script" | "module"): ParseProblem | undefined {
  try {
    acorn.parse(code, { ecmaVersion: "latest", sourceType, allowHashBang: true });
    return undefined;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const loc = (e as SyntaxError & { loc?: { line: number; column: number } }).loc;
    return { message: e.message.replace(/ \(\d+:\d+\)$/, ""), line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1 };
  }
}

/**
 * The output always parses in the goal of its input (DESIGN.md §6): lowered JavaScript is parsed
 * again, by acorn, as a script or a module (the directive prologue decides strictness, as for the
 * engine). Anything it refuses is a bug in unawait, reported instead of written.
 */
function outputParseError(code: string, isModule: boolean): ParseProblem | undefined {
  return acornError(code, isModule ? "module" : "script");
}

/** The same for the TypeScript view, as far as TypeScript's parser can tell. */
function typeScriptOutputParseError(code: string, kind: ts.ScriptKind): ParseProblem | undefined {
  const sf = ts.createSourceFile("output.ts", code, ts.ScriptTarget.Latest, true, kind);
  const [first] = syntaxErrors(sf, "output.ts");
  return first ? { message: first.message.replace(/^syntax error: /, ""), line: first.line, column: first.column } : undefined;
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


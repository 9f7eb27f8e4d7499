/**
 * Parse: the source as TypeScript's parser reads it, in its language (JavaScript or TypeScript)
 * and its goal (script or module), with the syntax errors it has.
 */
import ts from "typescript";
import type { Diagnostic, LowerOptions } from "./api.js";
import { respellAwaitNames, type Respelled } from "./awaitAsName.js";
import { respellCaseTests } from "./caseTestParentheses.js";
import { respellInOperators } from "./inInLoopHead.js";
import { ecmaScriptParseError, parsesAsJavaScript, parsesOnlyAsModule } from "./goal.js";
import { diagnosticAt } from "./transform.js";

/**
 * Parses the source in its language and goal.
 *
 * The language: `options.lang`, else the file name's extension; a name that says nothing
 * (`<stdin>`, `script`) is read as JavaScript when it is JavaScript (`a < b > (c)` compares, it is no
 * generic call) and as TypeScript only when it needs TypeScript's syntax.
 * The goal: `options.sourceType`, else a module when the file imports or exports (TypeScript's rule),
 * or when it parses only as a module (a top-level `await`, no import or export).
 */
export function parse(fileName: string, source: string, options: LowerOptions): Parsed {
  const parsed = parseAs(fileName, source, languageOf(fileName, source, options.lang));
  const isModule = options.sourceType !== undefined ? options.sourceType === "module" : ts.isExternalModule(parsed.sf) || parsesOnlyAsModule(parsed.text, parsed.sf, parsed.kind);
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
 * (awaitAsName.ts, caseTestParentheses.ts, inInLoopHead.ts).
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
  const ins = respellInOperators(source, sf, (text) => ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind));
  if (ins !== undefined) {
    // Again on the respelled text: an `in` after a respelled one (`[a in b in c]`) errs only then.
    const again = parseAs(fileName, ins.text, kind);
    if (syntaxErrors(again.sf, fileName).length === 0) return { ...again, inOperators: [...ins.at, ...(again.inOperators ?? [])] };
  }
  return { sf, kind, text: source };
}

export interface Parsed {
  sf: ts.SourceFile;
  kind: ts.ScriptKind;
  /** What TypeScript parsed: the source, or the source respelled (awaitAsName.ts, caseTestParentheses.ts, inInLoopHead.ts). */
  text: string;
  respelled?: Respelled;
  /** Where an `in` was respelled `<=` (inInLoopHead.ts): the output spells it `in` again. */
  inOperators?: number[];
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
export function goalErrors(sf: ts.SourceFile, kind: ts.ScriptKind, fileName: string, options: LowerOptions): Diagnostic[] {
  if (options.sourceType === "script" && ts.isExternalModule(sf)) {
    const exported = (s: ts.Statement): boolean => ts.canHaveModifiers(s) && (ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
    const at = sf.statements.find((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s) || exported(s)) ?? sf.statements[0] ?? sf;
    return [diagnosticAt(sf, fileName, at, "UA1001", "syntax error: a script cannot import or export (it was read as a script: --script); leave it out to read this file as a module", "error")];
  }
  if (options.sourceType === "module" && kind === ts.ScriptKind.JS) {
    // A JavaScript text is checked as written; the engine cannot see TypeScript's (and a module's
    // early errors are not checked again later, as a script's are: earlyErrors).
    const problem = ecmaScriptParseError(sf.text, "module");
    if (problem) {
      const start = sf.getPositionOfLineAndCharacter(problem.line - 1, problem.column - 1);
      return [{ severity: "error", code: "UA1001", message: `syntax error: ${problem.message} (read as a module: --module)`, fileName, line: problem.line, column: problem.column, start, length: 0 }];
    }
  }
  return [];
}

/**
 * TypeScript's parser refuses legacy octal literals and escapes even in JavaScript; they are valid
 * in sloppy-mode ECMAScript (and a SyntaxError in strict code, which the engine will say itself).
 */
const NOT_ECMASCRIPT_ERRORS = new Set([1121, 1487, 1489]);

export function syntaxErrors(sf: ts.SourceFile, fileName: string): Diagnostic[] {
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


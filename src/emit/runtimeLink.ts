/**
 * Emit: puts the runtime in reach of the printed program, as text after printing (so that the
 * source map moves by whole lines): an import, a require, or the runtime pasted in. A shebang and
 * the directive prologue stay first (fixtures/hygiene/cli-shebang.ts).
 *
 *   [printed]  #!/usr/bin/env node
 *              "use strict";
 *              class f$Future extends $rt.StateMachine { ... }
 *   [linked]   #!/usr/bin/env node
 *              "use strict";
 *              const $rt = require("unawait/runtime");
 *              class f$Future extends $rt.StateMachine { ... }
 */
import ts from "typescript";
import { inlineRuntime } from "./inlineRuntime.js";
import { RUNTIME_MARKER } from "./scriptScope.js";

/** Source map lines `atLine .. atLine + replaced` become `count` lines without mappings (the pasted runtime). */
export function replaceLines(mappings: string, atLine: number, replaced: number, count: number): string {
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

export interface Linked {
  code: string;
  /** The 0-based line where the link went, */
  atLine: number;
  /** how many lines of the printed program it replaced, */
  replaced: number;
  /** and how many lines it has. */
  lines: number;
}

/** Puts the runtime in reach of the generated code, after a shebang and the directive prologue. */
export function linkRuntime(code: string, how: "import" | "inline", isModule: boolean, typed: boolean, name: string, runtime: (name: string) => string = inlineRuntime): Linked {
  const link =
    how === "inline" ? runtime(name) : isModule ? `import * as ${name} from "unawait/runtime";\n` : typed ? scriptTypedLink(code, name) : `const ${name} = require("unawait/runtime");\n`;
  let at = Math.max(prologueEnd(code), shebangEnd(code));
  // Insert at the start of a line, so that the source map moves by whole lines.
  if (at > 0) at = code.indexOf("\n", at) === -1 ? code.length : code.indexOf("\n", at) + 1;
  const head = code.slice(0, at) + (at > 0 && !code.slice(0, at).endsWith("\n") ? "\n" : "");
  const atLine = head.split("\n").length - 1;
  return { code: head + link + code.slice(at), atLine, replaced: 0, lines: link.split("\n").length - 1 };
}

/**
 * A one-line stand-in for the pasted runtime, for checking that the linked program parses without
 * parsing the runtime again each time (outputParses.ts checks the runtime itself once).
 */
export function runtimeStandIn(name: string): string {
  return `const ${name} = {};\n`;
}

/** The pasted runtime in place of the marker line of a private script scope (emit/scriptScope.ts). */
export function pasteIntoScope(code: string, name: string, runtimeOf: (name: string) => string = inlineRuntime): Linked {
  const lines = code.split("\n");
  const atLine = lines.findIndex((line) => line.trim() === RUNTIME_MARKER);
  if (atLine < 0) throw new Error("internal: the private script scope lost its runtime marker");
  const runtime = runtimeOf(name);
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


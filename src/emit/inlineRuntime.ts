/**
 * The runtime as one piece of JavaScript, for `--runtime inline`: its modules in dependency order,
 * imports dropped, exports collected into the `$rt` object.
 *
 *   const $rt = ((undefined) => { "use strict"; ...runtime...; return { PENDING, promise, ... }; })();
 *
 * Read from the compiled runtime next to this file (dist) or transpiled from its sources (tests).
 */
import ts from "typescript";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The runtime as a declaration of `name` (`$rt`, or a fresh name when the file uses `$rt`: names.ts runtimeNameIn). */
export function inlineRuntime(name = "$rt"): string {
  return `const ${name} = ${runtimeExpression()}`;
}

function runtimeExpression(): string {
  if (cached !== undefined) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(here, "..", "runtime");
  const useJs = existsSync(join(dir, "index.js"));
  const ext = useJs ? ".js" : ".ts";
  const modules = new Map<string, { code: string; imports: string[]; exports: string[] }>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith(ext) || file.endsWith(".d.ts") || file === `index${ext}`) continue;
    let text = readFileSync(join(dir, file), "utf8");
    if (!useJs) text = ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
    modules.set(file.slice(0, -ext.length), strip(text));
  }
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (order.includes(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const dep of modules.get(name)!.imports) if (modules.has(dep)) visit(dep);
    order.push(name);
  };
  for (const name of [...modules.keys()].sort()) visit(name);
  const exported = order.flatMap((n) => modules.get(n)!.exports);
  const body = order.map((n) => `// runtime/${n}\n${modules.get(n)!.code.trim()}`).join("\n");
  // `undefined` is a parameter that receives nothing: a script's own `var undefined` (a local of the
  // CommonJS wrapper node runs it in) cannot reach the runtime (fixtures/hygiene/globals-top-level-var-undefined.ts).
  cached = `((undefined) => {\n"use strict";\n${body}\nreturn { ${exported.join(", ")} };\n})();\n`;
  return cached;
}

function strip(js: string): { code: string; imports: string[]; exports: string[] } {
  const sf = ts.createSourceFile("m.js", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const imports: string[] = [];
  const exports: string[] = [];
  const parts: string[] = [];
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s)) {
      const spec = (s.moduleSpecifier as ts.StringLiteral).text;
      imports.push(spec.replace(/^\.\//, "").replace(/\.js$/, ""));
      continue;
    }
    if (ts.isExportDeclaration(s)) continue;
    let text = s.getText(sf);
    const mods = ts.canHaveModifiers(s) ? ts.getModifiers(s) : undefined;
    if (mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      text = text.replace(/^export\s+/, "");
      if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) exports.push((d.name as ts.Identifier).text);
      else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) exports.push(s.name.text);
    }
    parts.push(text);
  }
  return { code: parts.join("\n"), imports, exports };
}

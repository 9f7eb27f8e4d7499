/**
 * A program's own imports of `unawait/runtime`, when the runtime is pasted into the output
 * (`--runtime inline`): they read the pasted copy, `$rt`, instead of a package the program may
 * not be able to resolve (a file run from a temporary directory, a playground).
 *
 *   [source]   import { sleep, spawn as start } from "unawait/runtime";
 *   [lowered]  const { sleep, spawn: start } = $rt;
 *
 * `import * as rt` becomes `const rt = $rt`; type-only imports and bare imports go.
 */
import ts from "typescript";
import { f, runtimeName } from "./normalize/factory.js";

export const RUNTIME_MODULE = "unawait/runtime";

/** Does the file import the runtime itself (anything but types)? */
export function importsRuntime(sf: ts.SourceFile): boolean {
  return sf.statements.some((s) => ts.isImportDeclaration(s) && isRuntimeImport(s) && !s.importClause?.isTypeOnly);
}

function isRuntimeImport(s: ts.ImportDeclaration): boolean {
  return ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === RUNTIME_MODULE;
}

/** The transformer that rewrites the file's runtime imports to read `$rt`. */
export function runtimeImportsFromInline(): ts.TransformerFactory<ts.SourceFile> {
  return () => (sf) => {
    if (!sf.statements.some((s) => ts.isImportDeclaration(s) && isRuntimeImport(s))) return sf;
    const statements = sf.statements.flatMap((s): ts.Statement[] => {
      if (!ts.isImportDeclaration(s) || !isRuntimeImport(s)) return [s];
      const clause = s.importClause;
      if (!clause || clause.isTypeOnly) return [];
      const out: ts.Statement[] = [];
      const declare = (name: ts.BindingName): void =>
        void out.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, runtimeName())], ts.NodeFlags.Const)));
      if (clause.name) declare(f.createIdentifier(clause.name.text));
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) declare(f.createIdentifier(bindings.name.text));
      if (bindings && ts.isNamedImports(bindings)) {
        const elements = bindings.elements
          .filter((e) => !e.isTypeOnly)
          .map((e) => f.createBindingElement(undefined, e.propertyName ? f.createIdentifier((e.propertyName as ts.Identifier).text) : undefined, f.createIdentifier(e.name.text)));
        if (elements.length > 0) declare(f.createObjectBindingPattern(elements));
      }
      return out;
    });
    return f.updateSourceFile(sf, statements);
  };
}

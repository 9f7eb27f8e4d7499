/**
 * Emit (`--runtime inline`, a script): the pasted runtime and the machine classes get no global
 * binding. Natively `typeof $rt` is "undefined" in every script of the page, so the runtime and the
 * program are put in one block, and only the user's own declarations stay global:
 *
 *   [source]   "use strict";
 *              f();
 *              async function f() { await null; }
 *              var count = 0;
 *   [lowered]  "use strict";
 *              function f() { }              // the global binding, as the declaration made it
 *              {
 *              const $rt = (() => { ... })();  // pasted here, in place of RUNTIME_MARKER
 *              f = function () { return $rt.promise(new f$Future()); };
 *              class f$Future extends $rt.StateMachine { ... }
 *              f();
 *              var count = 0;
 *              }
 *
 * - `var` in a block is still global (a property of the global object that cannot be deleted).
 * - A top-level function declaration stays a global declaration (hoisted, on the global object),
 *   but its body would not see the block: the block begins by assigning each one its lowered
 *   function, in source order, before any of the program runs, so a call before its text works.
 *   `f = function () {}` names the function `f` (NamedEvaluation) without binding `f` inside it.
 * - The directive prologue and a shebang stay first; the block inherits the strictness.
 * - Top-level `let`, `const` and `class` are global too, in the script's lexical scope, which no
 *   block can give, and their initializers and class bodies may need the runtime. A script that
 *   declares one is left as it was: its runtime binding stays global (`const $rt`, under a fresh
 *   name when the file uses `$rt`). Still open: issue 13 item 3.
 *
 * (fixtures/hygiene/cli-no-global-runtime-binding.ts)
 */
import ts from "typescript";

const f = ts.factory;

/** The statement the pasted runtime replaces once the program is printed (lower.ts). */
export const RUNTIME_MARKER = `"unawait: the runtime goes here";`;

/** The transformer; `applies()` is asked when it runs (after the machines are known). */
export function privateScriptScope(applies: () => boolean): ts.TransformerFactory<ts.SourceFile> {
  return () => (sf) => {
    if (!applies()) return sf;
    let at = 0;
    while (at < sf.statements.length && isPrologueDirective(sf.statements[at]!)) at++;
    const prologue = sf.statements.slice(0, at);
    const rest = sf.statements.slice(at);
    const declared: string[] = [];
    const assignments: ts.Statement[] = [];
    const others: ts.Statement[] = [];
    for (const s of rest) {
      if (ts.isFunctionDeclaration(s) && s.name && s.body) {
        if (!declared.includes(s.name.text)) declared.push(s.name.text);
        assignments.push(assignmentOf(s, s.name, s.body));
      } else {
        others.push(s);
      }
    }
    const placeholders = declared.map((name) => f.createFunctionDeclaration(undefined, undefined, name, undefined, [], undefined, f.createBlock([])));
    const marker = f.createExpressionStatement(f.createStringLiteral(RUNTIME_MARKER.slice(1, -2)));
    const block = f.createBlock([marker, ...assignments, ...others], true);
    return f.updateSourceFile(sf, [...prologue, ...placeholders, block]);
  };
}

/** `function f(a) { ... }` → `f = function (a) { ... };`, keeping its comments and source positions. */
function assignmentOf(s: ts.FunctionDeclaration, name: ts.Identifier, body: ts.Block): ts.Statement {
  const modifiers = ts.getModifiers(s)?.filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const fn = f.createFunctionExpression(modifiers, s.asteriskToken, undefined, s.typeParameters, s.parameters, s.type, body);
  ts.setTextRange(fn, s);
  const statement = f.createExpressionStatement(f.createAssignment(f.createIdentifier(name.text), fn));
  ts.setTextRange(statement, s);
  ts.moveSyntheticComments(statement, s);
  return statement;
}

function isPrologueDirective(s: ts.Statement): boolean {
  return ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression);
}

/** Does the script declare anything in its global lexical scope (`let`, `const`, `class`, ...)? */
export function hasTopLevelLexical(sf: ts.SourceFile): boolean {
  return sf.statements.some(
    (s) =>
      ts.isClassDeclaration(s) ||
      ts.isImportEqualsDeclaration(s) ||
      (ts.isVariableStatement(s) && (s.declarationList.flags & ts.NodeFlags.BlockScoped) !== 0 && !s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)),
  );
}

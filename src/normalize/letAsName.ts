/**
 * `let` as a plain name before a line break, where a statement (not a declaration) stands: a loop
 * body, an `if` branch, a labelled statement. The engine reads `let` there as an expression (a name,
 * in sloppy code) and inserts a semicolon after it, so that what follows on the next line is the next
 * statement of the list, after the whole loop or `if`. TypeScript's parser reads a `let` declaration
 * there instead, which makes the next line part of the body, and prints it as a declaration (which,
 * moved into a statement list such as a state of the machine, declares):
 *
 *   [source]   for await (var x of xs) let     [parsed by TypeScript]  for await (...) let {};
 *              {}
 *   [repaired] for await (var x of xs) let;
 *              {}
 *
 *   [source]   if (c) let                      [parsed by TypeScript]  if (c) let z = let + 1;
 *              z = let + 1
 *   [repaired] if (c) let;
 *              z = let + 1;
 *
 * A `let` declaration in such a position cannot be in a program the engine accepts (input the engine
 * refuses is refused before lowering), so every one found there is this misreading. Declarations the
 * engine would read otherwise (a non-empty pattern with keys or defaults) are left as they are.
 * (fixture hygiene/loop-head-let-asi)
 */
import ts from "typescript";
import { block, f, id, stmt } from "./factory.js";

/**
 * A statement of a statement list, with a `let` that ends it (the last statement of its loops,
 * branches and labels) read as the engine reads it: the statement ending in `let;`, then what
 * TypeScript took for the declaration. Undefined when there is nothing to repair.
 */
export function splitTrailingLet(statement: ts.Statement): ts.Statement[] | undefined {
  let rest: ts.Statement[] | undefined;
  const rebuild = (s: ts.Statement): ts.Statement | undefined => {
    if (ts.isVariableStatement(s)) {
      const list = s.declarationList;
      if ((list.flags & ts.NodeFlags.BlockScoped) !== ts.NodeFlags.Let) return undefined;
      rest = restAfterLet(list.declarations);
      return rest && ts.setTextRange(stmt(id("let")), s);
    }
    if (ts.isIfStatement(s)) {
      if (s.elseStatement) {
        const e = rebuild(s.elseStatement);
        return e && f.updateIfStatement(s, s.expression, s.thenStatement, e);
      }
      const t = rebuild(s.thenStatement);
      return t && f.updateIfStatement(s, s.expression, t, undefined);
    }
    if (ts.isLabeledStatement(s)) {
      const b = rebuild(s.statement);
      return b && f.updateLabeledStatement(s, s.label, b);
    }
    if (ts.isWhileStatement(s)) {
      const b = rebuild(s.statement);
      return b && f.updateWhileStatement(s, s.expression, b);
    }
    if (ts.isForStatement(s)) {
      const b = rebuild(s.statement);
      return b && f.updateForStatement(s, s.initializer, s.condition, s.incrementor, b);
    }
    if (ts.isForInStatement(s)) {
      const b = rebuild(s.statement);
      return b && f.updateForInStatement(s, s.initializer, s.expression, b);
    }
    if (ts.isForOfStatement(s)) {
      const b = rebuild(s.statement);
      return b && f.updateForOfStatement(s, s.awaitModifier, s.initializer, s.expression, b);
    }
    if (ts.isWithStatement(s)) {
      const b = rebuild(s.statement);
      return b && f.updateWithStatement(s, s.expression, b);
    }
    return undefined;
  };
  // A `let` declaration directly in a list is one (or, as `let` newline `x`, reads the same).
  if (ts.isVariableStatement(statement)) return undefined;
  const rebuilt = rebuild(statement);
  return rebuilt && rest ? [rebuilt, ...rest] : undefined;
}

/** What follows the `let;`: the declarations read as an expression, or an empty pattern as a block. */
function restAfterLet(declarations: readonly ts.VariableDeclaration[]): ts.Statement[] | undefined {
  const first = declarations[0];
  if (!first) return undefined;
  if (ts.isObjectBindingPattern(first.name)) {
    // `let` newline `{ a, b }`: a block (holding `a, b;`), when nothing follows it.
    if (declarations.length !== 1 || first.initializer) return undefined;
    const names = first.name.elements.map((el) => (el.propertyName || el.dotDotDotToken || !ts.isIdentifier(el.name) ? undefined : el.initializer ? f.createAssignment(el.name, el.initializer) : el.name));
    if (names.some((n) => n === undefined)) return undefined;
    return [block(names.length ? [stmt(commaList(names as ts.Expression[]))] : [])];
  }
  const exprs: ts.Expression[] = [];
  for (const d of declarations) {
    if (!ts.isIdentifier(d.name)) return undefined;
    exprs.push(d.initializer ? f.createAssignment(d.name, d.initializer) : d.name);
  }
  return [stmt(commaList(exprs))];
}

function commaList(exprs: readonly ts.Expression[]): ts.Expression {
  return exprs.reduce((left, right) => f.createComma(left, right));
}

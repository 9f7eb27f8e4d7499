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
  // A `let` declaration directly in a list is one (or, as `let` newline `x`, reads the same).
  if (ts.isVariableStatement(statement)) return undefined;
  let rest: ts.Statement[] | undefined;
  const rebuild = (s: ts.Statement): ts.Statement | undefined => {
    if (ts.isVariableStatement(s)) {
      if ((s.declarationList.flags & ts.NodeFlags.BlockScoped) !== ts.NodeFlags.Let) return undefined;
      rest = restAfterLet(s.declarationList.declarations);
      return rest && ts.setTextRange(stmt(id("let")), s);
    }
    const last = lastEmbedded(s);
    const repaired = last && rebuild(last);
    return repaired && withLastEmbedded(s, repaired);
  };
  const rebuilt = rebuild(statement);
  return rebuilt && rest ? [rebuilt, ...rest] : undefined;
}

/** The statement that ends `s` in a position holding one statement: a loop's, label's or `with`'s body, an `if`'s last branch. */
function lastEmbedded(s: ts.Statement): ts.Statement | undefined {
  if (ts.isIfStatement(s)) return s.elseStatement ?? s.thenStatement;
  if (ts.isLabeledStatement(s) || ts.isWhileStatement(s) || ts.isForStatement(s) || ts.isForInStatement(s) || ts.isForOfStatement(s) || ts.isWithStatement(s)) return s.statement;
  return undefined;
}

/** `s` with `lastEmbedded(s)` replaced by `inner`. */
function withLastEmbedded(s: ts.Statement, inner: ts.Statement): ts.Statement {
  if (ts.isIfStatement(s)) return s.elseStatement ? f.updateIfStatement(s, s.expression, s.thenStatement, inner) : f.updateIfStatement(s, s.expression, inner, undefined);
  if (ts.isLabeledStatement(s)) return f.updateLabeledStatement(s, s.label, inner);
  if (ts.isWhileStatement(s)) return f.updateWhileStatement(s, s.expression, inner);
  if (ts.isForStatement(s)) return f.updateForStatement(s, s.initializer, s.condition, s.incrementor, inner);
  if (ts.isForInStatement(s)) return f.updateForInStatement(s, s.initializer, s.expression, inner);
  if (ts.isForOfStatement(s)) return f.updateForOfStatement(s, s.awaitModifier, s.initializer, s.expression, inner);
  if (ts.isWithStatement(s)) return f.updateWithStatement(s, s.expression, inner);
  throw new Error(`internal: ${ts.SyntaxKind[s.kind]} holds no embedded statement`);
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

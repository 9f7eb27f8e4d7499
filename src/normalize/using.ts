/**
 * Normalize: `using` and `await using` declarations become a disposal scope around the rest of
 * their block, in the body of a lowered function, before anything else sees it. The scope is an
 * ordinary `try`/`catch`/`finally`, so the machine disposes on every way out — normal end,
 * `return`, `break`, an exception, and, in future mode, a drop (which runs finally blocks).
 *
 *   [source]   { const a = open(); using r = lock(a); await work(r); }
 *   [lowered]  { const a = open();
 *                const $using1 = $rt.usingScope();
 *                try { const r = $using1.use(lock(a)); await work(r); }
 *                catch ($usingError1) { $using1.fail($usingError1); }
 *                finally { $using1.dispose(); } }                      // `await $using1.disposeAsync()` for await using
 *
 * Resources are disposed in reverse order; an error from a disposal while another is on its way
 * out becomes a SuppressedError around both, as the proposal specifies (runtime using.ts).
 * `for (using x of xs)` gives each turn its own scope. A `using` in a `for (;;)` head or directly in
 * a `case` clause is refused with a diagnostic.
 */
import ts from "typescript";
import type { NameAuthority } from "../names.js";
import { block, f, id, runtimeCall } from "./factory.js";
import { isFunctionBoundary } from "../analyze/suspension.js";
import { UnsupportedAwait } from "./spill.js";

export function lowerUsing(statements: readonly ts.Statement[], names: NameAuthority): ts.Statement[] {
  if (!statements.some(containsUsing)) return [...statements];
  return new UsingLowering(names).list(statements);
}

function isUsingList(list: ts.VariableDeclarationList): boolean {
  const scoped = list.flags & ts.NodeFlags.BlockScoped;
  return scoped === ts.NodeFlags.Using || scoped === ts.NodeFlags.AwaitUsing;
}

function isAwaitUsingList(list: ts.VariableDeclarationList): boolean {
  return (list.flags & ts.NodeFlags.BlockScoped) === ts.NodeFlags.AwaitUsing;
}

function containsUsing(node: ts.Node): boolean {
  if (isFunctionBoundary(node)) return false;
  if (ts.isVariableDeclarationList(node) && isUsingList(node)) return true;
  return ts.forEachChild(node, (c) => (containsUsing(c) ? true : undefined)) ?? false;
}

class UsingLowering {
  constructor(private readonly names: NameAuthority) {}

  /** A statement list: from its first `using` on, the rest of the list is the scope's `try`. */
  list(statements: readonly ts.Statement[]): ts.Statement[] {
    const at = statements.findIndex((s) => ts.isVariableStatement(s) && isUsingList(s.declarationList));
    if (at < 0) return statements.map((s) => this.statement(s));
    const before = statements.slice(0, at).map((s) => this.statement(s));
    const rest = statements.slice(at);
    // Function declarations stay hoisted to the list, as they were.
    const hoisted = rest.filter(ts.isFunctionDeclaration).map((s) => this.statement(s));
    const inside = rest.filter((s) => !ts.isFunctionDeclaration(s));
    const scope = this.names.temp("using");
    const error = this.names.temp("usingError");
    const isAsync = inside.some((s) => ts.isVariableStatement(s) && isAwaitUsingList(s.declarationList));
    const body = inside.map((s) => (ts.isVariableStatement(s) && isUsingList(s.declarationList) ? this.declare(s, scope) : this.statement(s)));
    const make = f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(scope, undefined, undefined, runtimeCall("usingScope", []))], ts.NodeFlags.Const));
    const fail = block([f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(id(scope), "fail"), undefined, [id(error)]))]);
    const dispose = isAsync
      ? f.createExpressionStatement(f.createAwaitExpression(f.createCallExpression(f.createPropertyAccessExpression(id(scope), "disposeAsync"), undefined, [])))
      : f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(id(scope), "dispose"), undefined, []));
    // The scope's statements carry the position of the first `using`: its states name that line.
    const first = rest[0]!;
    const guarded = f.createTryStatement(block(this.list(body)), ts.setTextRange(f.createCatchClause(error, fail), first), ts.setTextRange(block([dispose]), first));
    return [...before, ...hoisted, ts.setTextRange(make, first), ts.setTextRange(guarded, first)];
  }

  /** `using a = A, b = B` → `const a = $using1.use(A), b = $using1.use(B)` (`useAsync` for await using). */
  private declare(s: ts.VariableStatement, scope: string): ts.Statement {
    const method = isAwaitUsingList(s.declarationList) ? "useAsync" : "use";
    const declarations = s.declarationList.declarations.map((d) =>
      f.updateVariableDeclaration(d, d.name, undefined, d.type, f.createCallExpression(f.createPropertyAccessExpression(id(scope), method), undefined, [d.initializer ?? f.createVoidZero()])),
    );
    return ts.setTextRange(f.createVariableStatement(s.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword), f.createVariableDeclarationList(declarations, ts.NodeFlags.Const)), s);
  }

  private statement(s: ts.Statement): ts.Statement {
    if (!containsUsing(s)) return s;
    if (ts.isBlock(s)) return f.updateBlock(s, this.list(s.statements));
    if (ts.isForOfStatement(s) && ts.isVariableDeclarationList(s.initializer) && isUsingList(s.initializer)) {
      // for (using x of xs) body  →  for (const $value of xs) { using x = $value; body }
      const decl = s.initializer.declarations[0]!;
      const value = this.names.temp("value");
      const head = f.createVariableDeclarationList([f.createVariableDeclaration(value)], ts.NodeFlags.Const);
      const using = f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(decl.name, undefined, decl.type, id(value))], s.initializer.flags & ts.NodeFlags.BlockScoped));
      const inner = ts.isBlock(s.statement) ? [...s.statement.statements] : [s.statement];
      return f.updateForOfStatement(s, s.awaitModifier, head, s.expression, block(this.list([using, ...inner])));
    }
    if (ts.isForStatement(s) && s.initializer && ts.isVariableDeclarationList(s.initializer) && isUsingList(s.initializer)) {
      throw new UnsupportedAwait(s.initializer, "a `using` declaration in a `for (;;)` head");
    }
    if (ts.isCaseClause(s as ts.Node) || ts.isDefaultClause(s as ts.Node)) return s;
    return ts.visitEachChild(s, (n) => this.visit(n), undefined) as ts.Statement;
  }

  private visit(n: ts.Node): ts.Node {
    if (isFunctionBoundary(n) || !containsUsing(n)) return n;
    if (ts.isCaseClause(n) || ts.isDefaultClause(n)) {
      if (n.statements.some((s) => ts.isVariableStatement(s) && isUsingList(s.declarationList))) {
        throw new UnsupportedAwait(n, "a `using` declaration directly in a `case` clause (put the clause's statements in a block)");
      }
      return ts.isCaseClause(n) ? f.updateCaseClause(n, n.expression, n.statements.map((s) => this.statement(s))) : f.updateDefaultClause(n, n.statements.map((s) => this.statement(s)));
    }
    if (ts.isBlock(n)) return f.updateBlock(n, this.list(n.statements));
    if (ts.isStatement(n)) return this.statement(n);
    return ts.visitEachChild(n, (c) => this.visit(c), undefined);
  }
}

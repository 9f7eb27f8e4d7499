/**
 * Normalize, step 3 (sloppy mode only): Annex B.3.3, functions declared in blocks.
 *
 * In sloppy code a plain function declared in a block is also a `var` of the enclosing function:
 * the var exists (as `undefined`) from the start of the function, and takes the block's function
 * when the declaration is evaluated. Natively the engine does this; a machine must do it itself,
 * because its body is spread over several polls and the var has to live in the machine.
 *
 *   [source]   typeof f; { function f() {} } f();
 *   [lowered]  (var f of the machine)  typeof f; { function f() {} f = f; } f();
 *
 * The inserted `f = f` writes the function's var (its left side) with the block's function (its
 * right side): `annexBVarTargets` tells the binder that the left identifier names the var.
 *
 * The rule applies only where replacing the declaration with `var f` would be legal: not when a
 * parameter is called `f`, nor when an enclosing block (or the function's top level) declares `f`
 * with `let`, `const` or `class`. The spec also counts a same-named function declared in an
 * enclosing block; V8 does not, and the engine is our oracle
 * (fixtures/closures/annex-b-block-functions-rules.ts). Async functions and generators declared in
 * blocks never get the var. (fixtures/closures/block-function-sloppy-annex-b.ts)
 */
import ts from "typescript";
import { isFunctionBoundary } from "../analyze/suspension.js";
import { plainContext } from "../ir/visit.js";
import { assign, f, id, stmt } from "./factory.js";
import { carryNormalizedFacts } from "./statements.js";

/** Left sides of the inserted `f = f`: they name the function's var, not the block's function. */
export const annexBVarTargets = new WeakSet<ts.Identifier>();

export interface AnnexBResult {
  body: ts.Statement[];
  /** Names that get a var of the function because of a block-level function declaration. */
  varNames: string[];
}

export function applyAnnexB(body: readonly ts.Statement[], parameterNames: ReadonlySet<string>): AnnexBResult {
  const varNames = new Set<string>();
  const topLexical = lexicalNames(body);

  /** `enclosing`: names declared lexically by the blocks around the current statement list. */
  const statements = (list: readonly ts.Statement[], enclosing: ReadonlySet<string>, inBlock: boolean): ts.Statement[] => {
    const here = inBlock ? union(enclosing, lexicalNames(list)) : enclosing;
    const out: ts.Statement[] = [];
    for (const s of list) {
      out.push(statement(s, here));
      if (inBlock && qualifies(s, enclosing)) out.push(annexBCopy((s as ts.FunctionDeclaration).name!.text));
    }
    return unchanged(list, out) ? (list as ts.Statement[]) : out;
  };

  const qualifies = (s: ts.Statement, enclosing: ReadonlySet<string>): boolean => {
    if (!ts.isFunctionDeclaration(s) || !s.name || !s.body || s.asteriskToken) return false;
    if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return false;
    const name = s.name.text;
    return name !== "arguments" && !parameterNames.has(name) && !enclosing.has(name) && !topLexical.has(name);
  };

  const statement = (s: ts.Statement, enclosing: ReadonlySet<string>): ts.Statement => {
    // Nodes are rebuilt only where a copy was inserted below them, and keep what the normalizer noted.
    const visitor = (n: ts.Node): ts.Node => carryNormalizedFacts(n, rebuild(n));
    const rebuild = (n: ts.Node): ts.Node => {
      if (isFunctionBoundary(n) || ts.isClassLike(n)) return n;
      if (ts.isBlock(n)) return f.updateBlock(n, statements(n.statements, enclosing, true));
      if (ts.isCaseBlock(n)) {
        const names = union(enclosing, lexicalNames(n.clauses.flatMap((c) => [...c.statements])));
        const clauses = n.clauses.map((c) => {
          // The clause's statements share the case block's scope: `names` already has their declarations.
          const list = statementsIn(c.statements, names);
          return ts.isCaseClause(c) ? f.updateCaseClause(c, ts.visitNode(c.expression, visitor) as ts.Expression, list) : f.updateDefaultClause(c, list);
        });
        return clauses.every((c, i) => c === n.clauses[i]) ? n : f.updateCaseBlock(n, clauses);
      }
      if ((ts.isForStatement(n) || ts.isForInStatement(n) || ts.isForOfStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer) && n.initializer.flags & ts.NodeFlags.BlockScoped) {
        const names = union(enclosing, declaredNames(n.initializer));
        return ts.visitEachChild(n, (c) => (ts.isStatement(c) ? statement(c, names) : visitor(c)), plainContext);
      }
      if (ts.isCatchClause(n) && n.variableDeclaration && !ts.isIdentifier(n.variableDeclaration.name)) {
        // A destructured catch parameter conflicts with a var of the same name (B.3.4 covers only identifiers).
        const names = union(enclosing, declaredNames(n.variableDeclaration));
        return f.updateCatchClause(n, n.variableDeclaration, f.updateBlock(n.block, statements(n.block.statements, names, true)));
      }
      return ts.visitEachChild(n, visitor, plainContext);
    };
    return visitor(s) as ts.Statement;
  };

  /** The statements of a case clause: a statement list of the case block, which declared `names`. */
  const statementsIn = (list: readonly ts.Statement[], names: ReadonlySet<string>): ts.Statement[] => {
    const out: ts.Statement[] = [];
    for (const s of list) {
      out.push(statement(s, names));
      if (qualifies(s, names)) out.push(annexBCopy((s as ts.FunctionDeclaration).name!.text));
    }
    return unchanged(list, out) ? (list as ts.Statement[]) : out;
  };

  /** `f = f`: the function's var (left) takes the block's function (right). */
  const annexBCopy = (name: string): ts.Statement => {
    const target = id(name);
    annexBVarTargets.add(target);
    varNames.add(name);
    return stmt(assign(target, id(name)));
  };

  const result = statements(body, new Set(), false);
  return { body: result, varNames: [...varNames] };
}

/** Names a statement list declares with `let`, `const` or `class`: a var of the same name would clash. */
function lexicalNames(list: readonly ts.Statement[]): Set<string> {
  const out = new Set<string>();
  for (const s of list) {
    if (ts.isVariableStatement(s) && s.declarationList.flags & ts.NodeFlags.BlockScoped) for (const n of declaredNames(s.declarationList)) out.add(n);
    else if (ts.isClassDeclaration(s) && s.name) out.add(s.name.text);
  }
  return out;
}

function declaredNames(node: ts.VariableDeclarationList | ts.VariableDeclaration): Set<string> {
  const out = new Set<string>();
  if (ts.isVariableDeclarationList(node)) for (const d of node.declarations) boundNames(d.name, out);
  else boundNames(node.name, out);
  return out;
}

/** The names a binding pattern (or identifier) declares. */
export function boundNames(name: ts.BindingName, into = new Set<string>()): Set<string> {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) boundNames(el.name, into);
  return into;
}

function unchanged(before: readonly ts.Statement[], after: readonly ts.Statement[]): boolean {
  return before.length === after.length && before.every((s, i) => s === after[i]);
}

function union(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a, ...b]);
}

/**
 * Normalize (functions with parameter expressions only): the parameters get a scope of their own.
 *
 * When a parameter has a default value (or a destructuring pattern has one, or a computed key), the
 * spec evaluates the parameter list in a scope that the body's declarations are not in, and gives the
 * body a separate scope for its `var`s. So a closure in the parameter list sees the parameter `a`,
 * never a body `var a`; a body `var a` starts as a copy of the parameter `a`, and after that the two
 * are different variables; a default value cannot see a function or `let` declared in the body.
 *
 * The machine gets the same shape: the statements that bind the parameters, then the body as one
 * block whose scope holds the body's declarations (`functionBodyBlocks` tells the binder to treat
 * that block's `var`s as its own). A body `var` named like a parameter starts with a copy of it:
 *
 *   [source]   async function f(a, get = () => a) { var a; a = 100; ... }
 *   [lowered]  let a = $args[0]; let get = ...;  { a = a; a = 100; ... }
 *              (in the block, `a` is the body's var; the right side of the copy reads the parameter)
 *
 * Only functions that need it get the block: with no parameter expressions, or when the body declares
 * no name that a parameter has or a parameter expression mentions, one scope behaves the same.
 * (fixture closures/parameter-scope-closures)
 */
import ts from "typescript";
import { isFunctionBoundary } from "../analyze/suspension.js";
import { identifiersIn } from "../names.js";
import { boundNames } from "./annexB.js";
import { assign, block, id, stmt } from "./factory.js";

/** Blocks that are a function's body in a scope of its own, below the parameters' scope. */
export const functionBodyBlocks = new WeakSet<ts.Block>();

/** Identifiers that read the parameter scope's binding, past a body `var` of the same name. */
export const parameterReads = new WeakSet<ts.Identifier>();

/** Does the parameter list evaluate code (a default value or a computed key)? */
export function hasParameterExpressions(parameters: readonly ts.ParameterDeclaration[]): boolean {
  const inPattern = (name: ts.BindingName): boolean =>
    !ts.isIdentifier(name) && name.elements.some((el) => !ts.isOmittedExpression(el) && (!!el.initializer || (!!el.propertyName && ts.isComputedPropertyName(el.propertyName)) || inPattern(el.name)));
  return parameters.some((p) => !!p.initializer || inPattern(p.name));
}

/**
 * The machine body: `prelude` (binding the parameters) then `body`, in a block of its own when the
 * two scopes can be told apart. `extraVars`: names the body also declares as vars (Annex B).
 * `ownArguments`: the function has an `arguments` object (it is no arrow); then a body
 * `var arguments` starts as that object, as a var named like a parameter does (fixture
 * hygiene/params-var-scope).
 */
export function withParameterScope(parameters: readonly ts.ParameterDeclaration[], prelude: readonly ts.Statement[], body: readonly ts.Statement[], extraVars: readonly string[], ownArguments: boolean): ts.Statement[] {
  if (!hasParameterExpressions(parameters)) return [...prelude, ...body];
  const parameterNames = new Set(parameters.flatMap((p) => [...boundNames(p.name)]));
  const mentioned = new Set<string>(parameterNames);
  for (const p of parameters) identifiersIn(p, mentioned);
  const declared = bodyDeclaredNames(body, extraVars);
  if (![...declared.all].some((n) => mentioned.has(n))) return [...prelude, ...body];

  const copied = new Set(parameterNames);
  if (ownArguments && !declared.functions.has("arguments")) copied.add("arguments");
  const copies = [...declared.vars].filter((n) => copied.has(n) && !declared.functions.has(n)).map((n) => {
    const read = id(n);
    parameterReads.add(read);
    return stmt(assign(id(n), read));
  });
  const own = block([...copies, ...body]);
  functionBodyBlocks.add(own);
  return [...prelude, own];
}

/** Names a function body declares at its top: its `var`s (from any depth), functions, lexicals. */
function bodyDeclaredNames(body: readonly ts.Statement[], extraVars: readonly string[]): { vars: Set<string>; functions: Set<string>; all: Set<string> } {
  const vars = new Set(extraVars);
  const visit = (n: ts.Node): void => {
    if (isFunctionBoundary(n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclarationList(n) && !(n.flags & ts.NodeFlags.BlockScoped)) for (const d of n.declarations) boundNames(d.name, vars);
    ts.forEachChild(n, visit);
  };
  body.forEach(visit);
  const all = new Set(vars);
  const functions = new Set<string>();
  for (const s of body) {
    if (ts.isFunctionDeclaration(s) && s.name) functions.add(s.name.text);
    if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) all.add(s.name.text);
    else if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) boundNames(d.name, all);
  }
  return { vars, functions, all };
}

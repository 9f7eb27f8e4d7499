/**
 * Scopes and bindings of one (normalized) async function body: which declaration every identifier
 * refers to, which bindings belong to the machine, and which are captured by nested functions.
 *
 * A binding is *machine-level* when its scope is split into states: the function's own scope
 * (parameters, `var`s, top-level declarations) and every block scope that contains a suspension.
 * Only machine-level bindings can outlive one `poll`; the layout phase gives each a home (a field,
 * a local of `poll`, or a slot in a captured environment). Bindings of scopes without a
 * suspension stay where they are: such statements pass through untouched.
 *
 * Works on nodes without parent pointers (the normalizer's output), walking top-down.
 */
import ts from "typescript";
import { annexBVarTargets } from "../normalize/annexB.js";
import { functionBodyBlocks, parameterReads } from "../normalize/parameterScope.js";
import { containsSuspension, isFunctionBoundary } from "./suspension.js";
import { runtimeReferences } from "../normalize/factory.js";

export type BindingKind = "param" | "var" | "let" | "const" | "function" | "class" | "catch" | "temp";

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The declaring scope. */
  scope: Scope;
  /** Read or written from inside a nested function or class body. */
  captured: boolean;
  /** Assignments do not change it (a named function expression's own name). */
  readOnly?: boolean;
  /** Every use (not the declaration), with the outermost nested function it sits in, if any. */
  uses: Array<{ id: ts.Identifier; closure: ts.Node | undefined }>;
  /** Declared in a scope that the machine splits into states. */
  machineLevel: boolean;
  /** Type annotation written at the declaration, if any. */
  type?: ts.TypeNode;
  /** The declaration node (VariableDeclaration, Parameter, FunctionDeclaration, ...). */
  declaration?: ts.Node;
}

export interface Scope {
  node: ts.Node;
  parent: Scope | undefined;
  kind: "function" | "block" | "nested-function" | "class";
  /** True for the machine's function scope and for block scopes containing a suspension. */
  lowered: boolean;
  bindings: Map<string, Binding>;
}

export interface BindingInfo {
  /** Every identifier that refers to (or declares) a binding declared inside the function. */
  refs: Map<ts.Identifier, Binding>;
  /** Machine-level bindings, in declaration order. */
  machineBindings: Binding[];
  functionScope: Scope;
  /** Scopes (nodes) of the machine whose bindings are captured: they get an environment object. */
  scopeOf: Map<ts.Node, Scope>;
  /** Does `this` / `arguments` / `super` / `new.target` of the function appear (also in arrows)? */
  usesThis: boolean;
  usesArguments: boolean;
  usesSuper: boolean;
  usesNewTarget: boolean;
  /**
   * A `var arguments` of the function (no parameter or function of that name): natively it is the
   * arguments object's own binding, so it starts as the arguments object (fixture hygiene/strict-names-arguments).
   */
  argumentsVar?: Binding;
  /** Names read or written that no declaration inside the function binds (free variables). */
  free: Set<string>;
  /** Identifiers that declare a binding (as opposed to using it). */
  declarationNames: WeakSet<ts.Identifier>;
}

/** Binds a function. `params` are the machine's parameters (identifiers), `body` its normalized statements. */
export function bindFunction(params: readonly ts.Identifier[], body: readonly ts.Statement[], bodyNode: ts.Node, annexBVars: readonly string[] = []): BindingInfo {
  const refs = new Map<ts.Identifier, Binding>();
  const machineBindings: Binding[] = [];
  const scopeOf = new Map<ts.Node, Scope>();
  const info: BindingInfo = { refs, machineBindings, functionScope: undefined!, scopeOf, usesThis: false, usesArguments: false, usesSuper: false, usesNewTarget: false, free: new Set(), declarationNames: new WeakSet() };
  const declarationNames = info.declarationNames;

  const newScope = (node: ts.Node, parent: Scope | undefined, kind: Scope["kind"], lowered: boolean): Scope => {
    const s: Scope = { node, parent, kind, lowered, bindings: new Map() };
    scopeOf.set(node, s);
    return s;
  };

  const declare = (scope: Scope, name: ts.Identifier, kind: BindingKind, declaration?: ts.Node, type?: ts.TypeNode): void => {
    let b = scope.bindings.get(name.text);
    if (!b) {
      b = { name: name.text, kind, scope, captured: false, machineLevel: scope.lowered, declaration, type, uses: [] };
      scope.bindings.set(name.text, b);
      if (b.machineLevel) machineBindings.push(b);
    }
    refs.set(name, b);
    declarationNames.add(name);
  };

  const declarePattern = (scope: Scope, name: ts.BindingName, kind: BindingKind, declaration: ts.Node, type?: ts.TypeNode): void => {
    if (ts.isIdentifier(name)) declare(scope, name, kind, declaration, type);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) declarePattern(scope, el.name, kind, declaration);
  };

  /** Hoists `var` declarations (not into nested functions) to `scope`. */
  const hoistVars = (node: ts.Node, scope: Scope): void => {
    const visit = (n: ts.Node): void => {
      if (isFunctionBoundary(n) || ts.isClassLike(n)) return;
      if (ts.isVariableDeclarationList(n) && !(n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) {
        for (const d of n.declarations) declarePattern(scope, d.name, "var", d, d.type);
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
  };

  /** Lexical declarations directly in a statement list. */
  const declareLexical = (statements: readonly ts.Node[], scope: Scope): void => {
    for (const s of statements) {
      if (ts.isVariableStatement(s) && s.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
        const kind = s.declarationList.flags & ts.NodeFlags.Const ? "const" : "let";
        for (const d of s.declarationList.declarations) declarePattern(scope, d.name, kind, d, d.type);
      } else if (ts.isFunctionDeclaration(s) && s.name) {
        declare(scope, s.name, "function", s);
      } else if (ts.isClassDeclaration(s) && s.name) {
        declare(scope, s.name, "class", s);
      }
    }
  };

  const lookup = (scope: Scope | undefined, name: string): Binding | undefined => {
    for (let s = scope; s; s = s.parent) {
      const b = s.bindings.get(name);
      if (b) return b;
    }
    return undefined;
  };

  /** Is `scope` inside a nested function relative to the binding's scope? */
  const crossesFunction = (from: Scope, to: Scope): boolean => {
    for (let s: Scope | undefined = from; s && s !== to; s = s.parent) if (s.kind === "nested-function" || s.kind === "class") return true;
    return false;
  };

  const reference = (idNode: ts.Identifier, scope: Scope): void => {
    if (runtimeReferences.has(idNode)) return; // the runtime, whatever the user calls `$rt`
    const b = annexBVarTargets.has(idNode) ? varScope.bindings.get(idNode.text) : parameterReads.has(idNode) ? lookup(info.functionScope, idNode.text) : lookup(scope, idNode.text);
    if (!b) {
      info.free.add(idNode.text);
      if (idNode.text === "arguments" && !insideNonArrow(scope)) info.usesArguments = true;
      return;
    }
    refs.set(idNode, b);
    if (b.machineLevel && crossesFunction(scope, b.scope)) b.captured = true;
    if (b.machineLevel) b.uses.push({ id: idNode, closure: outermostClosure(scope, b.scope) });
  };

  /** The nested function (or class) nearest to `to` on the way up from `from`. */
  const outermostClosure = (from: Scope, to: Scope): ts.Node | undefined => {
    let found: ts.Node | undefined;
    for (let s: Scope | undefined = from; s && s !== to; s = s.parent) if (s.kind === "nested-function" || s.kind === "class") found = s.node;
    return found;
  };

  const insideNonArrow = (scope: Scope): boolean => {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      if (s.kind === "nested-function") return !ts.isArrowFunction(s.node);
      if (s.kind === "class") return true;
    }
    return false;
  };

  const visitFunctionLike = (fn: ts.SignatureDeclaration & { body?: ts.Node }, scope: Scope): void => {
    const inner = newScope(fn, scope, "nested-function", false);
    if ((ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn)) && fn.name && ts.isFunctionExpression(fn)) declare(inner, fn.name, "function", fn);
    for (const p of fn.parameters) declarePattern(inner, p.name, "param", p);
    if (fn.body) {
      hoistVars(fn.body, inner);
      if (ts.isBlock(fn.body)) declareLexical(fn.body.statements, inner);
    }
    // A non-arrow function binds its own arguments object: an outer binding named arguments
    // (a parameter, a var) is not what its body reads (hygiene/fuzzfix-arguments-inner-function).
    if (!ts.isArrowFunction(fn) && !inner.bindings.has("arguments")) {
      inner.bindings.set("arguments", { name: "arguments", kind: "var", scope: inner, captured: false, machineLevel: false, uses: [] });
    }
    for (const p of fn.parameters) {
      visitPatternDefaults(p.name, inner);
      if (p.initializer) visit(p.initializer, inner);
    }
    if (fn.body) {
      if (ts.isBlock(fn.body)) for (const s of fn.body.statements) visit(s, inner);
      else visit(fn.body, inner);
    }
  };

  const visitPatternDefaults = (name: ts.BindingName, scope: Scope): void => {
    if (ts.isIdentifier(name)) return;
    for (const el of name.elements) {
      if (ts.isOmittedExpression(el)) continue;
      if (el.propertyName && ts.isComputedPropertyName(el.propertyName)) visit(el.propertyName.expression, scope);
      visitPatternDefaults(el.name, scope);
      if (el.initializer) visit(el.initializer, scope);
    }
  };

  const blockScope = (node: ts.Node, scope: Scope): Scope => newScope(node, scope, "block", scope.kind !== "nested-function" && isLoweredScope(scope) && containsSuspension(node));

  function visit(node: ts.Node, scope: Scope): void {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isIdentifier(node)) return reference(node, scope);
    switch (node.kind) {
      case ts.SyntaxKind.ThisKeyword:
        if (!insideNonArrow(scope)) info.usesThis = true;
        return;
      case ts.SyntaxKind.SuperKeyword:
        // `super.m()` calls with the function's `this`: using super uses this.
        if (!insideNonArrow(scope)) info.usesSuper = info.usesThis = true;
        return;
    }
    if (ts.isMetaProperty(node)) {
      if (node.keywordToken === ts.SyntaxKind.NewKeyword && !insideNonArrow(scope)) info.usesNewTarget = true;
      return;
    }
    if (ts.isPropertyAccessExpression(node)) return visit(node.expression, scope);
    if (ts.isQualifiedName(node)) return;
    if (ts.isLabeledStatement(node)) return visit(node.statement, scope);
    if (ts.isBreakOrContinueStatement(node)) return;
    if (ts.isPropertyAssignment(node)) {
      if (ts.isComputedPropertyName(node.name)) visit(node.name.expression, scope);
      return visit(node.initializer, scope);
    }
    if (ts.isShorthandPropertyAssignment(node)) {
      reference(node.name, scope);
      if (node.objectAssignmentInitializer) visit(node.objectAssignmentInitializer, scope);
      return;
    }
    if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node)) return visitFunctionLike(node, scope);
    if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node) || ts.isConstructorDeclaration(node)) {
      if (node.name && ts.isComputedPropertyName(node.name)) visit(node.name.expression, scope);
      return visitFunctionLike(node, scope);
    }
    if (ts.isClassLike(node)) {
      const cls = newScope(node, scope, "class", false);
      if (ts.isClassExpression(node) && node.name) declare(cls, node.name, "class", node);
      for (const h of node.heritageClauses ?? []) for (const t of h.types) visit(t.expression, scope);
      for (const m of node.members) {
        if (m.name && ts.isComputedPropertyName(m.name)) visit(m.name.expression, scope);
        if (ts.isPropertyDeclaration(m) && m.initializer) visit(m.initializer, cls);
        else if (ts.isClassStaticBlockDeclaration(m)) visit(m.body, cls);
        else if (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m) || ts.isConstructorDeclaration(m)) visitFunctionLike(m, cls);
      }
      return;
    }
    if (ts.isVariableDeclarationList(node) && !(node.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) {
      // Annex B: `var e` inside `catch (e)` declares the function's e but writes the catch parameter.
      for (const d of node.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        const b = lookup(scope, d.name.text);
        if (b?.kind === "catch") refs.set(d.name, b);
      }
      return ts.forEachChild(node, (c) => visit(c, scope));
    }
    if (ts.isVariableDeclaration(node)) {
      visitPatternDefaults(node.name, scope);
      if (node.initializer) visit(node.initializer, scope);
      return;
    }
    if (ts.isBlock(node) && functionBodyBlocks.has(node)) {
      // The body below the parameters' scope (normalize/parameterScope.ts): its vars are its own.
      const s = newScope(node, scope, "block", true);
      varScope = s;
      hoistVars(node, s);
      declareAnnexBVars(s);
      declareLexical(node.statements, s);
      for (const st of node.statements) visit(st, s);
      return;
    }
    if (ts.isBlock(node)) {
      const s = blockScope(node, scope);
      declareLexical(node.statements, s);
      for (const st of node.statements) visit(st, s);
      return;
    }
    if (ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) {
      const s = blockScope(node, scope);
      const init = node.initializer;
      if (init && ts.isVariableDeclarationList(init) && init.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
        const kind = init.flags & ts.NodeFlags.Const ? "const" : "let";
        for (const d of init.declarations) declarePattern(s, d.name, kind, d, d.type);
      }
      ts.forEachChild(node, (c) => visit(c, s));
      return;
    }
    if (ts.isSwitchStatement(node)) {
      visit(node.expression, scope);
      const s = blockScope(node.caseBlock, scope);
      for (const c of node.caseBlock.clauses) declareLexical(c.statements, s);
      for (const c of node.caseBlock.clauses) {
        if (ts.isCaseClause(c)) visit(c.expression, s);
        for (const st of c.statements) visit(st, s);
      }
      return;
    }
    if (ts.isTryStatement(node)) {
      visit(node.tryBlock, scope);
      if (node.catchClause) visitCatch(node.catchClause, scope, isLoweredScope(scope) && containsSuspension(node));
      if (node.finallyBlock) visit(node.finallyBlock, scope);
      return;
    }
    if (ts.isCatchClause(node)) return visitCatch(node, scope, false);
    ts.forEachChild(node, (c) => visit(c, scope));
  }

  function visitCatch(node: ts.CatchClause, scope: Scope, lowered: boolean): void {
    {
      const s = newScope(node, scope, "block", lowered);
      if (node.variableDeclaration) {
        declarePattern(s, node.variableDeclaration.name, "catch", node.variableDeclaration, node.variableDeclaration.type);
        visitPatternDefaults(node.variableDeclaration.name, s);
      }
      visit(node.block, s);
    }
  }

  /** A scope is split into states when it is the function scope or a block containing a suspension. */
  function isLoweredScope(scope: Scope): boolean {
    return scope.lowered;
  }

  const fnScope = newScope(bodyNode, undefined, "function", true);
  info.functionScope = fnScope;
  /** The scope of the body's vars: the function's, or the body's own below the parameters'. */
  let varScope = fnScope;
  // Annex B (normalize/annexB.ts): a sloppy-mode function declared in a block is also a var.
  const declareAnnexBVars = (scope: Scope): void => {
    for (const name of annexBVars) if (!scope.bindings.has(name)) declare(scope, ts.factory.createIdentifier(name), "var");
  };
  for (const p of params) declare(fnScope, p, "param");
  for (const s of body) if (!(ts.isBlock(s) && functionBodyBlocks.has(s))) hoistVars(s, fnScope);
  if (!body.some((s) => ts.isBlock(s) && functionBodyBlocks.has(s))) declareAnnexBVars(fnScope);
  declareLexical(body, fnScope);
  for (const s of body) visit(s, fnScope);
  const argumentsVar = fnScope.bindings.get("arguments");
  if (argumentsVar?.kind === "var" && varScope === fnScope && !body.some((s) => isFunctionNamedArguments(s))) {
    info.argumentsVar = argumentsVar;
    info.usesArguments = true;
  }
  return info;
}

function isFunctionNamedArguments(s: ts.Node): boolean {
  if (ts.isFunctionDeclaration(s)) return s.name?.text === "arguments";
  if (isFunctionBoundary(s)) return false;
  return ts.forEachChild(s, (c) => (isFunctionNamedArguments(c) ? true : undefined)) ?? false;
}

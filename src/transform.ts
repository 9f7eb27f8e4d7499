/**
 * The transformer: finds every async function (discover), lowers each through the pipeline, puts
 * the machine class at the top of the innermost statement list around the function (so that it
 * sees the same variables) and leaves a wrapper where the function was. The same factory serves
 * `lower()`, the CLI and the ts-patch plugin.
 *
 * Nested async functions are lowered first (post-order): an outer machine then sees an inner one's
 * wrapper and class as ordinary code.
 */
import ts from "typescript";
import type { Diagnostic, MachineInfo, Mode, Phase } from "./api.js";
import { identifiersIn, NameAuthority } from "./names.js";
import { f, hasModifier, runtimeCall } from "./normalize/factory.js";
import { containsLowerable, functionNameOf, isLowerable } from "./discover/functions.js";
import { lowerFunction, type AsyncFunctionNode } from "./pipeline.js";
import { UnsupportedAwait } from "./normalize/spill.js";
import { nativeKey } from "./refusals.js";
import { splitTrailingLet } from "./normalize/letAsName.js";
import { asyncMethodsBlock, markedObjectLiteral } from "./emit/asyncMethods.js";

export interface TransformReport {
  machines: MachineInfo[];
  diagnostics: Diagnostic[];
}

export interface TransformOptions {
  fileName: string;
  /** promise: indistinguishable from native (default). future: Rust's lazy futures. */
  mode?: Mode;
  functionName?: string;
  /** Receives each phase boundary of each machine as text. */
  observe?: (phase: Phase, text: string) => void;
  /**
   * Functions to leave as the engine's own (refusals.ts: `with`, direct `eval`), by `nativeKey`,
   * each with the comment written where its machine would have been. Functions inside them are
   * still lowered.
   */
  leftNative?: ReadonlyMap<string, string>;
  /** The file has a direct `eval`: it may assign any name at any time, so no name is stable. */
  hasDirectEval?: boolean;
}


export function unawaitTransformer(options: TransformOptions, report: TransformReport): ts.TransformerFactory<ts.SourceFile> {
  return (context) => (sourceFile) => {
    const names = new NameAuthority(identifiersIn(sourceFile));
    const assigned = assignedNames(sourceFile);
    const isStableName = (name: string): boolean => !options.hasDirectEval && !assigned.has(name);
    /** Only promise mode's wrappers are async functions (a future-mode call returns a future). */
    const promiseMode = (options.mode ?? "promise") === "promise";
    /** Classes waiting to be placed at the top of the statement list being visited. */
    const frames: ts.Statement[][] = [];
    /**
     * Classes being visited. A machine whose body uses private names (`this.#x`) must be written
     * inside the class body: it becomes a static private field, `static #m$Future = class ...`.
     */
    const classFrames: Array<{ name: string | undefined; depth: number; members: ts.ClassElement[] }> = [];

    const placeIn = (statements: readonly ts.Statement[], classes: ts.Statement[]): ts.Statement[] => {
      if (classes.length === 0) return [...statements];
      let at = 0;
      while (at < statements.length && (isPrologue(statements[at]!) || ts.isImportDeclaration(statements[at]!) || ts.isImportEqualsDeclaration(statements[at]!))) at++;
      return [...statements.slice(0, at), ...classes, ...statements.slice(at)];
    };

    const withFrame = <T>(fn: () => T): { result: T; classes: ts.Statement[] } => {
      frames.push([]);
      const result = fn();
      return { result, classes: frames.pop()! };
    };

    const visitStatementList = (list: ts.NodeArray<ts.Statement>): ts.Statement[] => {
      const { result, classes } = withFrame(() => ts.visitNodes(list, visit, ts.isStatement));
      return placeIn(result, classes);
    };

    /** A statement in a position that is not a list (loop body, if branch): becomes a block if it needs one. */
    const visitEmbedded = (s: ts.Statement): ts.Statement => {
      const { result, classes } = withFrame(() => ts.visitNode(s, visit, ts.isStatement)!);
      if (classes.length === 0) return result;
      return f.createBlock(placeIn(ts.isBlock(result) ? result.statements : [result], classes), true);
    };

    const visit = (nodeIn: ts.Node): ts.VisitResult<ts.Node> => {
      const node = nodeIn;
      // `for (...) let` newline `x = 1`: `let` is a name there (normalize/letAsName.ts).
      const split = ts.isStatement(node) ? splitTrailingLet(node) : undefined;
      if (split) return split.flatMap((s) => ts.visitNode(s, visit, ts.isStatement) ?? []);
      if (ts.isBlock(node)) return f.updateBlock(node, visitStatementList(node.statements));
      if (ts.isCaseClause(node)) return f.updateCaseClause(node, ts.visitNode(node.expression, visit, ts.isExpression)!, visitStatementList(node.statements));
      if (ts.isDefaultClause(node)) return f.updateDefaultClause(node, visitStatementList(node.statements));
      if (ts.isModuleBlock(node)) return f.updateModuleBlock(node, visitStatementList(node.statements));
      // A labelled statement is transparent: machine classes made inside go in front of the label, so
      // that it still labels its loop (fuzz/found/labeled-do-while-continue-closure-in-condition).
      if (ts.isLabeledStatement(node)) return f.updateLabeledStatement(node, node.label, ts.visitNode(node.statement, visit, ts.isStatement)!);
      if (ts.isIterationStatement(node, false) || ts.isIfStatement(node) || ts.isWithStatement(node)) {
        return ts.visitEachChild(node, (c) => (ts.isStatement(c) && !ts.isBlock(c) ? visitEmbedded(c) : visit(c)), context);
      }
      if (ts.isArrowFunction(node) && !ts.isBlock(node.body) && containsLowerable(node.body) && !isLowerable(node)) {
        const { result, classes } = withFrame(() => ts.visitNode(node.body, visit, ts.isConciseBody)!);
        const body = classes.length ? f.createBlock([...classes, f.createReturnStatement(result as ts.Expression)], true) : result;
        return f.updateArrowFunction(node, node.modifiers, node.typeParameters, node.parameters, node.type, node.equalsGreaterThanToken, body);
      }
      if (isLowerable(node)) {
        const node = nodeIn as AsyncFunctionNode;
        if (options.functionName !== undefined && functionNameOf(node) !== options.functionName) return ts.visitEachChild(node, visit, context);
        const nativeComment = options.leftNative?.get(nativeKey(nodeIn));
        if (nativeComment !== undefined) return commentedNative(ts.visitEachChild(node, visit, context), nativeComment);
        // Inner functions first.
        let inner: AsyncFunctionNode;
        let innerClasses: ts.Statement[] = [];
        if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
          const r = withFrame(() => ts.visitNode(node.body, visit, ts.isConciseBody)!);
          inner = f.updateArrowFunction(node, node.modifiers, node.typeParameters, node.parameters, node.type, node.equalsGreaterThanToken, r.result);
          innerClasses = r.classes;
        } else {
          inner = ts.visitEachChild(node, visit, context) as AsyncFunctionNode;
        }
        try {
          const owner = classFrames[classFrames.length - 1];
          const inClass = owner && owner.depth === frames.length && usesPrivateNames(inner) ? owner : undefined;
          if (inClass && inClass.name === undefined) {
            throw new UnsupportedAwait(node, "an async method that uses private names in an anonymous class (give the class a name)");
          }
          const lowered = lowerFunction(inner, node, { sourceFile, fileName: options.fileName, mode: options.mode ?? "promise", names, isStableName, innerClasses, ownerClass: inClass?.name, observe: options.observe });
          report.machines.push(lowered.info);
          if (inClass) {
            const c = lowered.classDecl;
            const expr = f.createClassExpression(undefined, c.name, c.typeParameters, c.heritageClauses, c.members);
            ts.moveSyntheticComments(expr, c);
            inClass.members.push(f.createPropertyDeclaration([f.createModifier(ts.SyntaxKind.StaticKeyword)], f.createPrivateIdentifier(`#${c.name!.text}`), undefined, undefined, expr));
          } else {
            const frame = frames[frames.length - 1];
            if (frame) frame.push(lowered.classDecl, ...lowered.after);
            else throw new Error("internal: no statement list to place the machine in");
          }
          return lowered.replacement ?? [];
        } catch (e) {
          if (e instanceof UnsupportedAwait) {
            report.diagnostics.push(diagnosticAt(sourceFile, options.fileName, e.node.pos >= 0 ? e.node : node, "UA2001", e.message, "error"));
            return inner;
          }
          throw e;
        }
      }
      if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
        // An anonymous class expression whose lowered methods use private names gets a name of its
        // own to reach their machines by; its first static element gives back the name it had.
        const anonymous = ts.isClassExpression(node) && !node.name && node.members.some((m) => isLowerable(m) && usesPrivateNames(m));
        const frame = { name: anonymous ? names.temp("class") : node.name?.text, depth: frames.length, members: [] as ts.ClassElement[] };
        classFrames.push(frame);
        const visited = ts.visitEachChild(node, visit, context);
        classFrames.pop();
        const marks = promiseMode ? asyncMethodsBlock(node.members, visited.members) : undefined;
        if (frame.members.length === 0 && !marks) return visited;
        const members = [...(marks ? [marks] : []), ...frame.members, ...visited.members];
        if (ts.isClassDeclaration(visited)) return f.updateClassDeclaration(visited, visited.modifiers, visited.name, visited.typeParameters, visited.heritageClauses, members);
        if (anonymous && !node.members.some((m) => hasModifier(m, ts.SyntaxKind.StaticKeyword) && m.name !== undefined && ts.isIdentifier(m.name) && m.name.text === "name")) {
          const restore = runtimeCall("className", [f.createThis(), f.createStringLiteral(functionNameOf(node as never) ?? "")]);
          members.unshift(f.createClassStaticBlockDeclaration(f.createBlock([f.createExpressionStatement(restore)])));
        }
        return f.updateClassExpression(visited, visited.modifiers, anonymous ? f.createIdentifier(frame.name!) : visited.name, visited.typeParameters, visited.heritageClauses, members);
      }
      if (ts.isObjectLiteralExpression(node) && promiseMode) return markedObjectLiteral(node, ts.visitEachChild(node, visit, context));
      return ts.visitEachChild(node, visit, context);
    };

    const { result, classes } = withFrame(() => ts.visitNodes(sourceFile.statements, visit, ts.isStatement));
    return f.updateSourceFile(sourceFile, placeIn(result, classes));
  };
}

/**
 * A function left native, with a comment where its machine would have been (refusals.ts):
 *
 *   // unawait: async function `f` (input.ts:1) is left native: the direct `eval` at 3:10 ...
 *   async function f(code) { ... }
 *
 * A line comment before a declaration or a method; a block comment in an expression, where a line
 * break could end a `return` early.
 */
function commentedNative(node: ts.Node, comment: string): ts.Node {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return ts.addSyntheticLeadingComment(node, ts.SyntaxKind.SingleLineCommentTrivia, ` ${comment}`, true);
  return ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, ` ${comment.replace(/\*\//g, "* /")} `, false);
}

function usesPrivateNames(node: ts.Node): boolean {
  if (ts.isPrivateIdentifier(node)) return true;
  return ts.forEachChild(node, (c) => (usesPrivateNames(c) ? true : undefined)) ?? false;
}

function isPrologue(s: ts.Statement): boolean {
  return ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression);
}


/** Names that some code in the file assigns to: reading them before and after an await may differ. */
function assignedNames(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>(["arguments", "undefined"]);
  const target = (e: ts.Node): void => {
    if (ts.isIdentifier(e)) out.add(e.text);
    else if (ts.isParenthesizedExpression(e)) target(e.expression);
    else if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) ts.forEachChild(e, target);
    else if (ts.isPropertyAssignment(e)) target(e.initializer);
    else if (ts.isShorthandPropertyAssignment(e)) out.add(e.name.text);
    else if (ts.isSpreadElement(e) || ts.isSpreadAssignment(e)) target(e.expression);
    else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) target(e.left);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) target(n.left);
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) target(n.operand);
    if ((ts.isForInStatement(n) || ts.isForOfStatement(n)) && !ts.isVariableDeclarationList(n.initializer)) target(n.initializer);
    if (ts.isVariableDeclarationList(n) && !(n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) {
      // `var` may be declared (and so assigned) several times, or read before its initialiser runs.
      for (const d of n.declarations) forEachName(d.name, (x) => out.add(x));
    }
    if (ts.isVariableDeclarationList(n) && n.flags & ts.NodeFlags.Let) {
      for (const d of n.declarations) if (!d.initializer) forEachName(d.name, (x) => out.add(x));
    }
    if (ts.isFunctionDeclaration(n) && n.name) out.add(n.name.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function forEachName(name: ts.BindingName, fn: (n: string) => void): void {
  if (ts.isIdentifier(name)) return fn(name.text);
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) forEachName(el.name, fn);
}


export function diagnosticAt(sf: ts.SourceFile, fileName: string, node: ts.Node, code: string, message: string, severity: "error" | "warning"): Diagnostic {
  const start = node.pos >= 0 ? node.getStart(sf) : 0;
  const { line, character } = sf.getLineAndCharacterOfPosition(start);
  const length = node.pos >= 0 ? node.getEnd() - start : 0;
  return { severity, code, message, fileName, line: line + 1, column: character + 1, start, length };
}

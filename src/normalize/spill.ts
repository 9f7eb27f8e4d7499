/**
 * Normalize, step 1: lift every `await` to statement level, keeping the evaluation order.
 *
 * After this pass an `await` appears only as a whole statement, in one of three forms:
 *
 *   await x;            $value = await x;            const $value = await x;
 *
 * Operands evaluated *before* an await in the same expression are saved in temporaries named for
 * their role; operands evaluated after it stay where they are. Short-circuiting operators become
 * `if` statements so that the untaken side never awaits.
 *
 *   [source]   total += price(item) * await rate(cur);
 *   [lowered]  const $left1 = total;
 *              const $left2 = price(item);
 *              const $awaited1 = await rate(cur);
 *              total = $left1 + $left2 * $awaited1;
 *
 *   [source]   o.m(a(), await b())          (a method call: `this` must stay `o`)
 *   [lowered]  const $receiver1 = o; const $callee1 = $receiver1.m; const $arg1 = a();
 *              const $awaited1 = await b(); $rt.call($callee1, $receiver1, $arg1, $awaited1)
 *
 *   [source]   x = a && await b
 *   [lowered]  let $result1 = a; if ($result1) { $result1 = await b; } x = $result1;
 */
import ts from "typescript";
import { containsSuspension, isSuspensionExpression, withOperand, type SuspensionExpression } from "../analyze/suspension.js";
import type { NameAuthority, TempRole } from "../names.js";
import { assign, block, declare, f, id, isNullish, not, runtimeCall, runtimeMember, skipOuter, stmt } from "./factory.js";

/** Statements to run first, then an expression with no `await` left in it. */
export interface Spilled {
  pre: ts.Statement[];
  expr: ts.Expression;
}

/** Decides whether reading a name may give a different value after an await (see Normalizer). */
export type IsStableName = (name: string) => boolean;

export class Spiller {
  /** Temporaries this pass made: each is assigned once, so reading it later is always safe. */
  private readonly temps = new Set<string>();

  constructor(
    private readonly names: NameAuthority,
    private readonly isStableName: IsStableName,
  ) {}

  isTemp(name: string): boolean {
    return this.temps.has(name);
  }

  /** `const $role1 = e;` → `$role1` */
  tempFor(e: ts.Expression, role: TempRole, pre: ts.Statement[], kind: "const" | "let" = "const"): ts.Identifier {
    const name = this.names.temp(role);
    this.temps.add(name);
    pre.push(declare(kind, name, e));
    return id(name);
  }

  /** `let $role1;` → `$role1` (assigned on every path later). */
  emptyTemp(role: TempRole, pre: ts.Statement[]): ts.Identifier {
    const name = this.names.temp(role);
    this.temps.add(name);
    pre.push(declare("let", name));
    return id(name);
  }

  /** Would evaluating `e` later give the same value and the same effects as evaluating it now? */
  isStable(e: ts.Expression): boolean {
    const x = skipOuter(e);
    if (ts.isIdentifier(x)) return this.temps.has(x.text) || (x.text !== "arguments" && this.isStableName(x.text));
    return (
      ts.isLiteralExpression(x) ||
      ts.isNoSubstitutionTemplateLiteral(x) ||
      x.kind === ts.SyntaxKind.TrueKeyword ||
      x.kind === ts.SyntaxKind.FalseKeyword ||
      x.kind === ts.SyntaxKind.NullKeyword ||
      x.kind === ts.SyntaxKind.ThisKeyword ||
      ts.isFunctionExpression(x) ||
      ts.isArrowFunction(x)
    );
  }

  /** Evaluate now: keep stable expressions as they are, save anything else in a temporary. */
  private stabilize(r: Spilled, role: TempRole, pre: ts.Statement[]): ts.Expression {
    pre.push(...r.pre);
    return this.isStable(r.expr) ? r.expr : this.tempFor(r.expr, role, pre);
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions

  spill(e: ts.Expression): Spilled {
    if (!containsSuspension(e)) return { pre: [], expr: e };
    if (ts.isParenthesizedExpression(e)) return this.wrap(e.expression, (x) => f.updateParenthesizedExpression(e, x));
    if (ts.isAsExpression(e)) return this.wrap(e.expression, (x) => f.updateAsExpression(e, x, e.type));
    if (ts.isSatisfiesExpression(e)) return this.wrap(e.expression, (x) => f.updateSatisfiesExpression(e, x, e.type));
    if (ts.isNonNullExpression(e)) return this.wrap(e.expression, (x) => f.updateNonNullExpression(e, x));
    if (ts.isTypeAssertionExpression(e)) return this.wrap(e.expression, (x) => f.updateTypeAssertion(e, e.type, x));
    if (isSuspensionExpression(e)) return this.suspension(e);
    if (ts.isBinaryExpression(e)) return this.binary(e);
    if (ts.isConditionalExpression(e)) return this.conditional(e);
    if (ts.isOptionalChain(e)) return this.optionalChain(e);
    if (ts.isCallExpression(e)) return this.call(e);
    if (ts.isNewExpression(e)) return this.newExpression(e);
    if (ts.isPropertyAccessExpression(e)) return this.wrap(e.expression, (x) => f.updatePropertyAccessExpression(e, x, e.name));
    if (ts.isElementAccessExpression(e)) {
      const { pre, exprs } = this.inOrder([e.expression, e.argumentExpression], ["object", "key"]);
      return { pre, expr: f.updateElementAccessExpression(e, exprs[0]!, exprs[1]!) };
    }
    if (ts.isPrefixUnaryExpression(e)) {
      if (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken) {
        const ref = this.reference(e.operand, false);
        return { pre: ref.pre, expr: f.updatePrefixUnaryExpression(e, ref.target) };
      }
      return this.wrap(e.operand, (x) => f.updatePrefixUnaryExpression(e, x));
    }
    if (ts.isPostfixUnaryExpression(e)) {
      const ref = this.reference(e.operand, false);
      return { pre: ref.pre, expr: f.updatePostfixUnaryExpression(e, ref.target) };
    }
    if (ts.isTypeOfExpression(e)) return this.wrap(e.expression, (x) => f.updateTypeOfExpression(e, x));
    if (ts.isVoidExpression(e)) return this.wrap(e.expression, (x) => f.updateVoidExpression(e, x));
    if (ts.isDeleteExpression(e)) {
      const ref = this.reference(e.expression, false);
      return { pre: ref.pre, expr: f.updateDeleteExpression(e, ref.target) };
    }
    if (ts.isTemplateExpression(e)) return this.template(e);
    if (ts.isTaggedTemplateExpression(e)) return this.taggedTemplate(e);
    if (ts.isArrayLiteralExpression(e)) return this.arrayLiteral(e);
    if (ts.isObjectLiteralExpression(e)) return this.objectLiteral(e);
    if (ts.isClassExpression(e)) return this.classExpression(e);
    if (ts.isSpreadElement(e)) return this.wrap(e.expression, (x) => f.updateSpreadElement(e, x));
    throw new UnsupportedAwait(e, `an \`await\` inside ${describeKind(e)}`);
  }

  private wrap(inner: ts.Expression, rebuild: (x: ts.Expression) => ts.Expression): Spilled {
    const r = this.spill(inner);
    return { pre: r.pre, expr: rebuild(r.expr) };
  }

  /**
   * `await x` inside a larger expression → `const $awaited1 = await x;` and `$awaited1`; `yield x`
   * likewise (`$sent1`, the value next(v) sends), and `yield* x` (`$delegated1`, the value it returns).
   */
  private suspension(e: SuspensionExpression): Spilled {
    const r: { pre: ts.Statement[]; expr: ts.Expression | undefined } = e.expression ? this.spill(e.expression) : { pre: [], expr: undefined };
    const pre = r.pre;
    const value = this.tempFor(withOperand(e, r.expr), ts.isAwaitExpression(e) ? "awaited" : e.asteriskToken ? "delegated" : "sent", pre);
    return { pre, expr: value };
  }

  /**
   * Operands evaluated left to right: every operand before the last one that awaits is evaluated
   * into a temporary (unless stable); the last awaiting one and those after it stay in place.
   */
  inOrder(exprs: readonly ts.Expression[], roles: readonly TempRole[] | TempRole): { pre: ts.Statement[]; exprs: ts.Expression[] } {
    const pre: ts.Statement[] = [];
    let last = -1;
    exprs.forEach((x, i) => {
      if (containsSuspension(x)) last = i;
    });
    const out = exprs.map((x, i) => {
      const role = typeof roles === "string" ? roles : roles[i] ?? "value";
      if (i > last) return x;
      if (ts.isSpreadElement(x)) {
        const r = this.spill(x.expression);
        pre.push(...r.pre);
        if (i === last) return f.updateSpreadElement(x, r.expr);
        return f.updateSpreadElement(x, this.tempFor(f.createArrayLiteralExpression([f.createSpreadElement(r.expr)]), "spread", pre));
      }
      if (ts.isOmittedExpression(x)) return x;
      const r = this.spill(x);
      if (i === last) {
        pre.push(...r.pre);
        return r.expr;
      }
      return this.stabilize(r, role, pre);
    });
    return { pre, exprs: out };
  }

  private binary(e: ts.BinaryExpression): Spilled {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      return this.logical(e.left, op, e.right);
    }
    if (op === ts.SyntaxKind.EqualsToken) return this.assignment(e);
    if (op === ts.SyntaxKind.AmpersandAmpersandEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken) {
      return this.logicalAssignment(e);
    }
    if (isCompoundAssignment(op)) return this.compoundAssignment(e);
    if (op === ts.SyntaxKind.CommaToken) {
      const left = this.spill(e.left);
      const pre = [...left.pre];
      if (!this.isStable(left.expr)) pre.push(stmt(left.expr));
      const right = this.spill(e.right);
      return { pre: [...pre, ...right.pre], expr: right.expr };
    }
    if (ts.isPrivateIdentifier(e.left)) {
      // `#x in await o`
      const right = this.spill(e.right);
      return { pre: right.pre, expr: f.updateBinaryExpression(e, e.left, e.operatorToken, right.expr) };
    }
    const { pre, exprs } = this.inOrder([e.left, e.right], ["left", "value"]);
    return { pre, expr: f.updateBinaryExpression(e, exprs[0]!, e.operatorToken, exprs[1]!) };
  }

  /** `a && b`, `a || b`, `a ?? b` where `b` awaits: the right side runs only when needed. */
  private logical(left: ts.Expression, op: ts.SyntaxKind, right: ts.Expression): Spilled {
    const l = this.spill(left);
    if (!containsSuspension(right)) {
      return { pre: l.pre, expr: f.createBinaryExpression(l.expr, op as ts.BinaryOperator, right) };
    }
    const pre = [...l.pre];
    const result = this.tempFor(l.expr, "result", pre, "let");
    const r = this.spill(right);
    const whenRight = block([...r.pre, stmt(assign(result, r.expr))]);
    pre.push(f.createIfStatement(conditionFor(op, result), whenRight));
    return { pre, expr: result };
  }

  private conditional(e: ts.ConditionalExpression): Spilled {
    const c = this.spill(e.condition);
    if (!containsSuspension(e.whenTrue) && !containsSuspension(e.whenFalse)) {
      return { pre: c.pre, expr: f.updateConditionalExpression(e, c.expr, e.questionToken, e.whenTrue, e.colonToken, e.whenFalse) };
    }
    const pre = [...c.pre];
    const result = this.emptyTemp("result", pre);
    const t = this.spill(e.whenTrue);
    const fl = this.spill(e.whenFalse);
    pre.push(
      f.createIfStatement(c.expr, block([...t.pre, stmt(assign(result, t.expr))]), block([...fl.pre, stmt(assign(result, fl.expr))])),
    );
    return { pre, expr: result };
  }

  // ---------------------------------------------------------------------------------------------
  // References: the targets of assignments, `++`, `delete`

  /**
   * Evaluates the parts of a reference (`o` and `k` of `o[k]`) and gives back a target expression
   * that can be read and written. With `stable`, the parts are saved so that the target can be used
   * after an await.
   */
  reference(target: ts.Expression, stable: boolean): { pre: ts.Statement[]; target: ts.Expression } {
    const t = skipOuter(target);
    if (ts.isPropertyAccessExpression(t) && !ts.isOptionalChain(t)) {
      if (t.expression.kind === ts.SyntaxKind.SuperKeyword) return { pre: [], target: t };
      const r = this.spill(t.expression);
      const pre: ts.Statement[] = [];
      const object = stable ? this.stabilize(r, "object", pre) : (pre.push(...r.pre), r.expr);
      return { pre, target: f.updatePropertyAccessExpression(t, object, t.name) };
    }
    if (ts.isElementAccessExpression(t) && !ts.isOptionalChain(t)) {
      if (stable) {
        const pre: ts.Statement[] = [];
        const object = t.expression.kind === ts.SyntaxKind.SuperKeyword ? t.expression : this.stabilize(this.spill(t.expression), "object", pre);
        const key = this.stabilize(this.spill(t.argumentExpression), "key", pre);
        return { pre, target: f.updateElementAccessExpression(t, object, key) };
      }
      const { pre, exprs } = this.inOrder([t.expression, t.argumentExpression], ["object", "key"]);
      return { pre, target: f.updateElementAccessExpression(t, exprs[0]!, exprs[1]!) };
    }
    if (ts.isIdentifier(t)) return { pre: [], target: t };
    const r = this.spill(t);
    return { pre: r.pre, target: r.expr };
  }

  private assignment(e: ts.BinaryExpression): Spilled {
    const left = skipOuter(e.left);
    if (ts.isObjectLiteralExpression(left) || ts.isArrayLiteralExpression(left)) {
      const r = this.spill(e.right);
      if (!containsSuspension(left)) return { pre: r.pre, expr: f.updateBinaryExpression(e, e.left, e.operatorToken, r.expr) };
      const pre = [...r.pre];
      const value = this.isStable(r.expr) ? r.expr : this.tempFor(r.expr, "value", pre);
      pre.push(...this.destructure(left, value, (target, v) => this.assignTo(target, v)));
      return { pre, expr: value };
    }
    const rightAwaits = containsSuspension(e.right);
    const ref = this.reference(left, rightAwaits);
    const r = this.spill(e.right);
    return { pre: [...ref.pre, ...r.pre], expr: f.updateBinaryExpression(e, ref.target, e.operatorToken, r.expr) };
  }

  /** `x += await y` reads `x` before the await: `const $left1 = x; ...; x = $left1 + $awaited1`. */
  private compoundAssignment(e: ts.BinaryExpression): Spilled {
    const rightAwaits = containsSuspension(e.right);
    const ref = this.reference(e.left, rightAwaits);
    if (!rightAwaits) return { pre: ref.pre, expr: f.updateBinaryExpression(e, ref.target, e.operatorToken, e.right) };
    const pre = [...ref.pre];
    const old = this.tempFor(ref.target, "left", pre);
    const r = this.spill(e.right);
    pre.push(...r.pre);
    const op = binaryOperatorOf(e.operatorToken.kind);
    return { pre, expr: assign(ref.target, f.createBinaryExpression(old, op, r.expr)) };
  }

  /** `x ??= await y`: the right side runs (and the target is written) only when needed. */
  private logicalAssignment(e: ts.BinaryExpression): Spilled {
    const ref = this.reference(e.left, true);
    const pre = [...ref.pre];
    const current = this.tempFor(ref.target, "value", pre, "let");
    const op =
      e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandEqualsToken
        ? ts.SyntaxKind.AmpersandAmpersandToken
        : e.operatorToken.kind === ts.SyntaxKind.BarBarEqualsToken
          ? ts.SyntaxKind.BarBarToken
          : ts.SyntaxKind.QuestionQuestionToken;
    const r = this.spill(e.right);
    pre.push(f.createIfStatement(conditionFor(op, current), block([...r.pre, stmt(assign(current, r.expr)), stmt(assign(ref.target, current))])));
    return { pre, expr: current };
  }

  /** An assignment target inside a destructuring pattern. */
  private assignTo(target: ts.Expression, value: ts.Expression): ts.Statement[] {
    const r = this.reference(target, false);
    return [...r.pre, stmt(assign(r.target, value))];
  }

  // ---------------------------------------------------------------------------------------------
  // Calls

  private call(e: ts.CallExpression): Spilled {
    const callee = skipOuter(e.expression);
    const argsAwait = e.arguments.some(containsSuspension);
    if (callee.kind === ts.SyntaxKind.SuperKeyword || callee.kind === ts.SyntaxKind.ImportKeyword || !argsAwait) {
      // Only the callee awaits (or there is nothing to evaluate before the arguments).
      if (!argsAwait) {
        if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
          const ref = this.reference(callee, false);
          return { pre: ref.pre, expr: f.updateCallExpression(e, ref.target, e.typeArguments, e.arguments) };
        }
        const r = this.spill(e.expression);
        return { pre: r.pre, expr: f.updateCallExpression(e, r.expr, e.typeArguments, e.arguments) };
      }
      const { pre, exprs } = this.inOrder(e.arguments, "arg");
      return { pre, expr: f.updateCallExpression(e, e.expression, e.typeArguments, exprs) };
    }
    const pre: ts.Statement[] = [];
    if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
      // The method is looked up before the arguments are evaluated, and called with `this` = object.
      const isSuper = callee.expression.kind === ts.SyntaxKind.SuperKeyword;
      const receiver = isSuper ? f.createThis() : this.stabilize(this.spill(callee.expression), "receiver", pre);
      const member = ts.isPropertyAccessExpression(callee)
        ? f.updatePropertyAccessExpression(callee, isSuper ? callee.expression : receiver, callee.name)
        : f.updateElementAccessExpression(callee, isSuper ? callee.expression : receiver, this.stabilize(this.spill(callee.argumentExpression), "key", pre));
      const fn = this.tempFor(member, "callee", pre);
      const args = this.inOrder(e.arguments, "arg");
      pre.push(...args.pre);
      return { pre, expr: runtimeCall("call", [fn, receiver, ...args.exprs]) };
    }
    const fn = this.stabilize(this.spill(e.expression), "callee", pre);
    const args = this.inOrder(e.arguments, "arg");
    pre.push(...args.pre);
    return { pre, expr: f.updateCallExpression(e, fn, e.typeArguments, args.exprs) };
  }

  /**
   * Looks a method up before its arguments are evaluated: `const $receiver1 = o; const $callee1 =
   * $receiver1.m;` — to be called later with `this` = the receiver.
   */
  private method(member: ts.PropertyAccessExpression | ts.ElementAccessExpression, pre: ts.Statement[]): { fn: ts.Identifier; receiver: ts.Expression } {
    const receiver = this.stabilize(this.spill(member.expression), "receiver", pre);
    const lookup = ts.isPropertyAccessExpression(member)
      ? f.createPropertyAccessExpression(receiver, member.name)
      : f.createElementAccessExpression(receiver, this.stabilize(this.spill(member.argumentExpression), "key", pre));
    return { fn: this.tempFor(lookup, "callee", pre), receiver };
  }

  private newExpression(e: ts.NewExpression): Spilled {
    const args = e.arguments ?? f.createNodeArray();
    const { pre, exprs } = this.inOrder([e.expression, ...args], ["callee", ...args.map((): TempRole => "arg")]);
    return { pre, expr: f.updateNewExpression(e, exprs[0]!, e.typeArguments, e.arguments ? exprs.slice(1) : undefined) };
  }

  /**
   * An optional chain that awaits: each `?.` becomes an `if`, so nothing after a nullish link is
   * evaluated — `a?.b(await c)` never awaits when `a` is nullish.
   *
   *   [source]   r = a?.b(await c)
   *   [lowered]  let $result1; const $object1 = a;
   *              if ($object1 !== null && $object1 !== undefined) {
   *                const $callee1 = $object1.b; const $awaited1 = await c;
   *                $result1 = $rt.call($callee1, $object1, $awaited1); }
   */
  private optionalChain(e: ts.Expression): Spilled {
    const links: ts.Expression[] = [];
    let node: ts.Expression = e;
    while (ts.isOptionalChain(node)) {
      links.unshift(node);
      node = (node as ts.PropertyAccessExpression | ts.ElementAccessExpression | ts.CallExpression).expression;
      if (ts.isNonNullExpression(node) && ts.isOptionalChain(node.expression)) node = node.expression;
    }
    const pre: ts.Statement[] = [];
    const result = this.emptyTemp("result", pre);
    let current: ts.Expression;
    let receiver: ts.Expression | undefined;
    const base = skipOuter(node);
    if (ts.isCallExpression(links[0]!) && (ts.isPropertyAccessExpression(base) || ts.isElementAccessExpression(base)) && base.expression.kind !== ts.SyntaxKind.SuperKeyword) {
      // `o.m?.(await x)`: the method is looked up on `o`, and called with `this` = `o`.
      ({ fn: current, receiver } = this.method(base, pre));
    } else {
      current = this.stabilize(this.spill(node), "object", pre);
    }
    let into = pre;
    links.forEach((link, i) => {
      const last = i === links.length - 1;
      const questionDot = (link as ts.PropertyAccessExpression).questionDotToken !== undefined;
      if (questionDot) {
        const inner: ts.Statement[] = [];
        into.push(f.createIfStatement(not(isNullish(current)), block(inner)));
        into = inner;
      }
      let value: ts.Expression;
      const next = links[i + 1];
      const nextIsCall = next !== undefined && ts.isCallExpression(next);
      if (ts.isPropertyAccessExpression(link)) {
        value = f.createPropertyAccessExpression(current, link.name);
      } else if (ts.isElementAccessExpression(link)) {
        const k = this.spill(link.argumentExpression);
        into.push(...k.pre);
        value = f.createElementAccessExpression(current, k.expr);
      } else {
        const call = link as ts.CallExpression;
        const args = this.inOrder(call.arguments, "arg");
        into.push(...args.pre);
        value = receiver ? runtimeCall("call", [current, receiver, ...args.exprs]) : f.createCallExpression(current, undefined, args.exprs);
      }
      receiver = nextIsCall && !ts.isCallExpression(link) ? current : undefined;
      if (last) into.push(stmt(assign(result, value)));
      else current = this.tempFor(value, nextIsCall ? "callee" : "object", into);
    });
    return { pre, expr: result };
  }

  // ---------------------------------------------------------------------------------------------
  // Literals

  /** Template literals convert each substitution to a string as they go: saved parts are saved converted. */
  private template(e: ts.TemplateExpression): Spilled {
    const parts = e.templateSpans.map((s) => s.expression);
    const pre: ts.Statement[] = [];
    let last = -1;
    parts.forEach((p, i) => {
      if (containsSuspension(p)) last = i;
    });
    const out = parts.map((p, i) => {
      if (i > last) return p;
      const r = this.spill(p);
      pre.push(...r.pre);
      if (i === last) return r.expr;
      return this.tempFor(f.createTemplateExpression(f.createTemplateHead(""), [f.createTemplateSpan(r.expr, f.createTemplateTail(""))]), "template", pre);
    });
    const spans = e.templateSpans.map((s, i) => f.updateTemplateSpan(s, out[i]!, s.literal));
    return { pre, expr: f.updateTemplateExpression(e, e.head, spans) };
  }

  /**
   * A tagged template whose substitutions await: the tag is looked up first; the call gets the
   * strings object of this very site (`$rt.templateObject` at the same place), as natively.
   */
  private taggedTemplate(e: ts.TaggedTemplateExpression): Spilled {
    const template = e.template;
    if (!ts.isTemplateExpression(template) || !template.templateSpans.some((s) => containsSuspension(s.expression))) {
      const tag = skipOuter(e.tag);
      if (ts.isPropertyAccessExpression(tag) || ts.isElementAccessExpression(tag)) {
        const ref = this.reference(tag, false);
        return { pre: ref.pre, expr: f.updateTaggedTemplateExpression(e, ref.target, e.typeArguments, e.template) };
      }
      const r = this.spill(e.tag);
      return { pre: r.pre, expr: f.updateTaggedTemplateExpression(e, r.expr, e.typeArguments, e.template) };
    }
    const pre: ts.Statement[] = [];
    const tag = skipOuter(e.tag);
    let fn: ts.Expression;
    let receiver: ts.Expression | undefined;
    if (ts.isPropertyAccessExpression(tag) || ts.isElementAccessExpression(tag)) {
      ({ fn, receiver } = this.method(tag, pre));
    } else {
      fn = this.stabilize(this.spill(e.tag), "callee", pre);
    }
    const subs = this.inOrder(template.templateSpans.map((s) => s.expression), "arg");
    pre.push(...subs.pre);
    const site = f.createTaggedTemplateExpression(
      runtimeMember("templateObject"),
      undefined,
      f.updateTemplateExpression(template, template.head, template.templateSpans.map((s) => f.updateTemplateSpan(s, f.createNumericLiteral(0), s.literal))),
    );
    const args = [site, ...subs.exprs];
    return { pre, expr: receiver ? runtimeCall("call", [fn, receiver, ...args]) : f.createCallExpression(fn, undefined, args) };
  }

  private arrayLiteral(e: ts.ArrayLiteralExpression): Spilled {
    const { pre, exprs } = this.inOrder(e.elements, "element");
    return { pre, expr: f.updateArrayLiteralExpression(e, exprs) };
  }

  /**
   * Object literals: computed keys are converted to property keys as they are evaluated; spreads
   * before an await are copied at their turn (`const $spread1 = { ...s }`); methods and accessors
   * stay in the literal (their `super` is the literal's).
   */
  private objectLiteral(e: ts.ObjectLiteralExpression): Spilled {
    type Slot = { prop: number; part: "key" | "value"; expr: ts.Expression };
    const slots: Slot[] = [];
    e.properties.forEach((p, i) => {
      if (p.name && ts.isComputedPropertyName(p.name)) slots.push({ prop: i, part: "key", expr: p.name.expression });
      if (ts.isPropertyAssignment(p)) slots.push({ prop: i, part: "value", expr: p.initializer });
      else if (ts.isShorthandPropertyAssignment(p)) slots.push({ prop: i, part: "value", expr: p.name });
      else if (ts.isSpreadAssignment(p)) slots.push({ prop: i, part: "value", expr: p.expression });
    });
    let last = -1;
    slots.forEach((s, i) => {
      if (containsSuspension(s.expr)) last = i;
    });
    const pre: ts.Statement[] = [];
    const keyOf = new Map<number, ts.Expression>();
    const valueOf = new Map<number, ts.Expression>();
    slots.forEach((s, i) => {
      if (i > last) return;
      const r = this.spill(s.expr);
      pre.push(...r.pre);
      const p = e.properties[s.prop]!;
      let out: ts.Expression;
      if (i === last) out = r.expr;
      else if (s.part === "key") out = this.isStable(r.expr) && ts.isLiteralExpression(skipOuter(r.expr)) ? r.expr : this.tempFor(runtimeCall("propertyKey", [r.expr]), "key", pre);
      else if (ts.isSpreadAssignment(p)) out = this.tempFor(f.createObjectLiteralExpression([f.createSpreadAssignment(r.expr)]), "spread", pre);
      else out = this.isStable(r.expr) ? r.expr : this.tempFor(r.expr, "value", pre);
      (s.part === "key" ? keyOf : valueOf).set(s.prop, out);
    });
    const props = e.properties.map((p, i): ts.ObjectLiteralElementLike => {
      const key = keyOf.get(i);
      const value = valueOf.get(i);
      const name = key && p.name && ts.isComputedPropertyName(p.name) ? f.updateComputedPropertyName(p.name, key) : p.name;
      if (ts.isPropertyAssignment(p)) return f.updatePropertyAssignment(p, name as ts.PropertyName, value ?? p.initializer);
      if (ts.isShorthandPropertyAssignment(p)) return value ? f.createPropertyAssignment(p.name, value) : p;
      if (ts.isSpreadAssignment(p)) return value ? f.updateSpreadAssignment(p, value) : p;
      if (ts.isMethodDeclaration(p)) return f.updateMethodDeclaration(p, p.modifiers, p.asteriskToken, name as ts.PropertyName, p.questionToken, p.typeParameters, p.parameters, p.type, p.body);
      if (ts.isGetAccessorDeclaration(p)) return f.updateGetAccessorDeclaration(p, p.modifiers, name as ts.PropertyName, p.parameters, p.type, p.body);
      if (ts.isSetAccessorDeclaration(p)) return f.updateSetAccessorDeclaration(p, p.modifiers, name as ts.PropertyName, p.parameters, p.body);
      return p;
    });
    return { pre, expr: f.updateObjectLiteralExpression(e, props) };
  }

  /** `class extends (await base()) { [await key()]() {} }`: heritage, then computed names, in order. */
  classExpression(e: ts.ClassExpression): Spilled {
    const heritage = e.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const slots: ts.Expression[] = [];
    if (heritage) slots.push(heritage.expression);
    const computed = e.members.filter((m) => m.name !== undefined && ts.isComputedPropertyName(m.name));
    for (const m of computed) slots.push((m.name as ts.ComputedPropertyName).expression);
    let last = -1;
    slots.forEach((s, i) => {
      if (containsSuspension(s)) last = i;
    });
    const pre: ts.Statement[] = [];
    const out = slots.map((s, i) => {
      if (i > last) return s;
      const r = this.spill(s);
      pre.push(...r.pre);
      if (i === last) return r.expr;
      const isKey = !(heritage && i === 0);
      return isKey ? this.tempFor(runtimeCall("propertyKey", [r.expr]), "key", pre) : this.stabilize({ pre: [], expr: r.expr }, "base", pre);
    });
    let k = 0;
    const heritageClauses = e.heritageClauses?.map((h) =>
      h.token === ts.SyntaxKind.ExtendsKeyword ? f.updateHeritageClause(h, [f.updateExpressionWithTypeArguments(h.types[0]!, out[k++]!, h.types[0]!.typeArguments)]) : h,
    );
    const members = e.members.map((m) => {
      if (!(m.name !== undefined && ts.isComputedPropertyName(m.name))) return m;
      return renameMember(m, f.updateComputedPropertyName(m.name, out[k++]!));
    });
    return { pre, expr: f.updateClassExpression(e, e.modifiers, e.name, e.typeParameters, heritageClauses, members) };
  }

  // ---------------------------------------------------------------------------------------------
  // Destructuring whose pattern awaits (in a default or a computed key)

  /**
   * Destructures `value` step by step, so that awaits in defaults and computed keys happen in the
   * spec's order. `bind(target, value)` makes the statements that store one leaf.
   */
  destructure(
    pattern: ts.BindingPattern | ts.ObjectLiteralExpression | ts.ArrayLiteralExpression,
    value: ts.Expression,
    bind: (target: ts.Expression, value: ts.Expression) => ts.Statement[],
  ): ts.Statement[] {
    const out: ts.Statement[] = [];
    const leaf = (target: ts.Node, init: ts.Expression | undefined, get: (pre: ts.Statement[]) => ts.Expression): void => {
      const isPattern = isPatternNode(target);
      // Assignment targets that are references are evaluated before the value is read.
      const ref = !isPattern && !ts.isIdentifier(target) && ts.isExpression(target) ? this.reference(target, true) : undefined;
      if (ref) out.push(...ref.pre);
      let v = this.tempFor(get(out), "value", out, init ? "let" : "const");
      if (init) {
        const d = this.spill(init);
        out.push(f.createIfStatement(f.createBinaryExpression(v, ts.SyntaxKind.EqualsEqualsEqualsToken, f.createVoidZero()), block([...d.pre, stmt(assign(v, d.expr))])));
      }
      if (isPattern) out.push(...this.destructure(target as ts.BindingPattern, v, bind));
      else out.push(...bind(ref ? ref.target : (target as ts.Expression), v));
    };
    if (ts.isObjectBindingPattern(pattern) || ts.isObjectLiteralExpression(pattern)) {
      out.push(stmt(runtimeCall("requireObjectCoercible", [value])));
      const seen: ts.Expression[] = [];
      const elements = ts.isObjectBindingPattern(pattern) ? pattern.elements : pattern.properties;
      for (const el of elements) {
        if (ts.isBindingElement(el)) {
          if (el.dotDotDotToken) {
            out.push(...bind(el.name as unknown as ts.Expression, runtimeCall("objectRest", [value, f.createArrayLiteralExpression(seen)])));
            continue;
          }
          const key = this.patternKey(el.propertyName ?? (el.name as ts.Identifier), out);
          seen.push(key);
          leaf(el.name, el.initializer, () => f.createElementAccessExpression(value, key));
        } else if (ts.isSpreadAssignment(el)) {
          out.push(...bind(el.expression, runtimeCall("objectRest", [value, f.createArrayLiteralExpression(seen)])));
        } else if (ts.isShorthandPropertyAssignment(el)) {
          const key = f.createStringLiteral(el.name.text);
          seen.push(key);
          leaf(el.name, el.objectAssignmentInitializer, () => f.createElementAccessExpression(value, key));
        } else if (ts.isPropertyAssignment(el)) {
          const key = this.patternKey(el.name, out);
          seen.push(key);
          let target: ts.Expression = el.initializer;
          let init: ts.Expression | undefined;
          if (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
            init = target.right;
            target = target.left;
          }
          leaf(target, init, () => f.createElementAccessExpression(value, key));
        }
      }
      return out;
    }
    // Array patterns walk the iterator; it is closed unless exhausted, also when a step throws.
    const iter = this.tempFor(runtimeCall("iterate", [value]), "iter", out);
    const body: ts.Statement[] = [];
    const saved = out.length;
    const elements = ts.isArrayBindingPattern(pattern) ? pattern.elements : (pattern as ts.ArrayLiteralExpression).elements;
    for (const el of elements) {
      if (ts.isOmittedExpression(el)) {
        out.push(stmt(runtimeCall("stepOrUndefined", [iter])));
      } else if ((ts.isBindingElement(el) && el.dotDotDotToken) || ts.isSpreadElement(el)) {
        // A rest element whose target is a pattern is destructured in turn (fixture
        // hygiene/loop-head-patterns-suspending: `[...{ x = yield }]`).
        const target = ts.isSpreadElement(el) ? el.expression : (el.name as unknown as ts.Expression);
        if (isPatternNode(target)) leaf(target, undefined, () => runtimeCall("restOfIterator", [iter]));
        else out.push(...bind(target, runtimeCall("restOfIterator", [iter])));
      } else if (ts.isBindingElement(el)) {
        leaf(el.name, el.initializer, () => runtimeCall("stepOrUndefined", [iter]));
      } else {
        let target: ts.Expression = el;
        let init: ts.Expression | undefined;
        if (ts.isBinaryExpression(target) && target.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          init = target.right;
          target = target.left;
        }
        leaf(target, init, () => runtimeCall("stepOrUndefined", [iter]));
      }
    }
    body.push(...out.splice(saved));
    // Closed however the pattern is left: after a throw (the throw wins), and in the finally — also
    // when a generator is returned from at a yield inside the pattern.
    const caught = this.names.temp("caught");
    out.push(
      f.createTryStatement(
        block(body),
        f.createCatchClause(caught, block([stmt(runtimeCall("closeIteratorAfterThrow", [iter])), f.createThrowStatement(id(caught))])),
        block([stmt(runtimeCall("closeIterator", [iter]))]),
      ),
    );
    return out;
  }

  private patternKey(name: ts.PropertyName, pre: ts.Statement[]): ts.Expression {
    if (ts.isComputedPropertyName(name)) {
      const r = this.spill(name.expression);
      pre.push(...r.pre);
      return this.tempFor(runtimeCall("propertyKey", [r.expr]), "key", pre);
    }
    if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return f.createStringLiteral(name.text);
    if (ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return f.createStringLiteral(ts.isNumericLiteral(name) ? String(Number(name.text)) : name.text);
    return f.createStringLiteral(name.getText());
  }
}

/** Is the target of a destructuring step a pattern in turn (binding, or assignment written as a literal)? */
function isPatternNode(target: ts.Node): boolean {
  return ts.isObjectBindingPattern(target) || ts.isArrayBindingPattern(target) || ts.isObjectLiteralExpression(target) || ts.isArrayLiteralExpression(target);
}

/** An `await` in a place the lowering does not handle; reported as a diagnostic at the node. */
export class UnsupportedAwait extends Error {
  constructor(
    readonly node: ts.Node,
    what: string,
  ) {
    super(`unawait cannot lower ${what} yet`);
  }
}

function conditionFor(op: ts.SyntaxKind, value: ts.Expression): ts.Expression {
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return value;
  if (op === ts.SyntaxKind.BarBarToken) return not(value);
  return isNullish(value);
}

function isCompoundAssignment(op: ts.SyntaxKind): boolean {
  return op >= ts.SyntaxKind.FirstCompoundAssignment && op <= ts.SyntaxKind.LastCompoundAssignment;
}

function binaryOperatorOf(op: ts.SyntaxKind): ts.BinaryOperator {
  const map: Partial<Record<ts.SyntaxKind, ts.BinaryOperator>> = {
    [ts.SyntaxKind.PlusEqualsToken]: ts.SyntaxKind.PlusToken,
    [ts.SyntaxKind.MinusEqualsToken]: ts.SyntaxKind.MinusToken,
    [ts.SyntaxKind.AsteriskEqualsToken]: ts.SyntaxKind.AsteriskToken,
    [ts.SyntaxKind.AsteriskAsteriskEqualsToken]: ts.SyntaxKind.AsteriskAsteriskToken,
    [ts.SyntaxKind.SlashEqualsToken]: ts.SyntaxKind.SlashToken,
    [ts.SyntaxKind.PercentEqualsToken]: ts.SyntaxKind.PercentToken,
    [ts.SyntaxKind.LessThanLessThanEqualsToken]: ts.SyntaxKind.LessThanLessThanToken,
    [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken]: ts.SyntaxKind.GreaterThanGreaterThanToken,
    [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
    [ts.SyntaxKind.AmpersandEqualsToken]: ts.SyntaxKind.AmpersandToken,
    [ts.SyntaxKind.BarEqualsToken]: ts.SyntaxKind.BarToken,
    [ts.SyntaxKind.CaretEqualsToken]: ts.SyntaxKind.CaretToken,
  };
  const r = map[op];
  if (r === undefined) throw new Error(`not a compound assignment: ${ts.SyntaxKind[op]}`);
  return r;
}

function renameMember(m: ts.ClassElement, name: ts.ComputedPropertyName): ts.ClassElement {
  if (ts.isMethodDeclaration(m)) return f.updateMethodDeclaration(m, m.modifiers, m.asteriskToken, name, m.questionToken, m.typeParameters, m.parameters, m.type, m.body);
  if (ts.isPropertyDeclaration(m)) return f.updatePropertyDeclaration(m, m.modifiers, name, m.questionToken ?? m.exclamationToken, m.type, m.initializer);
  if (ts.isGetAccessorDeclaration(m)) return f.updateGetAccessorDeclaration(m, m.modifiers, name, m.parameters, m.type, m.body);
  if (ts.isSetAccessorDeclaration(m)) return f.updateSetAccessorDeclaration(m, m.modifiers, name, m.parameters, m.body);
  return m;
}

export function describeKind(node: ts.Node): string {
  return ts.SyntaxKind[node.kind].replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

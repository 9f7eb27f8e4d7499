/**
 * The phases of lowering one async function, in order. Each takes the previous one's output:
 *
 *   1. discover   (transform.ts)       the async functions of a file, innermost first
 *   2. normalize  (normalize/)         awaits lifted to statement level; loops made explicit
 *   3. analyze    (analyze/)           scopes, bindings, captures; `this`/`arguments`/`super` uses
 *   4. build IR   (ir/build.ts)        instructions with labels; region stack for jumps and try
 *   5. split      (ir/split.ts)        numbered states and the try table
 *   6. layout     (layout/liveness.ts) backward liveness: fields, locals, environments
 *   7. emit       (emit/machine.ts)    the class with `poll`, and the wrapper
 */
import ts from "typescript";
import type { MachineInfo, Mode, Phase } from "./api.js";
import { printIR, printLayout, printNormalized, printStates } from "./ir/print.js";
import { bindFunction, type Binding, type BindingInfo } from "./analyze/bindings.js";
import { bindingsWithDeadZone } from "./analyze/tdz.js";
import { emitMachineClass, type PollNames } from "./emit/machine.js";
import { generatorShell, shellLevels } from "./emit/generatorShell.js";
import { stateEdges } from "./ir/edges.js";
import { withSuspendingReturns } from "./analyze/suspension.js";
import { Builder } from "./ir/build.js";
import { split } from "./ir/split.js";
import { computeLayout } from "./layout/liveness.js";
import { FieldNames, identifiersIn, MACHINE, nameBeside, NameAuthority, STRICT_ONLY_NAMES } from "./names.js";
import { block, declare, f, hasModifier, id, runtimeCall, runtimeName } from "./normalize/factory.js";
import { Spiller } from "./normalize/spill.js";
import { lowerUsing } from "./normalize/using.js";
import { StatementNormalizer } from "./normalize/statements.js";
import { applyAnnexB, boundNames } from "./normalize/annexB.js";
import { hasParameterExpressions, withParameterScope } from "./normalize/parameterScope.js";
import { functionNameOf } from "./discover/functions.js";

export type AsyncFunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

export interface LowerContext {
  sourceFile: ts.SourceFile;
  fileName: string;
  /**
   * promise: the wrapper returns `$rt.promise(machine)` and `await` hands its operand to the
   * promise driver. future: the wrapper returns the machine itself (lazy: nothing runs until it is
   * polled) and `await` adapts its operand with `$rt.intoFuture`.
   */
  mode: Mode;
  /** The file's name authority: machine class names are unique in the file. */
  names: NameAuthority;
  isStableName: (name: string) => boolean;
  /** Machine classes of async functions nested in a concise arrow body. */
  innerClasses: ts.Statement[];
  /** Receives each phase boundary as text, when the caller asked for one (`--phase`). */
  observe?: (phase: Phase, text: string) => void;
  /** Set when the machine is a static private field of this class (its body uses private names). */
  ownerClass?: string;
}

export interface LoweredFunction {
  /** The wrapper: a function or method, or an expression around it (`$rt.asyncFunction(...)`); undefined when it moved to `after`. */
  replacement: AsyncFunctionNode | ts.Expression | undefined;
  classDecl: ts.ClassDeclaration;
  /** Statements to place after the class (the sloppy-mode poll). */
  after: ts.Statement[];
  info: MachineInfo;
}

export function lowerFunction(fn: AsyncFunctionNode, original: AsyncFunctionNode, ctx: LowerContext): LoweredFunction {
  // In an async generator, `return` is a suspension (analyze/suspension.ts).
  return withSuspendingReturns(kindOf(fn) !== "async", () => lowerFunctionBody(fn, original, ctx));
}

function lowerFunctionBody(fn: AsyncFunctionNode, original: AsyncFunctionNode, ctx: LowerContext): LoweredFunction {
  const sf = ctx.sourceFile;
  // Temporaries are unique in the file: a machine nested in another one's closure must not
  // shadow the outer machine's names (its environments above all).
  const names = ctx.names;
  const start = original.pos >= 0 ? original.getStart(sf) : 0;
  const position = sf.getLineAndCharacterOfPosition(start);
  const displayName = describeFunction(original);
  const kind = kindOf(fn);
  /** Generators and async generators keep their parameters native (bound when called). */
  const generatorLike = kind !== "async";
  const className = ctx.names.machineClass(classNameBase(original), kind);

  // Parameters: simple ones go straight to the constructor; otherwise the machine binds them
  // from the arguments in its first state, so that a throwing default rejects the promise.
  // A `this` parameter is a TypeScript annotation, not a parameter.
  const parameters = f.createNodeArray(fn.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this")));
  const simple = parameters.every((p) => ts.isIdentifier(p.name) && !p.initializer && (!p.dotDotDotToken || ts.isIdentifier(p.name)));
  /** Every name the function's text mentions: generated names that sit beside its code avoid them. */
  const mentioned = identifiersIn(original);
  const argsName = mentioned.has("$args") ? names.unique("$args") : "$args";
  // A named function expression can call itself by name; that name is bound only inside it.
  const selfName = ts.isFunctionExpression(fn) && fn.name && identifiersIn(fn.body!).has(fn.name.text) ? fn.name : undefined;
  // A generator keeps its parameter list: the engine binds the parameters when it is called (as it
  // must, before the first next()), and the machine receives their values.
  const boundParameterNames = parameters.flatMap((p) => [...boundNames(p.name)]);
  const passedParams = generatorLike ? boundParameterNames.map((n) => id(n)) : simple ? parameters.map((p) => p.name as ts.Identifier) : [id(argsName)];
  const machineParams: ts.Identifier[] = [...(selfName ? [id(selfName.text)] : []), ...passedParams];
  const prelude: ts.Statement[] = simple || generatorLike ? [] : bindParameters(parameters, argsName);

  let body: ts.Statement[];
  if (ts.isBlock(fn.body!)) body = lowerUsing(fn.body.statements, names);
  else body = [f.createReturnStatement(fn.body as ts.Expression)];

  // 2. normalize
  const spiller = new Spiller(names, ctx.isStableName);
  const normalizer = new StatementNormalizer(spiller, names);
  const sloppy = !ctx.ownerClass && !isStrict(original, sf);
  const paramNames = new Set(boundParameterNames);
  // The parameters' statements and the body apart: with parameter expressions, the body may get a
  // scope of its own below the parameters' (normalize/parameterScope.ts).
  const normalizedPrelude = normalizer.block([...ctx.innerClasses, ...prelude]);
  const normalizedBody = normalizer.block(body);
  const annexB = sloppy ? applyAnnexB(normalizedBody, paramNames) : { body: normalizedBody, varNames: [] };
  const normalized = withParameterScope(parameters, normalizedPrelude, annexB.body, annexB.varNames, !ts.isArrowFunction(fn));

  const header = `// ${displayName} (${ctx.fileName}:${position.line + 1})`;
  ctx.observe?.("normalize", printNormalized(`${header}\n${describeFunction(original).replace(/\(\)$/, "")}(${fn.parameters.map((p) => shortText(p, sf)).join(", ")})`, normalized, sf));

  // 3. analyze
  const info = bindFunction(machineParams, normalized, fn.body!, annexB.varNames);
  const paramBindings = machineParams.map((p) => info.refs.get(p)!);
  if (selfName) paramBindings[0]!.readOnly = true;
  parameters.forEach((p, i) => {
    const b = paramBindings[i + (selfName ? 1 : 0)];
    if (simple && b) b.type = p.type;
  });

  // Sloppy-mode `arguments` is mapped to simple parameters: writing one changes the other. The
  // parameters then stay the wrapper's own bindings, reached through accessors (see below). So do a
  // generator's when closures in its parameter list capture them (the wrapper binds them, natively).
  const mappedArguments = sloppy && simple && info.usesArguments && parameters.length > 0;
  const closuresInParameters = generatorLike && hasParameterExpressions(parameters) && parameters.some((p) => containsClosure(p));
  const paramsInWrapper = mappedArguments || closuresInParameters;
  if (paramsInWrapper) for (const b of paramBindings.slice(selfName ? 1 : 0)) b.captured = true;

  const shielded = sloppy ? leakingBlockFunctions(info) : new Map<ts.Node, string[]>();

  // poll's (resume's) own names come before the locals', and step aside for names the body reads
  // from outside. (FieldNames starts with every MACHINE name taken, so no local gets one of them.)
  const localNames = new FieldNames();
  for (const free of info.free) localNames.reserve(free);
  // poll declares its locals with `let` (and a class body's poll is strict): no `let let` (names.ts).
  for (const name of STRICT_ONLY_NAMES) localNames.reserve(name);
  const pollName = (base: string): string => (info.free.has(base) ? localNames.claim(base) : base);
  // Declared, or used as a label, inside user blocks kept as written (a finally block, a loop):
  // names the function does not mention anywhere.
  const besideUserCode = (base: string): string => {
    const name = mentioned.has(base) ? names.unique(base) : base;
    localNames.reserve(name);
    return name;
  };
  const pollNames: PollNames = {
    context: pollName(MACHINE.context),
    result: pollName(MACHINE.pollResult),
    error: pollName(MACHINE.caught),
    caught: pollName(MACHINE.caughtCopy),
    stateAfter: besideUserCode(MACHINE.stateAfter),
    label: besideUserCode(MACHINE.pollLabel),
    how: pollName(MACHINE.how),
    sent: pollName(MACHINE.sent),
  };

  const deadZone = bindingsWithDeadZone(info, (name) => spiller.isTemp(name) || name.startsWith("$"));

  // 4. build IR, 5. split
  const describe = (n: ts.Node): string => shortText(n, sf);
  const dropContext = ctx.mode === "future" && !generatorLike ? pollNames.context : undefined;
  const built = new Builder(sf, info, names, describe, deadZone, pollNames, generatorLike, dropContext).build(normalized, position.line + 1);
  ctx.observe?.("ir", printIR(header, built, sf));
  const body5 = split(built);
  ctx.observe?.("states", printStates(header, body5, sf));

  // 6. layout
  const fieldNames = new FieldNames();
  const fieldSetLater = new Map<Binding, string>();
  const layout = computeLayout(body5, info, () => names.temp("env"), (b) => {
    const cached = fieldSetLater.get(b);
    if (cached) return cached;
    const name = b.name;
    fieldSetLater.set(b, name);
    return name;
  });
  // Names: fields in the machine's namespace, locals in poll's; shadowed names get `$2`.
  for (const b of layout.fields) {
    const h = layout.homes.get(b)!;
    if (h.kind === "field") h.name = fieldNames.claim(b.name);
  }
  for (const b of layout.locals) {
    const h = layout.homes.get(b)!;
    if (h.kind === "local") h.name = localNames.claim(b.name);
  }

  ctx.observe?.("layout", printLayout(header, layout, info, body5, kind === "async" ? MACHINE.poll : MACHINE.resume));

  // 7. emit
  const isArrow = ts.isArrowFunction(fn);
  const extras: Array<{ field: string; type: ts.TypeNode; value: ts.Expression }> = [];
  const anyT = f.createKeywordTypeNode(ts.SyntaxKind.AnyKeyword);
  // In a derived constructor, `this` may not exist yet when an arrow is called: read it when used.
  const lazyThis = info.usesThis && isArrow && insideDerivedConstructor(original);
  if (info.usesThis) {
    extras.push({ field: MACHINE.thisValue, type: anyT, value: lazyThis ? f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createThis()) : f.createThis() });
  }
  if (info.usesArguments) extras.push({ field: MACHINE.argumentsObject, type: anyT, value: id("arguments") });
  if (info.usesSuper) {
    const k = id("k");
    const v = id("v");
    // `super[k as never]`: any key, without an index signature on the base class (erased in JavaScript).
    // The setter casts the value, not the target: an outer machine rewrites `super[k] = v` only when
    // the target is written bare (a parenthesized one became `this.$super.get(k) = v`, which is no
    // assignment target: this-arguments-super/super-in-arrow-inside-async-method.ts).
    const superAt = () => f.createElementAccessExpression(f.createSuper(), f.createAsExpression(k, f.createKeywordTypeNode(ts.SyntaxKind.NeverKeyword)));
    const getter = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, k, undefined, anyT)], undefined, undefined, superAt());
    const setter = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, k, undefined, anyT), f.createParameterDeclaration(undefined, undefined, v, undefined, anyT)], undefined, undefined, f.createParenthesizedExpression(f.createAssignment(superAt(), f.createAsExpression(v, f.createKeywordTypeNode(ts.SyntaxKind.NeverKeyword)))));
    extras.push({ field: MACHINE.superAccess, type: f.createTypeReferenceNode(f.createQualifiedName(runtimeName(), "SuperAccess")), value: runtimeCall("superAccess", [getter, setter]) });
  }
  if (info.usesNewTarget) extras.push({ field: MACHINE.newTarget, type: anyT, value: isArrow ? f.createMetaProperty(ts.SyntaxKind.NewKeyword, id("target")) : f.createVoidZero() });

  const fnEnv = layout.envOf.get(info.functionScope);
  if (paramsInWrapper && fnEnv) {
    // { get a() { return a; }, set a(v) { a = v; }, other: undefined }
    const slots: ts.ObjectLiteralElementLike[] = [];
    for (const b of info.functionScope.bindings.values()) {
      if (!b.captured) continue;
      if (b.kind === "param" && boundParameterNames.includes(b.name) && b !== (selfName ? paramBindings[0] : undefined) && b.name === "arguments") {
        // An accessor's body has its own arguments object; arrows see the wrapper's parameter.
        //   [source]   function* g(arguments, q = 1) { ... }
        //   [lowered]  { $getArguments: () => arguments, $setArguments: (v) => { arguments = v; },
        //                get arguments() { return this.$getArguments(); }, set arguments(v) { this.$setArguments(v); } }
        // (hygiene/fuzzfix-arguments-parameter-env)
        const names = [...info.functionScope.bindings.keys()];
        const read = nameBeside(MACHINE.envArgumentsGet, names);
        const write = nameBeside(MACHINE.envArgumentsSet, [...names, read]);
        const v = nameBeside("v", [b.name]);
        const param = () => [f.createParameterDeclaration(undefined, undefined, v)];
        slots.push(f.createPropertyAssignment(read, f.createArrowFunction(undefined, undefined, [], undefined, undefined, id(b.name))));
        slots.push(f.createPropertyAssignment(write, f.createArrowFunction(undefined, undefined, param(), undefined, undefined, block([f.createExpressionStatement(f.createAssignment(id(b.name), id(v)))]))));
        const self = (name: string) => f.createPropertyAccessExpression(f.createThis(), name);
        slots.push(f.createGetAccessorDeclaration(undefined, b.name, [], undefined, block([f.createReturnStatement(f.createCallExpression(self(read), undefined, []))])));
        slots.push(f.createSetAccessorDeclaration(undefined, b.name, param(), block([f.createExpressionStatement(f.createCallExpression(self(write), undefined, [id(v)]))])));
      } else if (b.kind === "param" && boundParameterNames.includes(b.name) && b !== (selfName ? paramBindings[0] : undefined)) {
        slots.push(f.createGetAccessorDeclaration(undefined, b.name, [], undefined, block([f.createReturnStatement(id(b.name))])));
        const v = nameBeside("v", [b.name]);
        slots.push(f.createSetAccessorDeclaration(undefined, b.name, [f.createParameterDeclaration(undefined, undefined, v)], block([f.createExpressionStatement(f.createAssignment(id(b.name), id(v)))])));
      } else slots.push(f.createPropertyAssignment(b.name, b.kind === "param" ? id(b.name) : f.createVoidZero()));
    }
    extras.push({ field: layout.homes.get(fnEnv)!.name, type: anyT, value: f.createObjectLiteralExpression(slots, true) });
  }

  const resultType = promiseResultType(fn.type);
  const typeParameters = typeParametersInScope(original);
  const { classDecl, sloppyPoll, stateRows } = emitMachineClass({
    sloppy,
    envFromWrapper: paramsInWrapper && fnEnv !== undefined,
    kind,
    lazyThis,
    readOnly: selfName ? paramBindings[0] : undefined,
    deadZone,
    shielded,
    pollNames,
    className,
    displayName,
    fileName: ctx.fileName,
    line: position.line + 1,
    info,
    body: body5,
    layout,
    tries: built.tries,
    params: paramsInWrapper ? paramBindings.slice(0, selfName ? 1 : 0) : paramBindings,
    resultType,
    extras: extras.map(({ field, type }) => ({ field, type })),
    typeParameters,
    mode: ctx.mode,
  });

  // The wrapper keeps the function's name, parameters (for `length`) and types.
  const thisParam = fn.parameters.filter((p) => !parameters.includes(p));
  // Sloppy duplicate parameters (`async function f(a, a)`): the last one is the binding. The wrapper
  // may be a method, which allows no duplicates: the earlier ones get names of their own.
  const simpleParams = simple && !generatorLike ? withoutDuplicates(parameters, names) : parameters;
  const wrapperParams = generatorLike || (simple && simpleParams === parameters) ? fn.parameters : simple ? [...thisParam, ...simpleParams] : [...thisParam, ...wrapperParameters(parameters, (i) => (mentioned.has(`$param${i + 1}`) ? names.unique(`$param${i + 1}`) : `$param${i + 1}`))];
  const argsValue: ts.Expression = simple
    ? id("unused")
    : isArrow
      ? f.createArrayLiteralExpression(wrapperParams.filter((p) => !thisParam.includes(p)).map((p) => (p.dotDotDotToken ? f.createSpreadElement(p.name as ts.Identifier) : (p.name as ts.Identifier))))
      : id("arguments");
  const passedValues = generatorLike ? boundParameterNames.map((n) => id(n)) : simple ? simpleParams.map((p) => p.name as ts.Identifier) : [argsValue];
  // The const that holds a named function expression's wrapper (below) may not be called `let`.
  const selfConst = selfName && (STRICT_ONLY_NAMES.has(selfName.text) ? names.unique(selfName.text) : selfName.text);
  const ctorArgs = [...extras.map((x) => x.value), ...(selfConst ? [id(selfConst)] : []), ...(paramsInWrapper ? [] : passedValues)];
  const classRef = ctx.ownerClass ? f.createPropertyAccessExpression(id(ctx.ownerClass), f.createPrivateIdentifier(`#${className}`)) : id(className);
  const typeArguments = typeParameters.length ? typeParameters.map((p) => f.createTypeReferenceNode(p.name.text)) : undefined;
  const machineObject = f.createNewExpression(classRef, typeArguments, ctorArgs);
  // An async function returns the promise of its machine, or in future mode the machine itself;
  // in future mode an async generator returns its machine as a stream (runtime stream.ts).
  // (A generator's body, and an async generator's in promise mode, is built below.)
  const futureMode = ctx.mode === "future" && (kind === "async" || kind === "asyncGenerator");
  const streamed = futureMode && kind === "asyncGenerator";
  const call = streamed ? runtimeCall("stream", [machineObject]) : futureMode ? machineObject : runtimeCall("promise", [machineObject]);
  const wrapperType = streamed ? undefined : futureMode ? futureReturnType(fn.type) : fn.type;
  const modifiers = fn.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.AsyncKeyword);
  // The body's directive prologue ("use strict") stays with the function: it decides `this` in a call.
  const prologue = ts.isBlock(fn.body!) ? fn.body.statements.filter((st, i, all) => all.slice(0, i + 1).every((x) => ts.isExpressionStatement(x) && ts.isStringLiteral(x.expression))) : [];
  const wrapperBody = block([...prologue, f.createReturnStatement(call)]);
  let replacement: AsyncFunctionNode;
  if (ts.isFunctionDeclaration(fn)) replacement = f.updateFunctionDeclaration(fn, modifiers, undefined, fn.name, fn.typeParameters, wrapperParams, wrapperType, wrapperBody);
  else if (ts.isFunctionExpression(fn)) replacement = f.updateFunctionExpression(fn, modifiers as ts.Modifier[] | undefined, undefined, fn.name, fn.typeParameters, wrapperParams, wrapperType, wrapperBody);
  else if (ts.isArrowFunction(fn)) replacement = f.updateArrowFunction(fn, modifiers as ts.Modifier[] | undefined, fn.typeParameters, wrapperParams, wrapperType, fn.equalsGreaterThanToken, call);
  else replacement = f.updateMethodDeclaration(fn, modifiers, undefined, fn.name, fn.questionToken, fn.typeParameters, wrapperParams, wrapperType, wrapperBody);

  const machine: MachineInfo = {
    name: displayName,
    className,
    kind: kind === "async" ? "async function" : kind === "generator" ? "generator" : "async generator",
    fileName: ctx.fileName,
    line: position.line + 1,
    column: position.character + 1,
    states: stateRows.map((r) => ({ id: r.id, label: r.label, line: r.line, resume: r.resume, live: r.live })),
    fields: layout.fields.map((b) => {
      const h = layout.homes.get(b)! as { name: string };
      return { name: h.name, source: b.kind === "temp" || b.name.startsWith("$") ? undefined : b.name, type: b.type ? shortText(b.type, sf) : undefined };
    }),
    tryTable: built.tries.map((t) => {
      const statesOf = body5.states.filter((s) => s.handlers.some((h) => h.tryId === t.id));
      const catchState = body5.states.find((s) => s.handlers.some((h) => h.tryId === t.id && h.kind === "catch"))?.handlers.find((h) => h.tryId === t.id && h.kind === "catch");
      const finallyState = body5.states.flatMap((s) => s.handlers).find((h) => h.tryId === t.id && h.kind === "finally");
      return {
        states: statesOf.map((s) => s.id),
        catchState: catchState ? body5.stateOf.get(catchState.target) : undefined,
        finallyState: finallyState ? body5.stateOf.get(finallyState.target) : undefined,
      };
    }),
    edges: stateEdges(body5),
  };
  if (generatorLike && !streamed) {
    // A generator stays the engine's own `function*` (or `async function*`), in the same place, with
    // the same parameters; its body performs what its machine asks for (emit/generatorShell.ts).
    const shell = generatorShell({
      machine: machineObject,
      async: kind === "asyncGenerator",
      levels: shellLevels(normalized),
      taken: new Set([...boundParameterNames, ...identifiersIn(machineObject)]),
      typedReturn: fn.type !== undefined,
      plain: built.tries.length === 0,
    });
    const generatorBody = block([...prologue, ...shell]);
    let generator: AsyncFunctionNode;
    if (ts.isFunctionDeclaration(fn)) generator = f.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, generatorBody);
    else if (ts.isFunctionExpression(fn)) generator = f.updateFunctionExpression(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, fn.parameters, fn.type, generatorBody);
    else generator = f.updateMethodDeclaration(fn as ts.MethodDeclaration, fn.modifiers, fn.asteriskToken, fn.name, (fn as ts.MethodDeclaration).questionToken, fn.typeParameters, fn.parameters, fn.type, generatorBody);
    return { replacement: generator, classDecl, after: sloppyPoll ? [sloppyPoll] : [], info: machine };
  }
  // To a program that inspects it, the wrapper is an async function: its prototype is
  // AsyncFunction.prototype. Declarations are marked where their machine class is placed. In
  // future mode it is not one (it returns a future, not a promise) and stays a plain function.
  const after: ts.Statement[] = sloppyPoll ? [sloppyPoll] : [];
  const markAsync = (fnValue: ts.Expression, inferredName?: string): ts.Expression =>
    futureMode ? fnValue : runtimeCall("asyncFunction", [fnValue, ...(inferredName !== undefined ? [f.createStringLiteral(inferredName)] : [])]);
  let outer: AsyncFunctionNode | ts.Expression | undefined = replacement;
  const methodForm = (name: string, params: readonly ts.ParameterDeclaration[]): ts.Expression => {
    // `{ total(ids) { ... } }.total`: a method is no constructor, has no `prototype` and no sloppy
    // `caller`/`arguments`, as an async function; it keeps its name and its dynamic `this`.
    const key = isIdentifierText(name) ? f.createIdentifier(name) : f.createStringLiteral(name);
    const method = f.createMethodDeclaration(undefined, undefined, key, undefined, fn.typeParameters, params, wrapperType, wrapperBody);
    const holder = f.createObjectLiteralExpression([method]);
    const picked = ts.isIdentifier(key) ? f.createPropertyAccessExpression(holder, key) : f.createElementAccessExpression(holder, key);
    return markAsync(picked);
  };
  if (ts.isFunctionDeclaration(fn) && fn.name) {
    const exported = fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword);
    const hoistedTo = exported ? undefined : declarationScope(original);
    // `{ async function let() {} }`: a block cannot declare `let let`; the declaration stays one.
    const scope = hoistedTo === "block" && fn.name.text === "let" ? undefined : hoistedTo;
    if (scope) {
      // Hoisted like the declaration: the binding is set at the top of its scope, with the machine
      // class — a `var` in a function or file, a `let` in a block (where a function declaration is
      // block-scoped, and a plain function would also become a var of the function in sloppy code).
      const flags = scope === "block" ? ts.NodeFlags.Let : ts.NodeFlags.None;
      after.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(fn.name.text, undefined, undefined, methodForm(fn.name.text, wrapperParams))], flags)));
      outer = undefined;
    } else if (!futureMode) {
      after.push(f.createExpressionStatement(runtimeCall("asyncFunction", [id(fn.name.text)])));
    }
  } else if (ts.isFunctionExpression(replacement) && !selfName) {
    outer = methodForm((ts.isFunctionExpression(fn) ? fn.name?.text : undefined) ?? functionNameOf(original) ?? "", wrapperParams);
  } else if (ts.isFunctionExpression(replacement) && selfName) {
    // `async function fact(n) { ... fact(n - 1) ... }`: the method form, named inside a scope of its own:
    //   (() => { const fact = $rt.asyncFunction({ fact(n) { return $rt.promise(new fact$Future(fact, n)); } }.fact); return fact; })()
    const own = f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(selfConst!, undefined, undefined, methodForm(selfName.text, wrapperParams))], ts.NodeFlags.Const));
    const scope = f.createArrowFunction(undefined, undefined, [], undefined, undefined, block([own, f.createReturnStatement(id(selfConst!))]));
    outer = f.createCallExpression(f.createParenthesizedExpression(scope), undefined, []);
  } else if (ts.isFunctionExpression(replacement) || ts.isArrowFunction(replacement)) {
    // Wrapping would lose the name an anonymous function gets from its context (`const f = ...`).
    const inferred = !(ts.isFunctionExpression(fn) && fn.name) ? functionNameOf(original) : undefined;
    outer = futureMode ? replacement : markAsync(replacement, inferred);
  }
  return { replacement: outer, classDecl, after, info: machine };
}

/**
 * Plain functions declared in blocks that stay as written in a sloppy `poll`, and are spelled like a
 * name the machine reads from outside: Annex B would also make them vars of `poll`, hiding that name.
 * By scope, the names to shield.
 * (Possible only where the machine itself gives them no var: a default value's closure reading an
 * outer name that the body declares in a block — fixture closures/parameter-scope-rules.)
 */
function leakingBlockFunctions(info: BindingInfo): Map<ts.Node, string[]> {
  const out = new Map<ts.Node, string[]>();
  for (const b of new Set(info.refs.values())) {
    if (b.kind !== "function" || b.machineLevel || b.scope.kind !== "block" || !info.free.has(b.name)) continue;
    out.set(b.scope.node, [...(out.get(b.scope.node) ?? []), b.name]);
  }
  return out;
}

/**
 * `async function f(a, {b} = {}, ...rest)` binds its parameters in state 0:
 *   let a = $args[0]; let {b} = $args[1] === undefined ? {} : $args[1]; let rest = $rt.restParams($args, 2);
 */
function bindParameters(params: ts.NodeArray<ts.ParameterDeclaration>, argsName: string): ts.Statement[] {
  return params.map((p, i) => {
    const arg = f.createElementAccessExpression(id(argsName), i);
    if (p.dotDotDotToken) return declare("let", p.name, runtimeCall("restParams", [id(argsName), f.createNumericLiteral(i)]));
    const value = p.initializer
      ? f.createConditionalExpression(f.createBinaryExpression(arg, ts.SyntaxKind.EqualsEqualsEqualsToken, f.createVoidZero()), undefined, p.initializer, undefined, f.createElementAccessExpression(id(argsName), i))
      : arg;
    // The declaration stands for the parameter: a default reading it, or a later one, is in its
    // dead zone (analyze/tdz.ts; fixture hygiene/params-tdz).
    const d = ts.setOriginalNode(f.createVariableDeclaration(p.name, undefined, p.type, value), p);
    return f.createVariableStatement(undefined, f.createVariableDeclarationList([d], ts.NodeFlags.Let));
  });
}

/** Simple parameters with each name but the last of a repeated one replaced: `(a, a)` → `($param1, a)`. */
function withoutDuplicates(params: ts.NodeArray<ts.ParameterDeclaration>, names: NameAuthority): ts.NodeArray<ts.ParameterDeclaration> {
  const text = (p: ts.ParameterDeclaration): string => (p.name as ts.Identifier).text;
  if (new Set(params.map(text)).size === params.length) return params;
  return f.createNodeArray(params.map((p, i) => (params.slice(i + 1).some((q) => text(q) === text(p)) ? f.updateParameterDeclaration(p, p.modifiers, p.dotDotDotToken, names.temp("param"), p.questionToken, p.type, p.initializer) : p)));
}

/** Parameters of a wrapper whose machine binds them itself: same count and `length`, no work done. */
function wrapperParameters(params: ts.NodeArray<ts.ParameterDeclaration>, placeholder: (index: number) => string): ts.ParameterDeclaration[] {
  return params.map((p, i) => {
    // A parameter called `arguments` would hide the arguments object the wrapper passes on.
    const name = ts.isIdentifier(p.name) && p.name.text !== "arguments" ? p.name.text : placeholder(i);
    const init = p.initializer ? f.createNonNullExpression(f.createVoidZero()) : undefined;
    return f.createParameterDeclaration(undefined, p.dotDotDotToken, name, p.questionToken, p.type, init);
  });
}

/**
 * Where a function declaration's binding lives, when a variable at the top of its statement list
 * can stand for it: "function" directly in a script, module or function body (a `var` has that
 * scope), "block" directly in a block. Case clauses share one scope across clauses, so a `let` in
 * the one holding the declaration would be skipped by a jump to a later clause: no variable there.
 */
function declarationScope(node: ts.Node): "function" | "block" | undefined {
  const parent = node.parent;
  if (!parent) return undefined;
  if (ts.isSourceFile(parent) || (ts.isBlock(parent) && !!parent.parent && ts.isFunctionLike(parent.parent))) return "function";
  if (ts.isBlock(parent)) return "block";
  return undefined;
}

function isIdentifierText(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name); // reserved words are fine as property names
}

/** Is this arrow inside a constructor of a class that extends another (where `this` starts unbound)? */
function insideDerivedConstructor(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isConstructorDeclaration(n)) return n.parent.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword) ?? false;
    if (ts.isFunctionLike(n) && !ts.isArrowFunction(n)) return false;
  }
  return false;
}

/**
 * The wrapper's return type in future mode: `Promise<T>` becomes `$rt.StateMachine<T>`; any other
 * annotation is dropped (the machine's type is inferred).
 */
function futureReturnType(type: ts.TypeNode | undefined): ts.TypeNode | undefined {
  if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName) || type.typeName.text !== "Promise" || type.typeArguments?.length !== 1) return undefined;
  return f.createTypeReferenceNode(f.createQualifiedName(runtimeName(), "StateMachine"), type.typeArguments);
}

/** Is the function strict-mode code? (A module, a class body, or a "use strict" on the way up.) */
function isStrict(node: ts.Node, sf: ts.SourceFile): boolean {
  if (ts.isExternalModule(sf)) return true;
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isClassLike(n)) return true;
    const body = ts.isSourceFile(n) ? n : ts.isFunctionLike(n) ? (n as { body?: ts.Node }).body : undefined;
    if (body && (ts.isBlock(body) || ts.isSourceFile(body))) {
      for (const s of body.statements) {
        if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) break;
        if (s.expression.text === "use strict") return true;
      }
    }
  }
  return false;
}

function promiseResultType(type: ts.TypeNode | undefined): ts.TypeNode | undefined {
  if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && type.typeName.text === "Promise" && type.typeArguments?.length === 1) return type.typeArguments[0];
  return undefined;
}

function classNameBase(node: AsyncFunctionNode): string {
  const own = functionNameOf(node) ?? "anonymous";
  const parent = (node as ts.Node).parent;
  if (ts.isMethodDeclaration(node) && parent && ts.isClassLike(parent) && parent.name) return `${parent.name.text}$${own}`;
  return own;
}

function describeFunction(node: AsyncFunctionNode): string {
  const name = functionNameOf(node);
  const parent = (node as ts.Node).parent;
  const kind = kindOf(node);
  if (ts.isMethodDeclaration(node)) {
    const owner = parent && ts.isClassLike(parent) && parent.name ? `${parent.name.text}.` : "";
    return `${kind === "generator" ? "*" : kind === "async" ? "async " : "async *"}${owner}${name ?? "[computed]"}()`;
  }
  if (ts.isArrowFunction(node)) return name ? `async arrow ${name}` : "async arrow function";
  const keyword = kind === "generator" ? "function*" : kind === "async" ? "async function" : "async function*";
  return name ? `${keyword} ${name}` : keyword;
}

/**
 * A generator (`function*`, `*method()`) or async generator, lowered to a Coroutine its own native
 * generator function runs; otherwise an async function, lowered to a Future.
 */
function kindOf(node: AsyncFunctionNode): "async" | "generator" | "asyncGenerator" {
  if (ts.isArrowFunction(node) || node.asteriskToken === undefined) return "async";
  const isAsync = hasModifier(node, ts.SyntaxKind.AsyncKeyword);
  return isAsync ? "asyncGenerator" : "generator";
}

const printer = ts.createPrinter({ removeComments: true });

/** A short one-line rendering of a node for comments and legends. */
export function shortText(node: ts.Node, sf: ts.SourceFile): string {
  let text: string;
  try {
    text = node.pos >= 0 && node.end <= sf.text.length && (node as { parent?: ts.Node }).parent ? node.getText(sf) : printer.printNode(ts.EmitHint.Unspecified, node, sf);
  } catch {
    text = printer.printNode(ts.EmitHint.Unspecified, node, sf);
  }
  text = text.replace(/\s+/g, " ").replace(/\*\//g, "* /");
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * The type parameters the function's text uses, of the function itself and of the functions and
 * (for instance members) classes around it: the machine class declares them, and the wrapper
 * passes them (`new f$Future<T>(xs)`).
 */
function typeParametersInScope(fn: AsyncFunctionNode): ts.TypeParameterDeclaration[] {
  const used = identifiersIn(fn as ts.Node);
  const out: ts.TypeParameterDeclaration[] = [];
  const seen = new Set<string>();
  let instance = true;
  for (let n: ts.Node | undefined = fn as ts.Node; n; n = n.parent) {
    const own = ts.isFunctionLike(n) || (ts.isClassLike(n) && instance) ? (n as { typeParameters?: ts.NodeArray<ts.TypeParameterDeclaration> }).typeParameters : undefined;
    for (const p of own ?? []) {
      if (seen.has(p.name.text) || !used.has(p.name.text)) continue;
      seen.add(p.name.text);
      out.push(p);
    }
    const isStatic = (ts.isMethodDeclaration(n) || ts.isPropertyDeclaration(n)) && hasModifier(n, ts.SyntaxKind.StaticKeyword);
    if (isStatic || ts.isClassStaticBlockDeclaration(n)) instance = false;
  }
  return out;
}

/** Does the node create a function or class (a closure over the scope it is evaluated in)? */
function containsClosure(node: ts.Node): boolean {
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return true;
  return ts.forEachChild(node, (c) => (containsClosure(c) ? true : undefined)) ?? false;
}

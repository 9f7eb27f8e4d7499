/**
 * fast-check arbitraries for the programs of ast.ts. The grammar is context-free (print.ts
 * resolves what depends on context), so fast-check can shrink any part of a program on its own.
 *
 * Depth: expressions, statements and blocks share one depth identifier, so an `await` of an async
 * arrow whose body holds a loop counts the arrow and the loop against the same bound; at the bound
 * each `oneof` takes its first (smallest) choice.
 *
 * Weights favour what finds bugs in lowering: `await` everywhere, jumps inside loops and `try`,
 * `finally`, several flows at once. A form's coverage (how often it was printed) is in the
 * report of every fuzz run.
 */
import fc from "fast-check";
import type {
  ArrayItem,
  AssignOp,
  BinaryOp,
  CombinatorOp,
  DriveOp,
  DriveStep,
  Expr,
  Fn,
  FnForm,
  Flow,
  FlowStep,
  IteratorKind,
  LogicalOp,
  LoopDecl,
  ObjectProp,
  OptionalAccess,
  Param,
  Pattern,
  PatternDecl,
  PatternElement,
  PatternLoopKind,
  PatternProperty,
  Program,
  Source,
  Stmt,
  SwitchCase,
  Target,
  ThenableKind,
  ThisCallForm,
  UnaryOp,
} from "./ast.js";
import type { Feature } from "./features.js";

export interface ProgramShape {
  /** Nesting bound for expressions and statements together. Default 5. */
  maxDepth?: number;
  /** Most functions in a program. Default 4. */
  maxFunctions?: number;
  /** Most statements in a block. Default 4 (a function body: one more). */
  maxBlockLength?: number;
}

/** Random, terminating, deterministic programs of async functions, generators and async generators,
 *  and the flows that run them. `features` (features.ts) adds forms that are off by default; with
 *  none, a seed draws exactly the programs it drew before features existed. */
export function programArbitrary(shape: ProgramShape = {}, features: ReadonlySet<Feature> = new Set()): fc.Arbitrary<Program> {
  const { maxDepth = 5, maxFunctions = 4, maxBlockLength = 4 } = shape;
  /** The entries (or record fields) of a feature: empty when it is off, so that nothing changes. */
  const when = <T>(feature: Feature, entries: T[]): T[] => (features.has(feature) ? entries : []);
  const depth = { depthSize: "small", maxDepth, depthIdentifier: "program", withCrossShrink: true } as const;

  const { expr, awaitable, stmt } = fc.letrec<{ expr: Expr; awaitable: Expr; stmt: Stmt; block: Stmt[] }>((tie) => {
    const e = tie("expr");
    const awaited = tie("awaitable");
    const statements = tie("block");
    const pick = fc.nat({ max: 7 });

    const leaf: fc.Arbitrary<Expr> = fc.oneof(
      { arbitrary: node("num", { v: fc.integer({ min: -1, max: 4 }) }), weight: 3 },
      { arbitrary: node("str", { v: fc.constantFrom("x", "v", "") }), weight: 1 },
      { arbitrary: node("nullish", { v: fc.constantFrom("null" as const, "undefined" as const) }), weight: 1 },
      { arbitrary: node("read", { pick }), weight: 4 },
    );
    const awaitExpr: fc.Arbitrary<Expr> = node("await", { e: awaited });
    // A yield's operand is often a promise or a thenable: an async generator awaits it (a rejection
    // throws at the yield), a sync one hands it over (a sync iterable of promises for `for await`).
    const yieldExpr: fc.Arbitrary<Expr> = node("yield", { e: optional(awaited) });
    const target: fc.Arbitrary<Target> = fc.oneof(
      { arbitrary: node("local", { pick }), weight: 3 },
      { arbitrary: node("global", {}), weight: 1 },
      { arbitrary: node("element", { key: e }), weight: 1 },
    );
    const objectProp: fc.Arbitrary<ObjectProp> = fc.oneof(node("property", { e }), node("spread", { e }), node("computed", { key: e, e }));
    const arrayItem: fc.Arbitrary<ArrayItem> = fc.record({ spread: fc.boolean(), e });
    const args = fc.array(e, { maxLength: 3, depthIdentifier: "program" });

    // What an `await` waits for: values, settled promises, the thenables of the prelude, calls.
    const awaitableArb: fc.Arbitrary<Expr> = fc.oneof(
      depth,
      { arbitrary: leaf, weight: 3 },
      { arbitrary: node("resolve", { e }), weight: 2 },
      { arbitrary: node("reject", { e }), weight: 2 },
      { arbitrary: node("thenable", { kind: fc.constantFrom<ThenableKind>("ok", "rejects", "throws", "twice", "throwsAfterResolve", "later", "nested", "getter", "thenNotCallable"), e }), weight: 3 },
      { arbitrary: node("callAsync", { pick, arg: e }), weight: 6 },
      { arbitrary: node("asyncArrow", { body: statements, result: e, arg: e }), weight: 2 },
      { arbitrary: node("combinator", { op: fc.constantFrom<CombinatorOp>("all", "race", "allSettled", "any"), items: fc.array(e, { minLength: 1, maxLength: 3, depthIdentifier: "program" }) }), weight: 1 },
      { arbitrary: e, weight: 2 },
    );

    // What a `yield*`, a `for…of`/`for await` or a driving statement iterates (print.ts resolves
    // it against the consumer); at the depth bound, a hand-written iterator (it has no subtrees).
    const source: fc.Arbitrary<Source> = fc.oneof(
      depth,
      { arbitrary: node("iterator", { async: fc.boolean(), kind: fc.constantFrom<IteratorKind>("full", "noReturn", "noThrow", "throwResumes", "returnThrows"), n: fc.integer({ min: 0, max: 3 }) }), weight: 2 },
      { arbitrary: node("array", { items: fc.array(awaited, { maxLength: 3, depthIdentifier: "program" }) }), weight: 2 },
      { arbitrary: node("call", { pick, arg: e, async: fc.boolean() }), weight: 6 },
      { arbitrary: node("closure", { async: fc.boolean(), body: statements, result: e, arg: e }), weight: 3 },
    );
    const driveStep: fc.Arbitrary<DriveStep> = fc.record({ op: driveOp, e, mode: fc.constantFrom("await" as const, "fire" as const, "caught" as const) });

    const exprArb: fc.Arbitrary<Expr> = fc.oneof(
      depth,
      { arbitrary: leaf, weight: 6 },
      { arbitrary: awaitExpr, weight: 9 },
      { arbitrary: node("observe", { e }), weight: 2 },
      { arbitrary: node("binary", { op: fc.constantFrom<BinaryOp>("+", "-", "*", "===", "<"), l: e, r: e }), weight: 3 },
      { arbitrary: node("logical", { op: fc.constantFrom<LogicalOp>("&&", "||", "??"), l: e, r: e }), weight: 2 },
      { arbitrary: node("conditional", { c: e, a: e, b: e }), weight: 2 },
      { arbitrary: node("unary", { op: fc.constantFrom<UnaryOp>("-", "!", "typeof", "void"), e }), weight: 1 },
      { arbitrary: node("template", { parts: fc.array(e, { minLength: 1, maxLength: 3, depthIdentifier: "program" }) }), weight: 1 },
      { arbitrary: node("object", { props: fc.array(objectProp, { maxLength: 3, depthIdentifier: "program" }) }), weight: 1 },
      { arbitrary: node("array", { items: fc.array(arrayItem, { maxLength: 3, depthIdentifier: "program" }) }), weight: 1 },
      { arbitrary: node("comma", { l: e, r: e }), weight: 1 },
      { arbitrary: node("assign", { target, op: fc.constantFrom<AssignOp>("=", "+=", "-=", "||=", "&&=", "??="), e }), weight: 3 },
      { arbitrary: node("call", { args }), weight: 3 },
      { arbitrary: node("method", { recv: receiver(e, awaited), args }), weight: 2 },
      { arbitrary: node("optional", { obj: fc.oneof(receiver(e, awaited), leaf), access: fc.constantFrom<OptionalAccess>("property", "element", "call"), key: e, args }), weight: 2 },
      // In an async function a yield prints as an await, a yield* as its source collected.
      { arbitrary: yieldExpr, weight: 6 },
      { arbitrary: node("yieldStar", { src: source }), weight: 3 },
    );

    const limit = fc.integer({ min: 0, max: 3 });
    const loopDecl = fc.constantFrom<LoopDecl>("const", "let", "var");
    const switchCase: fc.Arbitrary<SwitchCase> = fc.record({
      test: fc.oneof({ arbitrary: node("num", { v: fc.integer({ min: 0, max: 2 }) }), weight: 4 }, { arbitrary: e, weight: 1 }),
      body: statements,
      exits: fc.boolean(),
    });

    const stmtArb: fc.Arbitrary<Stmt> = fc.oneof(
      depth,
      { arbitrary: node("log", { e }), weight: 6 },
      { arbitrary: node("expression", { e: fc.oneof(awaitExpr, yieldExpr, node("assign", { target, op: fc.constantFrom<AssignOp>("=", "+=", "-=", "||=", "&&=", "??="), e })) }), weight: 3 },
      { arbitrary: node("if", { c: e, then: statements, else: optional(statements) }), weight: 2 },
      { arbitrary: node("while", { limit, c: optional(e), body: statements }), weight: 1 },
      { arbitrary: node("doWhile", { limit, c: optional(e), body: statements }), weight: 1 },
      { arbitrary: node("for", { limit, decl: fc.constantFrom("let" as const, "var" as const), body: statements }), weight: 2 },
      { arbitrary: node("forOf", { decl: loopDecl, items: fc.array(e, { maxLength: 3, depthIdentifier: "program" }), body: statements }), weight: 1 },
      { arbitrary: node("forIn", { decl: loopDecl, keys: fc.integer({ min: 0, max: 3 }), body: statements }), weight: 1 },
      { arbitrary: node("labeled", { body: statements }), weight: 1 },
      { arbitrary: node("break", { pick }), weight: 3 },
      { arbitrary: node("continue", { pick }), weight: 2 },
      { arbitrary: node("switch", { disc: e, cases: fc.array(switchCase, { minLength: 1, maxLength: 3, depthIdentifier: "program" }), defaultAt: optional(fc.nat({ max: 3 })), defaultBody: statements }), weight: 1 },
      { arbitrary: node("try", { block: statements, handler: optional(fc.record({ binds: fc.boolean(), body: statements })), finalizer: optional(statements) }), weight: 4 },
      // `return <promise>` is adopted by an async function and awaited in place by an async generator.
      { arbitrary: node("return", { e: optional(awaited) }), weight: 1 },
      { arbitrary: node("throw", { e, wrap: fc.boolean() }), weight: 2 },
      { arbitrary: node("destructure", { pattern: fc.constantFrom("object" as const, "array" as const), defaults: fc.tuple(e, e), source: fc.tuple(optional(e), optional(e)) }), weight: 1 },
      { arbitrary: node("destructureAssign", { picks: fc.tuple(pick, pick), fallback: e, source: fc.tuple(optional(e), optional(e)) }), weight: 1 },
      { arbitrary: node("capture", { async: fc.boolean(), picks: fc.array(pick, { minLength: 1, maxLength: 2 }) }), weight: 2 },
      { arbitrary: node("runCaptures", {}), weight: 1 },
      { arbitrary: node("spawn", { call: awaited }), weight: 1 },
      { arbitrary: node("block", { body: statements }), weight: 1 },
      { arbitrary: node("iterate", { await: fc.boolean(), decl: loopDecl, src: source, limit: fc.integer({ min: 1, max: 5 }), body: statements }), weight: 3 },
      { arbitrary: node("drive", { src: source, steps: fc.array(driveStep, { minLength: 1, maxLength: 4, depthIdentifier: "program" }) }), weight: 2 },
      { arbitrary: node("destructureIterable", { src: source, fallback: e, rest: fc.boolean() }), weight: 1 },
      ...when("this-callees", [
        {
          arbitrary: node("thisCall", {
            strict: fc.boolean(),
            holder: fc.constantFrom("local" as const, "param" as const),
            call: fc.constantFrom<ThisCallForm>("plain", "alias", "tag", "optional", "member"),
            arg: e,
            gap: statements,
          }),
          weight: 4,
        },
      ]),
      ...when("sloppy-names", [{ arbitrary: node("sloppyLocal", { pick: fc.nat({ max: 15 }), decl: fc.constantFrom("var" as const, "let" as const), e }), weight: 3 }]),
      ...when("loop-head-patterns", [
        {
          arbitrary: node("patternLoop", {
            loop: fc.constantFrom<PatternLoopKind>("for", "forIn", "forOf", "forAwait"),
            decl: fc.constantFrom<PatternDecl>("var", "let", "const", "assign"),
            pattern: topPattern(e, pick),
            items: fc.array(e, { maxLength: 6, depthIdentifier: "program" }),
            limit: fc.integer({ min: 1, max: 3 }),
            promises: fc.boolean(),
            body: statements,
          }),
          weight: 4,
        },
      ]),
    );

    return {
      expr: exprArb,
      awaitable: awaitableArb,
      stmt: stmtArb,
      block: fc.array(tie("stmt"), { maxLength: maxBlockLength, depthIdentifier: "program" }),
    };
  });

  // Fields of a feature come after the others and only when it is on (the record draws its
  // fields in order, so the programs without features stay the same).
  const featureFields = {
    ...Object.fromEntries(when("sloppy-names", [["sloppyParam", optional(fc.record({ pick: fc.nat({ max: 15 }) }))]])),
    ...Object.fromEntries(
      when("parameter-defaults", [
        ["params", fc.array(param, { maxLength: 3 })],
        ["bodyVars", fc.array(fc.record({ pick: fc.nat({ max: 7 }), e: expr }), { maxLength: 2 })],
      ]),
    ),
    ...Object.fromEntries(when("shadowed-globals", [["shadowUndefined", fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 })]])),
  } as Record<string, fc.Arbitrary<unknown>>;
  const fnOf = (kind: Fn["kind"], forms: FnForm[]): fc.Arbitrary<Fn> =>
    fc.record({
      kind: fc.constant(kind),
      form: fc.constantFrom(...forms),
      local: expr,
      body: fc.array(stmt, { minLength: 1, maxLength: maxBlockLength + 1 }),
      result: awaitable,
      ...featureFields,
    }) as fc.Arbitrary<Fn>;
  const generatorForms: FnForm[] = ["declaration", "expression", "method", "staticMethod"];
  const fn: fc.Arbitrary<Fn> = fc.oneof(
    { arbitrary: fnOf("async", ["declaration", "expression", "arrow", "method", "staticMethod"]), weight: 4 },
    { arbitrary: fnOf("generator", generatorForms), weight: 3 },
    { arbitrary: fnOf("asyncGenerator", generatorForms), weight: 3 },
  );
  const flowStep: fc.Arbitrary<FlowStep> = fc.record({ op: driveOp, v: fc.integer({ min: 0, max: 3 }), wait: fc.boolean() });
  const flow: fc.Arbitrary<Flow> = fc.record({
    pick: fc.nat({ max: 7 }),
    arg: fc.integer({ min: 0, max: 3 }),
    handled: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
    steps: fc.array(flowStep, { maxLength: 4 }),
  });
  return fc.record({
    fns: fc.array(fn, { minLength: 1, maxLength: maxFunctions }),
    flows: fc.array(flow, { minLength: 1, maxLength: 3 }),
    tickerTicks: fc.integer({ min: 0, max: 5 }),
    ...Object.fromEntries(
      when("shadowed-globals", [
        [
          "globals",
          fc.record({
            symbol: fc.boolean(),
            promise: fc.constantFrom("none" as const, "subclass" as const, "wrapper" as const),
            arrayIterator: fc.boolean(),
            promiseThen: fc.boolean(),
          }),
        ],
      ]),
    ),
  }) as fc.Arbitrary<Program>;
}

/** Feature `parameter-defaults`: mostly defaults that work; a TDZ read one time in ten. */
const param: fc.Arbitrary<Param> = fc.oneof(
  { arbitrary: node("none", {}), weight: 3 },
  { arbitrary: node("earlier", { pick: fc.nat({ max: 7 }) }), weight: 6 },
  { arbitrary: node("literal", { v: fc.integer({ min: 0, max: 4 }) }), weight: 3 },
  { arbitrary: node("later", { pick: fc.nat({ max: 7 }) }), weight: 1 },
  { arbitrary: node("self", {}), weight: 1 },
  { arbitrary: node("closure", { reads: fc.constantFrom("earlier" as const, "self" as const, "later" as const, "outer" as const), pick: fc.nat({ max: 7 }) }), weight: 6 },
);

/** Feature `loop-head-patterns`: an array or object pattern, nested at most twice. */
function topPattern(e: fc.Arbitrary<Expr>, pick: fc.Arbitrary<number>): fc.Arbitrary<Pattern> {
  const leaf: fc.Arbitrary<Pattern> = node("leaf", { target: pick });
  const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 });
  const compound = (inner: fc.Arbitrary<Pattern>): fc.Arbitrary<Pattern> => {
    const element: fc.Arbitrary<PatternElement> = fc.record({ p: inner, def: optional(e), hole: rarely, inDefault: rarely });
    const property: fc.Arbitrary<PatternProperty> = fc.record({ p: inner, def: optional(e), computed: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: e, weight: 1 }) });
    return fc.oneof(
      node("array", { elems: fc.array(element, { minLength: 1, maxLength: 3 }), rest: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: inner, weight: 1 }) }),
      node("object", { props: fc.array(property, { minLength: 1, maxLength: 3 }), rest: rarely }),
    );
  };
  const nested = fc.oneof({ arbitrary: leaf, weight: 3 }, { arbitrary: compound(leaf), weight: 1 });
  return compound(fc.oneof({ arbitrary: leaf, weight: 3 }, { arbitrary: compound(nested), weight: 1 }));
}

/** Mostly `next`: a generator driven by throw() and return() alone ends too soon to show much. */
const driveOp: fc.Arbitrary<DriveOp> = fc.oneof(
  { arbitrary: fc.constant("next" as const), weight: 3 },
  { arbitrary: fc.constant("throw" as const), weight: 1 },
  { arbitrary: fc.constant("return" as const), weight: 1 },
);

/** Something with a method `m`: a box, a box that must be awaited first, or anything at all. */
function receiver(e: fc.Arbitrary<Expr>, awaited: fc.Arbitrary<Expr>): fc.Arbitrary<Expr> {
  const boxed = node("box", { e });
  return fc.oneof(
    { arbitrary: boxed, weight: 3 },
    { arbitrary: node("await", { e: fc.oneof(node("resolve", { e: boxed }), node("thenable", { kind: fc.constant<ThenableKind>("ok"), e: boxed })) }), weight: 3 },
    { arbitrary: node("await", { e: awaited }), weight: 1 },
    { arbitrary: e, weight: 1 },
  );
}

/** The value or `null`; typed so that `node` can infer the field (fc.option's type defeats inference). */
function optional<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.option(arbitrary);
}

/** `{ k, ...fields }` with `k` fixed: one node kind of the tree. */
function node<K extends string, T extends object>(k: K, fields: { [P in keyof T]: fc.Arbitrary<T[P]> }): fc.Arbitrary<{ k: K } & T> {
  return fc.record({ k: fc.constant(k), ...fields }) as unknown as fc.Arbitrary<{ k: K } & T>;
}

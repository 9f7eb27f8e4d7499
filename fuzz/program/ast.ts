/**
 * The programs the fuzzer writes, as data. fast-check generates and shrinks these trees;
 * `printProgram` (print.ts) turns one into source text.
 *
 * Every choice that depends on where a node ends up — which binding a read names, which loop a
 * `break` leaves, which function a call reaches — is stored as a plain number (`pick`) and resolved
 * while printing, against what is in scope there. So every tree prints to a valid, terminating
 * program, and shrinking (which cuts subtrees out and moves them around) never produces one that
 * does not parse.
 *
 *   { k: "break", pick: 1 }  inside  for (...) { while (...) { <here> } }   prints  break L1;
 *   { k: "read", pick: 0 }   inside  for (let i2 = 0; ...) { <here> }        prints  i2
 */

/** A whole program: the functions, then the flows started together at the top level. */
export interface Program {
  fns: Fn[];
  flows: Flow[];
  /** A flow that logs `T 0`, `T 1`, … once per tick for this many ticks (0: none), so that the
   *  interleaving of the other flows is visible in the log. */
  tickerTicks: number;
  /** Feature `shadowed-globals` (features.ts): the globals the script shadows or patches first. */
  globals?: GlobalPatches;
}

/**
 * Feature `shadowed-globals`: what the script does to the globals before anything else runs.
 * - `symbol`: `var Symbol = …`, a copy of the real one without `dispose`/`asyncDispose`;
 * - `promise`: `var Promise = …`, a subclass, or a wrapper function that logs its static calls;
 * - `arrayIterator`: `Array.prototype[Symbol.iterator]` replaced by one that logs, then iterates;
 * - `promiseThen`: `Promise.prototype.then` replaced by one that logs, then calls the real one.
 */
export interface GlobalPatches {
  symbol: boolean;
  promise: "none" | "subclass" | "wrapper";
  arrayIterator: boolean;
  promiseThen: boolean;
}

/**
 * A function the program defines; `fns[i]` may call only `fns[j]` with j > i, so calls nest at most
 * `fns.length` deep and never recurse.
 *
 * Its kind decides what an `await` or `yield` in its body prints as: in an async function a `yield`
 * node prints as `await`, in a sync generator an `await` node prints as `yield` (see print.ts), so
 * any subtree prints validly in any function.
 */
export interface Fn {
  kind: FnKind;
  form: FnForm;
  /** The initial value of the local `b` (the local `a` starts as the parameter `n`). */
  local: Expr;
  body: Stmt[];
  result: Expr;
  /** Feature `sloppy-names`: a third parameter named with a sloppy-only identifier (`arguments`,
   *  `eval`, `let`, …; `pick` chooses among those legal in the function's kind). */
  sloppyParam?: { pick: number } | null;
  /** Feature `parameter-defaults`: parameters after `t, n`, each with or without a default. */
  params?: Param[];
  /** Feature `parameter-defaults`: `var` declarations at the top of the body, each named after a
   *  parameter (`pick`) or after the outer name a default's closure reads (`pick` past the end). */
  bodyVars?: { pick: number; e: Expr }[];
  /** Feature `shadowed-globals`: `var undefined = 1;` at the top of the body. */
  shadowUndefined?: boolean;
}

/**
 * A parameter `qN` after `t, n` (feature `parameter-defaults`), never passed by the callers, so its
 * default runs: none; an earlier parameter or a literal; a later parameter or itself (the TDZ: a
 * ReferenceError at the call, a rejection for an async function); a closure `() => x` over an earlier,
 * the same or a later parameter, or over the outer `pv` that a body `var pv` must not capture.
 */
export type Param =
  | { k: "none" }
  | { k: "earlier"; pick: number }
  | { k: "literal"; v: number }
  | { k: "later"; pick: number }
  | { k: "self" }
  | { k: "closure"; reads: "earlier" | "self" | "later" | "outer"; pick: number };

export type FnKind = "async" | "generator" | "asyncGenerator";

/** How the function is written; each is called in the way that fits (`f1(…)`, `o1.f1(…)`, …).
 *  Generators have no arrow form (an `arrow` generator prints as an expression). */
export type FnForm = "declaration" | "expression" | "arrow" | "method" | "staticMethod";

/** `fns[pick]` called at the top level; `handled: false` leaves its rejection unhandled, which ends
 *  the process (exit code 1) as soon as Node notices. A generator is driven by the prelude's `drive`
 *  (an async generator by `driveAsync`): `steps` first, then `next()` until done (at most 12 times). */
export interface Flow {
  pick: number;
  arg: number;
  handled: boolean;
  steps: FlowStep[];
}

/** `it[op](v)` (`it.throw(mine(v))`); for an async generator `wait: false` sends the request without
 *  waiting for the previous ones to settle (its request queue). */
export interface FlowStep {
  op: DriveOp;
  v: number;
  wait: boolean;
}

export type DriveOp = "next" | "throw" | "return";

/**
 * An iterable or an iterator, resolved while printing against what the consumer accepts (a sync
 * consumer — `for…of`, `yield*` in a sync generator — turns an async choice into its sync twin):
 * - `call`: a later function of generator kind (`async` prefers an async generator), or `[arg]` when
 *   there is none;
 * - `closure`: `(function* (p1) { … })(arg)` or `(async function* …)(arg)`, a generator of its own;
 * - `array`: `[items]` (items are often promises: a sync iterable of promises for `for await`);
 * - `iterator`: the prelude's hand-written `iter`/`aiter`, which logs every `next`/`return`/`throw`.
 */
export type Source =
  | { k: "call"; pick: number; arg: Expr; async: boolean }
  | { k: "closure"; async: boolean; body: Stmt[]; result: Expr; arg: Expr }
  | { k: "array"; items: Expr[] }
  | { k: "iterator"; async: boolean; kind: IteratorKind; n: number };

/** `full`: next, return and throw (rethrows); `noReturn`/`noThrow`: that method missing;
 *  `throwResumes`: throw() yields the next value; `returnThrows`: return() throws. */
export type IteratorKind = "full" | "noReturn" | "noThrow" | "throwResumes" | "returnThrows";

/** One call on a driven iterator: `it.next(e)`, `it.throw(mine(e))`, `it.return(e)`. `await`: the
 *  result is logged (awaited, for an async iterator, where the function can await); `fire`: an async
 *  iterator's promise is only given callbacks that log, so several requests queue up; `caught`: as
 *  `await`, inside a try/catch that logs the error. */
export interface DriveStep {
  op: DriveOp;
  e: Expr;
  mode: "await" | "fire" | "caught";
}

export type Expr =
  // leaves
  | { k: "num"; v: number }
  | { k: "str"; v: string }
  | { k: "nullish"; v: "null" | "undefined" }
  | { k: "read"; pick: number }
  // awaiting and what is awaited
  | { k: "await"; e: Expr }
  | { k: "resolve"; e: Expr }
  | { k: "reject"; e: Expr }
  | { k: "thenable"; kind: ThenableKind; e: Expr }
  | { k: "callAsync"; pick: number; arg: Expr }
  | { k: "asyncArrow"; body: Stmt[]; result: Expr; arg: Expr }
  | { k: "combinator"; op: CombinatorOp; items: Expr[] }
  // generators: `(yield e)`, `(yield* source)` (in an async function: `(await e)`, the source collected)
  | { k: "yield"; e: Expr | null }
  | { k: "yieldStar"; src: Source }
  // operators and literals
  | { k: "observe"; e: Expr }
  | { k: "binary"; op: BinaryOp; l: Expr; r: Expr }
  | { k: "logical"; op: LogicalOp; l: Expr; r: Expr }
  | { k: "conditional"; c: Expr; a: Expr; b: Expr }
  | { k: "unary"; op: UnaryOp; e: Expr }
  | { k: "template"; parts: Expr[] }
  | { k: "object"; props: ObjectProp[] }
  | { k: "array"; items: ArrayItem[] }
  | { k: "comma"; l: Expr; r: Expr }
  | { k: "assign"; target: Target; op: AssignOp; e: Expr }
  // calls
  | { k: "call"; args: Expr[] }
  | { k: "box"; e: Expr }
  | { k: "method"; recv: Expr; args: Expr[] }
  | { k: "optional"; obj: Expr; access: OptionalAccess; key: Expr; args: Expr[] };

export type ThenableKind = "ok" | "rejects" | "throws" | "twice" | "throwsAfterResolve" | "later" | "nested" | "getter" | "thenNotCallable";
export type CombinatorOp = "all" | "race" | "allSettled" | "any";
export type BinaryOp = "+" | "-" | "*" | "===" | "<";
export type LogicalOp = "&&" | "||" | "??";
export type UnaryOp = "-" | "!" | "typeof" | "void";
export type AssignOp = "=" | "+=" | "-=" | "||=" | "&&=" | "??=";
export type OptionalAccess = "property" | "element" | "call";

export type ObjectProp = { k: "property"; e: Expr } | { k: "spread"; e: Expr } | { k: "computed"; key: Expr; e: Expr };
export interface ArrayItem {
  spread: boolean;
  e: Expr;
}

/** Where an assignment writes: a local of the function (`a`/`b`), the shared global `g.v`, or
 *  `g[key]` (the key is evaluated before the right-hand side). */
export type Target = { k: "local"; pick: number } | { k: "global" } | { k: "element"; key: Expr };

export type Stmt =
  | { k: "log"; e: Expr }
  | { k: "expression"; e: Expr }
  | { k: "if"; c: Expr; then: Stmt[]; else: Stmt[] | null }
  | { k: "while"; limit: number; c: Expr | null; body: Stmt[] }
  | { k: "doWhile"; limit: number; c: Expr | null; body: Stmt[] }
  | { k: "for"; limit: number; decl: "let" | "var"; body: Stmt[] }
  | { k: "forOf"; decl: LoopDecl; items: Expr[]; body: Stmt[] }
  | { k: "forIn"; decl: LoopDecl; keys: number; body: Stmt[] }
  | { k: "labeled"; body: Stmt[] }
  | { k: "break"; pick: number }
  | { k: "continue"; pick: number }
  | { k: "switch"; disc: Expr; cases: SwitchCase[]; defaultAt: number | null; defaultBody: Stmt[] }
  | { k: "try"; block: Stmt[]; handler: CatchClause | null; finalizer: Stmt[] | null }
  | { k: "return"; e: Expr | null }
  | { k: "throw"; e: Expr; wrap: boolean }
  | { k: "destructure"; pattern: "object" | "array"; defaults: [Expr, Expr]; source: [Expr | null, Expr | null] }
  | { k: "destructureAssign"; picks: [number, number]; fallback: Expr; source: [Expr | null, Expr | null] }
  | { k: "capture"; async: boolean; picks: number[] }
  | { k: "runCaptures" }
  | { k: "spawn"; call: Expr }
  | { k: "block"; body: Stmt[] }
  /** `for (const x of source)` or `for await (…)` (a plain `for…of` in a sync generator), with a
   *  guard that breaks after `limit` turns. */
  | { k: "iterate"; await: boolean; decl: LoopDecl; src: Source; limit: number; body: Stmt[] }
  /** `const it = source;` then each step called on it, its result logged. */
  | { k: "drive"; src: Source; steps: DriveStep[] }
  /** `const [d1, d2 = default] = source;` (or `[d1, ...d2]`): reads one or two values, then closes
   *  the iterator (a sync source only). */
  | { k: "destructureIterable"; src: Source; fallback: Expr; rest: boolean }
  /** Feature `this-callees`: a function that observes its `this` (strict: `typeof this`; sloppy:
   *  `this === globalThis`), saved in a local or a parameter of a closure, called across a
   *  suspension plainly, through an alias, as a template tag, with `?.()` or as a method. */
  | { k: "thisCall"; strict: boolean; holder: "local" | "param"; call: ThisCallForm; arg: Expr; gap: Stmt[] }
  /** Feature `sloppy-names`: `var NAME = e;` or `let NAME = e;` with a sloppy-only identifier
   *  (`pick` chooses among the names still free in the function and legal where it stands). */
  | { k: "sloppyLocal"; pick: number; decl: "var" | "let"; e: Expr }
  /** Feature `loop-head-patterns`: a loop whose head destructures (guarded like `iterate`). */
  | { k: "patternLoop"; loop: PatternLoopKind; decl: PatternDecl; pattern: Pattern; items: Expr[]; limit: number; promises: boolean; body: Stmt[] };

export type ThisCallForm = "plain" | "alias" | "tag" | "optional" | "member";
export type PatternLoopKind = "for" | "forIn" | "forOf" | "forAwait";
/** `var`/`let`/`const` declare fresh names `yN`; `assign` writes locals, `g.v`, `g[key]`. */
export type PatternDecl = "var" | "let" | "const" | "assign";

/**
 * A destructuring pattern of a loop head. The values iterated are shaped after it (an array for
 * an array pattern, `{ p0, p1, … }` for an object pattern), their leaves taken from the loop's
 * `items` in order, so that most reads hit and a missing leaf runs its default.
 */
export type Pattern =
  | { k: "leaf"; target: number }
  | { k: "array"; elems: PatternElement[]; rest: Pattern | null }
  | { k: "object"; props: PatternProperty[]; rest: boolean };

/** `hole` prints an elision (`[, y1]`); `in` prints the default as `"v" in g`, unparenthesized. */
export interface PatternElement {
  p: Pattern;
  def: Expr | null;
  hole: boolean;
  inDefault: boolean;
}

/** `p0: y1 = def` or `[(key, "p0")]: y1 = def` (a computed key that still names `p0`). */
export interface PatternProperty {
  p: Pattern;
  def: Expr | null;
  computed: Expr | null;
}

export type LoopDecl = "const" | "let" | "var";

/** `case <test>: <body>` followed by `break;` when `exits`, falling through otherwise. */
export interface SwitchCase {
  test: Expr;
  body: Stmt[];
  exits: boolean;
}

export interface CatchClause {
  /** `catch (e1)` or a bare `catch`. */
  binds: boolean;
  body: Stmt[];
}

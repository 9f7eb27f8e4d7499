/**
 * Turns a generated `Program` into source text, resolving every context-dependent choice (see
 * ast.ts) against what is in scope where the node lands, and counts which forms it printed.
 *
 *   { fns: [{ form: "arrow", body: [{ k: "for", limit: 2, decl: "let", body: [{ k: "log", e: { k: "await", e: { k: "read", pick: 0 } } }] }], ... }], ... }
 *
 *   const f0 = async (t, n) => {
 *     if (spent()) return "spent";
 *     let a = n, b = 1;
 *     const cs = [];
 *     for (let i1 = 0; i1 < 2; i1++) {
 *       log(t, "s1", (await i1));
 *     }
 *     return a;
 *   };
 *
 * Coverage counts what was printed, not what was generated: a `break` with no loop around it prints
 * nothing and counts nothing. Names of the counted forms: `stmt:…`, `expr:…`, `await in …` and
 * `yield in …` (the position an `await` or a `yield` stands in), `yield* in …`, `source:…` (what a
 * `yield*`, a loop or a driving statement iterates), `drive:…`, `fn:…`, `thenable:…`, `flow:…`.
 *
 * Generators: a node prints validly in any function. `await` in a sync generator prints as `yield`,
 * `yield` in an async function (or an async arrow) as `await`, `yield* source` in an async function
 * as the source collected (`[...source]` or `await collect(source)`), `for await` in a sync
 * generator as `for…of`; a consumer that can take only sync iterables gets the sync twin of an
 * async source.
 */
import type { Expr, Fn, FnForm, FnKind, Param, Pattern, Program, Source, Stmt, Target } from "./ast.js";
import { globalPatches, preludeFor, type Helper } from "./prelude.js";

export interface PrintedProgram {
  code: string;
  /** How many times each form was printed. */
  coverage: Map<string, number>;
}

/**
 * Ways around lowering bugs already found, so that a long exploratory run finds the next bug
 * instead of the same one again. Opt-in only (`npm run fuzz -- --work-around NAME`); the test in
 * test/fuzz.test.ts uses none.
 * - `switch-discriminant`: a switch whose clauses await evaluates its discriminant again for every
 *   case test (fuzz/found/switch-discriminant-evaluated-per-case.ts); discriminants are printed as
 *   a plain read and case tests as numbers.
 * - `declaration-pattern-defaults`: a binding read only in a default of a declaration's pattern
 *   (`const { d = b } = …`) after an await is not kept across it
 *   (fuzz/found/declaration-pattern-default-read-after-await.ts); those defaults are printed as
 *   literals.
 * - `class-methods`: in strict code, an async closure made inside a `try` whose `finally` awaits is
 *   created outside the block that declares its machine class (fuzz/found/
 *   strict-async-closure-in-try-finally.ts); class methods are printed as object-literal methods.
 * - `case-test-parentheses`: TypeScript's parser reads `case (x): try {` as the head of an arrow
 *   function and refused the file (fixtures/fuzz/case-test-parenthesized-assignment-before-try.ts);
 *   a parenthesized case test gets a second pair of parentheses.
 * - `iterator-close-throws`: a `return` out of a suspension-free `for…of` inside a `try` whose `catch`
 *   suspends lets an exception from the iterator's `return()` skip that catch
 *   (fixtures/fuzz/return-from-for-of-iterator-close-throws-skips-catch.ts); the hand-written iterators
 *   whose `return()` throws get one that does not.
 * (All are fixed; the work-arounds stay so that old runs can be replayed.)
 */
export type Workaround = "switch-discriminant" | "declaration-pattern-defaults" | "class-methods" | "case-test-parentheses" | "iterator-close-throws";
export const WORKAROUNDS: readonly Workaround[] = ["switch-discriminant", "declaration-pattern-defaults", "class-methods", "case-test-parentheses", "iterator-close-throws"];

export interface PrintOptions {
  /** Comment lines (without `//`) to put first: a fixture starts with its `// Checks:` line. */
  header?: string[];
  workarounds?: ReadonlySet<Workaround>;
}

export function printProgram(program: Program, options: PrintOptions = {}): PrintedProgram {
  const header = options.header ?? [];
  const printer = new ProgramPrinter(program, options.workarounds ?? new Set());
  const body = printer.program();
  const patches = program.globals === undefined ? "" : globalPatches(program.globals);
  const code = [...header.map((line) => `// ${line}`), patches + preludeFor(printer.helpers) + body].join("\n");
  return { code, coverage: printer.coverage };
}

/** Something a `break` or `continue` can leave, or a `finally` a jump passes through. */
interface Frame {
  kind: "loop" | "switch" | "block" | "finally";
  label: string;
  /** Whether a jump named the label, so that it must be printed. */
  labelUsed: boolean;
  /** A loop over an iterator, which leaving early closes (its `return()`). */
  iterates?: "for-of" | "for-await";
}

/** A resolved `Source`: its text and whether it is an async iterable. */
interface PrintedSource {
  text: string;
  async: boolean;
  /** What it is, for the coverage counts. */
  what: string;
}

class ProgramPrinter {
  readonly coverage = new Map<string, number>();
  /** The prelude helpers the printed code calls. */
  readonly helpers = new Set<Helper>(["log"]);
  /** Whether a function calls another: then each checks the fuel first. */
  private callsBetweenFunctions = false;
  /** Whether the function being printed uses its closure list `cs`. */
  private usesCaptures = false;
  private readonly counters = new Map<string, number>();
  /** Readable bindings, outermost first. */
  private scope: string[] = [];
  /** Jump targets and `finally` blocks of the function being printed, outermost first. */
  private frames: Frame[] = [];
  /** Index of the function being printed (-1 at the top level): it may call only later ones. */
  private fnIndex = -1;
  private depth = 0;
  /** The locals an assignment may write. */
  private writableLocals = ["a", "b"];
  /** The kind of the innermost function being printed: what `await` and `yield` may print as. */
  private ctx: FnKind = "async";
  /** How many `finally` blocks the current position is inside (in the current function). */
  private inFinally = 0;
  /** The kind of the outermost function being printed (`yield` is no name anywhere inside a generator). */
  private fnKind: FnKind = "async";
  /** Sloppy-only names the function being printed declared already (feature `sloppy-names`). */
  private sloppyUsed = new Set<string>();

  /** Per function: whether it binds sloppy-only names (then it is never a class method). */
  private readonly sloppyFns: boolean[];

  constructor(
    private readonly source: Program,
    private readonly workarounds: ReadonlySet<Workaround>,
  ) {
    this.sloppyFns = source.fns.map(usesSloppyNames);
  }

  program(): string {
    const out: string[] = [];
    this.source.fns.forEach((fn, index) => {
      this.fnIndex = index;
      out.push(...this.fn(fn, index), "");
    });
    this.fnIndex = -1;
    const fnCount = this.source.fns.length;
    this.source.flows.forEach((flow, index) => {
      const tag = String.fromCharCode(65 + index); // A, B, C...
      const callee = flow.pick % fnCount;
      const call = this.callText(callee, JSON.stringify(tag), String(flow.arg));
      const kind = this.source.fns[callee].kind;
      if (kind === "generator") {
        this.count("flow:generator");
        this.countFlowSteps(flow.steps, false);
        this.helpers.add("drive");
        out.push(`drive("${tag}", ${call}, ${JSON.stringify(flow.steps.map((step) => [step.op, step.v]))});`);
        return;
      }
      if (kind === "asyncGenerator") {
        this.count("flow:async-generator");
        this.countFlowSteps(flow.steps, true);
        this.helpers.add("driveAsync");
        const steps = JSON.stringify(flow.steps.map((step) => [step.op, step.v, step.wait]));
        out.push(`driveAsync("${tag}", ${call}, ${steps}).then((v) => log("${tag}", "result", v), (e) => log("${tag}", "error", e));`);
        return;
      }
      if (flow.handled) {
        this.count("flow:handled");
        out.push(`${call}.then((v) => log("${tag}", "result", v), (e) => log("${tag}", "error", e));`);
      } else {
        this.count("flow:unhandled");
        this.helpers.add("mine");
        out.push(`${call}.then((v) => log("${tag}", "result", v), (e) => { log("${tag}", "error", e); throw mine(e); });`);
      }
    });
    if (this.source.tickerTicks > 0) {
      this.count("flow:ticker");
      this.helpers.add("ticker");
      out.push(`ticker("T", ${this.source.tickerTicks});`);
    }
    if (this.source.flows.length + (this.source.tickerTicks > 0 ? 1 : 0) >= 2) this.count("flow:concurrent");
    out.push(`log("main", "sync end");`);
    if (this.callsBetweenFunctions) this.helpers.add("spent");
    const text = out.join("\n") + "\n";
    return text.replace(/^( *)\u0000fuel check\u0000\n/gm, this.callsBetweenFunctions ? '$1if (spent()) return "spent";\n' : "");
  }

  private countFlowSteps(steps: Program["flows"][number]["steps"], async: boolean): void {
    steps.forEach((step, i) => {
      this.count(`drive:${step.op}`);
      if (async && i > 0 && !steps[i - 1].wait) this.count("drive:queued request");
    });
  }

  // ---- functions -------------------------------------------------------------------------------

  private fn(fn: Fn, index: number): string[] {
    const form = this.formOf(index);
    this.count(`fn:${KIND_NAMES[fn.kind]} ${form}`);
    const name = `f${index}`;
    this.scope = ["t", "n", "a"];
    this.frames = [];
    this.depth = 1;
    this.ctx = fn.kind;
    this.fnKind = fn.kind;
    this.inFinally = 0;
    this.sloppyUsed = new Set();
    const { params, names: paramNames, all: allParams, closures } = this.params(fn);
    this.scope.splice(2, 0, ...paramNames);
    // `b` is not initialised yet while its initialiser runs: nothing in it may write it (a write
    // before the declaration is a known gap, README "Known differences").
    this.writableLocals = ["a"];
    this.usesCaptures = false;
    const local = this.expr(fn.local, "local initialiser");
    this.writableLocals = ["a", "b", ...paramNames];
    this.scope.push("b");
    const bodyVars = this.bodyVars(fn, allParams);
    const statements = this.block(fn.body);
    const closureLogs = closures.map((q) => `  log(t, "${q}", typeof ${q} === "function" ? ${q}() : ${q});`);
    const result = this.expr(fn.result, "return");
    const body = [
      `  ${FUEL_CHECK}`,
      ...(fn.shadowUndefined === true ? (this.count("global:var undefined in a function"), [`  var undefined = 1;`]) : []),
      ...(this.usesCaptures ? [`  const cs = [];`] : []),
      `  let a = n, b = ${local};`,
      ...bodyVars,
      ...statements,
      ...closureLogs,
      `  return ${result};`,
    ];
    const asyncWord = fn.kind === "generator" ? "" : "async ";
    const star = fn.kind === "async" ? "" : "*";
    const list = ["t", "n", ...params].join(", ");
    switch (form) {
      case "declaration":
        return [`${asyncWord}function${star} ${name}(${list}) {`, ...body, `}`];
      case "expression":
        return [`const ${name} = ${asyncWord}function${star} (${list}) {`, ...body, `};`];
      case "arrow":
        return [`const ${name} = async (${list}) => {`, ...body, `};`];
      case "method":
        return [`const o${index} = {`, `  ${asyncWord}${star}${name}(${list}) {`, ...indent(body), `  },`, `};`];
      case "staticMethod":
        return [`class C${index} {`, `  static ${asyncWord}${star}${name}(${list}) {`, ...indent(body), `  }`, `}`];
      default: {
        const unknown: never = form;
        throw new Error(`unknown function form ${String(unknown)}`);
      }
    }
  }

  private formOf(index: number): FnForm {
    const fn = this.source.fns[index];
    const { form, kind } = fn;
    if (form === "arrow" && kind !== "async") return "expression"; // there are no generator arrows
    // A class body is strict code: a function with sloppy-only names is an object's method instead.
    if (form === "staticMethod" && this.sloppyFns[index]) return "method";
    return form === "staticMethod" && this.workarounds.has("class-methods") ? "method" : form;
  }

  /** How `fns[index]` is called, in the way its form needs (a sloppy-named parameter gets `"P"`;
   *  the parameters of feature `parameter-defaults` get nothing, so their defaults run). */
  private callText(index: number, tag: string, arg: string): string {
    const form = this.formOf(index);
    const callee = form === "method" ? `o${index}.f${index}` : form === "staticMethod" ? `C${index}.f${index}` : `f${index}`;
    const sloppy = this.source.fns[index].sloppyParam == null ? "" : `, "P"`;
    return `${callee}(${tag}, ${arg}${sloppy})`;
  }

  /**
   * The parameters after `t, n` (features `sloppy-names` and `parameter-defaults`), the names they
   * bind, and those whose default is a closure (logged, called, at the end of the body):
   *   (t, n, arguments, q1 = n, q2 = () => q3, q3 = q3)
   * `names` leaves out the parameters that hold a function: the program would show its source text
   * (as a computed key, in a template), which differs lowered by design.
   */
  private params(fn: Fn): { params: string[]; names: string[]; all: string[]; closures: string[] } {
    const params: string[] = [];
    const names: string[] = [];
    const all: string[] = [];
    const holdsFunction = new Set<string>();
    if (fn.sloppyParam != null) {
      const allowed = SLOPPY_NAMES.filter((name) => name !== "yield" || fn.kind === "async");
      const name = allowed[fn.sloppyParam.pick % allowed.length];
      this.count(`sloppy:parameter ${name}`);
      this.sloppyUsed.add(name);
      params.push(name);
      names.push(name);
      all.push(name);
    }
    const qs = (fn.params ?? []).map(() => this.next("q"));
    const closures: string[] = [];
    qs.forEach((q, i) => {
      const spec: Param = fn.params![i];
      const earlier = ["n", ...all];
      const later = qs.slice(i + 1);
      const laterOrSelf = later.length === 0 ? q : later[spec.k === "later" || spec.k === "closure" ? spec.pick % later.length : 0];
      let text: string;
      switch (spec.k) {
        case "none":
          text = q;
          break;
        case "earlier": {
          const read = earlier[spec.pick % earlier.length];
          if (holdsFunction.has(read)) holdsFunction.add(q);
          text = `${q} = ${read}`;
          break;
        }
        case "literal":
          text = `${q} = ${spec.v}`;
          break;
        case "later":
          text = `${q} = ${laterOrSelf}`;
          break;
        case "self":
          text = `${q} = ${q}`;
          break;
        case "closure": {
          closures.push(q);
          holdsFunction.add(q);
          const read = spec.reads === "earlier" ? earlier[spec.pick % earlier.length] : spec.reads === "self" ? q : spec.reads === "later" ? laterOrSelf : "pv";
          if (read === "pv") this.helpers.add("pv");
          text = `${q} = () => ${read}`;
          break;
        }
      }
      const tdz = spec.k === "self" || spec.k === "later";
      this.count(`param:${spec.k === "closure" ? `closure over ${spec.reads}` : spec.k}${tdz ? " (TDZ)" : ""}`);
      params.push(text);
      all.push(q);
      if (!holdsFunction.has(q)) names.push(q);
    });
    return { params, names, all, closures };
  }

  /** `var NAME = e;` at the top of the body, named after a parameter or the outer `pv` (feature
   *  `parameter-defaults`: with parameter expressions, the body's `var`s are a scope of their own). */
  private bodyVars(fn: Fn, paramNames: string[]): string[] {
    const candidates = ["n", ...paramNames.filter((name) => !SLOPPY_NAMES.includes(name)), "pv"];
    return (fn.bodyVars ?? []).map(({ pick, e }) => {
      const name = candidates[pick % candidates.length];
      this.count(`param:body var ${name === "pv" ? "read by a default's closure" : "named after a parameter"}`);
      return `  var ${name} = ${this.expr(e, "body var initialiser")};`;
    });
  }

  // ---- statements ------------------------------------------------------------------------------

  /** The statements one level deeper than the current one, each line indented. */
  private block(stmts: Stmt[]): string[] {
    this.depth++;
    const scopeLength = this.scope.length;
    const lines = stmts.flatMap((stmt) => this.stmt(stmt));
    this.scope.length = scopeLength;
    this.depth--;
    return lines.map((line) => "  " + line);
  }

  /** `{ ... }` around a nested block: the lines between the braces. */
  private braced(head: string, stmts: Stmt[], tail = "}"): string[] {
    return [`${head} {`, ...this.block(stmts), tail];
  }

  private stmt(stmt: Stmt): string[] {
    switch (stmt.k) {
      case "log":
        this.count("stmt:log");
        return [`log(t, "${this.next("s")}", ${this.expr(stmt.e, "log argument")});`];
      case "expression": {
        this.count("stmt:expression");
        const text = this.expr(stmt.e, "expression statement");
        return [text.startsWith("{") ? `(${text});` : `${text};`];
      }
      case "if": {
        this.count(stmt.else === null ? "stmt:if" : "stmt:if-else");
        const head = this.braced(`if (${this.expr(stmt.c, "if condition")})`, stmt.then);
        if (stmt.else === null) return head;
        head[head.length - 1] = "} else {";
        return [...head, ...this.block(stmt.else), "}"];
      }
      case "while": {
        this.count("stmt:while");
        const guard = this.next("g");
        const condition = stmt.c === null ? "" : ` && ${this.expr(stmt.c, "loop condition")}`;
        return this.guardedLoop(guard, (label) => this.braced(`${label}while (${guard}++ < ${stmt.limit}${condition})`, stmt.body));
      }
      case "doWhile": {
        this.count("stmt:do-while");
        const guard = this.next("g");
        return this.guardedLoop(guard, (label) => {
          const body = this.braced(`${label}do`, stmt.body);
          const condition = stmt.c === null ? "" : ` && ${this.expr(stmt.c, "loop condition")}`;
          body[body.length - 1] = `} while (${guard}++ < ${stmt.limit}${condition});`;
          return body;
        });
      }
      case "for": {
        this.count(`stmt:for-${stmt.decl}`);
        const i = this.next("i");
        return this.loop((label) => {
          this.scope.push(i);
          return this.braced(`${label}for (${stmt.decl} ${i} = 0; ${i} < ${stmt.limit}; ${i}++)`, stmt.body);
        });
      }
      case "forOf": {
        this.count(`stmt:for-of-${stmt.decl}`);
        const x = this.next("x");
        const items = stmt.items.map((item) => this.expr(item, "for-of item")).join(", ");
        return this.loop((label) => {
          this.scope.push(x);
          return this.braced(`${label}for (${stmt.decl} ${x} of [${items}])`, stmt.body);
        });
      }
      case "forIn": {
        this.count(`stmt:for-in-${stmt.decl}`);
        const key = this.next("k");
        const object = Array.from({ length: stmt.keys }, (_, i) => `${"pqr"[i]}: ${i}`).join(", ");
        return this.loop((label) => {
          this.scope.push(key);
          return this.braced(`${label}for (${stmt.decl} ${key} in { ${object} })`, stmt.body);
        });
      }
      case "labeled": {
        this.count("stmt:labeled-block");
        const frame = this.pushFrame("block");
        const lines = this.braced(`${frame.label}:`, stmt.body);
        this.frames.pop();
        return lines;
      }
      case "break":
        return this.jump("break", stmt.pick);
      case "continue":
        return this.jump("continue", stmt.pick);
      case "switch":
        return this.switchStmt(stmt);
      case "try":
        return this.tryStmt(stmt);
      case "return":
        this.count(this.finallyBetween(0) ? "stmt:return-through-finally" : "stmt:return");
        this.countIteratorExits("return", 0);
        return [stmt.e === null ? "return;" : `return ${this.expr(stmt.e, "return")};`];
      case "throw":
        this.count(this.finallyBetween(0) ? "stmt:throw-through-finally" : "stmt:throw");
        this.countIteratorExits("throw", 0);
        if (stmt.wrap) this.helpers.add("mine");
        return [stmt.wrap ? `throw mine(${this.expr(stmt.e, "throw")});` : `throw ${this.expr(stmt.e, "throw")};`];
      case "destructure": {
        this.count(`stmt:destructure-${stmt.pattern}`);
        const [d1, d2] = [this.next("d"), this.next("d")];
        const literalDefaults = this.workarounds.has("declaration-pattern-defaults");
        const [default1, default2] = literalDefaults ? ["1", '"x"'] : stmt.defaults.map((e) => this.expr(e, "destructuring default"));
        const [source1, source2] = stmt.source.map((e) => (e === null ? null : this.expr(e, "destructuring source")));
        const declaration =
          stmt.pattern === "object"
            ? `const { ${d1} = ${default1}, ${d2} = ${default2} } = { ${[source1 === null ? "" : `${d1}: ${source1}`, source2 === null ? "" : `${d2}: ${source2}`].filter((p) => p !== "").join(", ")} };`
            : `const [${d1} = ${default1}, ${d2} = ${default2}] = [${source1 ?? "undefined"}, ${source2 ?? "undefined"}];`;
        return ["{", `  ${declaration}`, `  log(t, "${this.next("s")}", ${d1}, ${d2});`, "}"];
      }
      case "destructureAssign": {
        this.count("stmt:destructuring-assignment");
        const assignable = [...this.writableLocals, "g.v"];
        const [first, second] = stmt.picks.map((pick) => assignable[pick % assignable.length]);
        if (first === "g.v" || second === "g.v") this.helpers.add("g");
        const fallback = this.expr(stmt.fallback, "destructuring default");
        const [source1, source2] = stmt.source.map((e) => (e === null ? "undefined" : this.expr(e, "destructuring source")));
        return [`[${first}, ${second} = ${fallback}] = [${source1}, ${source2}];`];
      }
      case "capture": {
        this.usesCaptures = true;
        this.count(stmt.async ? "stmt:capture-async-closure" : "stmt:capture-closure");
        const values = `[${stmt.picks.map((pick) => this.read(pick)).join(", ")}]`;
        return [stmt.async ? `cs.push(async () => { await null; return ${values}; });` : `cs.push(() => ${values});`];
      }
      case "runCaptures":
        this.usesCaptures = true;
        this.count("stmt:run-closures");
        return [`log(t, "${this.next("s")}", ${this.suspendText("Promise.all(cs.map((f) => f()))")});`];
      case "spawn": {
        this.count("stmt:spawn");
        const label = this.next("s");
        return [`Promise.resolve(${this.expr(stmt.call, "spawned")}).then((v) => log(t, "${label} ok", v), (e) => log(t, "${label} error", e));`];
      }
      case "block":
        this.count("stmt:block");
        return this.braced("", stmt.body).map((line, i) => (i === 0 ? "{" : line));
      case "iterate":
        return this.iterate(stmt);
      case "drive":
        return this.drive(stmt);
      case "thisCall":
        return this.thisCall(stmt);
      case "sloppyLocal":
        return this.sloppyLocal(stmt);
      case "patternLoop":
        return this.patternLoop(stmt);
      case "destructureIterable": {
        const src = this.sourceText(stmt.src, "sync", "destructured");
        this.count(`stmt:destructure-iterable${stmt.rest ? "-rest" : ""}`);
        this.count(`source:destructured ${src.what}`);
        const [d1, d2] = [this.next("d"), this.next("d")];
        const pattern = stmt.rest ? `[${d1}, ...${d2}]` : `[${d1}, ${d2} = ${this.expr(stmt.fallback, "destructuring default")}]`;
        return ["{", `  const ${pattern} = ${src.text};`, `  log(t, "${this.next("s")}", ${d1}, ${d2});`, "}"];
      }
      default: {
        const unknown: never = stmt;
        throw new Error(`unknown statement ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** `for (… of source)` or `for await`, with a guard that leaves it after `limit` turns. */
  private iterate(stmt: Extract<Stmt, { k: "iterate" }>): string[] {
    const isAwait = stmt.await && this.ctx !== "generator";
    const src = this.sourceText(stmt.src, isAwait ? "any" : "sync", "for-await head");
    this.count(`stmt:${isAwait ? "for-await" : "for-of"}-${stmt.decl}`);
    this.count(`source:${isAwait ? "for await over" : "for-of over"} ${src.what}`);
    const x = this.next("x");
    const guard = this.next("g");
    return this.guardedLoop(guard, (label) => {
      this.scope.push(x);
      const head = `${label}for ${isAwait ? "await " : ""}(${stmt.decl} ${x} of ${src.text}) {`;
      return [head, `  if (${guard}++ === ${stmt.limit}) break;`, ...this.block(stmt.body), "}"];
    }, isAwait ? "for-await" : "for-of");
  }

  /**
   * Feature `this-callees`: a function that logs its `this`, saved across a suspension, then called:
   *   { const h1 = function () { "use strict"; log(t, "h1", typeof this, arguments.length); return typeof this; };
   *     (await null); …; log(t, "s3", h1`x${a}`); }
   * or held by a parameter of a closure of the current kind:
   *   log(t, "s3", (await (async (h1) => { (await null); …; return h1?.(a); })(function () { … })));
   */
  private thisCall(stmt: Extract<Stmt, { k: "thisCall" }>): string[] {
    const h = this.next("h");
    this.count(`this:${stmt.holder} ${stmt.call} ${stmt.strict ? "strict" : "sloppy"}`);
    const callee = stmt.strict
      ? `function () { "use strict"; log(t, "${h}", typeof this, arguments.length); return typeof this; }`
      : `function () { log(t, "${h}", this === globalThis, arguments.length); return this === globalThis; }`;
    const prefix = stmt.call === "alias" ? [`const ${h}a = ${h};`] : stmt.call === "member" ? [`const ${h}o = { m: ${h} };`] : [];
    const suspend = `${this.suspendText("null")};`;
    const call = (): string => {
      const arg = this.expr(stmt.arg, "this-callee argument");
      switch (stmt.call) {
        case "plain":
          return `${h}(${arg})`;
        case "alias":
          return `${h}a(${arg})`;
        case "tag":
          return `${h}\`x\${${arg}}\``;
        case "optional":
          return `${h}?.(${arg})`;
        case "member":
          return `${h}o.m(${arg})`;
      }
    };
    const label = this.next("s");
    if (stmt.holder === "local") {
      return ["{", `  const ${h} = ${callee};`, ...prefix.map((line) => "  " + line), `  ${suspend}`, ...this.block(stmt.gap), `  log(t, "${label}", ${call()});`, "}"];
    }
    const head = this.ctx === "async" ? `(async (${h}) => {` : this.ctx === "generator" ? `(function* (${h}) {` : `(async function* (${h}) {`;
    const closure = this.inlineFunction(head, this.ctx, [], [...prefix, suspend], stmt.gap, call, callee);
    return [`log(t, "${label}", ${this.ctx === "async" ? `(await ${closure})` : `(yield* ${closure})`});`];
  }

  /** Feature `sloppy-names`: `var eval = e;`, `let static = e;`: each name once in a function (a
   *  `let` and a `var` of one name would clash), `let` never by `let`, `yield` never in a generator. */
  private sloppyLocal(stmt: Extract<Stmt, { k: "sloppyLocal" }>): string[] {
    const inGenerator = this.fnKind !== "async" || this.ctx !== "async";
    const free = SLOPPY_NAMES.filter((name) => !this.sloppyUsed.has(name) && !(name === "yield" && inGenerator));
    const value = this.expr(stmt.e, "sloppy-named initialiser");
    if (free.length === 0) return [`log(t, "${this.next("s")}", ${value});`];
    const name = free[stmt.pick % free.length];
    const decl = name === "let" ? "var" : stmt.decl;
    this.sloppyUsed.add(name);
    this.count(`sloppy:${decl} ${name}`);
    this.scope.push(name);
    return [`${decl} ${name} = ${value};`];
  }

  /**
   * Feature `loop-head-patterns`: a loop whose head destructures, over values shaped after the pattern
   * (leaves from `items`, `undefined` once they run out, so defaults run):
   *   { let g1 = 0; for await (const [y1, { p0: y2 = (await 1), [(a, "p1")]: [...y3] }] of [[1, { p0: 2, p1: [] }]]) { if (g1++ === 2) break; … } }
   */
  private patternLoop(stmt: Extract<Stmt, { k: "patternLoop" }>): string[] {
    const loop = stmt.loop === "forAwait" && this.ctx === "generator" ? "forOf" : stmt.loop;
    this.count(`stmt:pattern-${loop}-${stmt.decl}`);
    const leaves = stmt.items.map((item) => this.expr(item, "pattern loop value"));
    const turns = Array.from({ length: stmt.limit }, () => this.shapedValue(stmt.pattern, leaves));
    const guard = this.next("g");
    const iterates = loop === "forOf" ? "for-of" : loop === "forAwait" ? "for-await" : undefined;
    return this.guardedLoop(
      guard,
      (label) => {
        const bound: string[] = [];
        const pattern = this.patternText(stmt.pattern, stmt.decl === "assign", bound);
        const decl = stmt.decl === "assign" ? "" : `${stmt.decl} `;
        let head: string;
        switch (loop) {
          case "for":
            head = `${label}for (${decl}${pattern} = ${turns[0]}; ${guard}++ < ${stmt.limit}; ) {`;
            break;
          case "forIn":
            head = `${label}for (${decl}${pattern} in { ab: 0, cd: 1, e: 2 }) {`;
            break;
          case "forOf":
          case "forAwait": {
            const values = stmt.promises && loop === "forAwait" ? turns.map((turn) => `Promise.resolve(${turn})`) : turns;
            head = `${label}for ${loop === "forAwait" ? "await " : ""}(${decl}${pattern} of [${values.join(", ")}]) {`;
            break;
          }
        }
        this.scope.push(...bound);
        const check = loop === "for" ? [] : [`  if (${guard}++ === ${stmt.limit}) break;`];
        return [head, ...check, ...this.block(stmt.body), "}"];
      },
      iterates,
    );
  }

  /** A pattern of a loop head; a declaration's names (`yN`) are pushed to `bound`, an assignment's
   *  leaves are locals, `g.v` or `g.w` (member-expression targets). */
  private patternText(p: Pattern, assign: boolean, bound: string[]): string {
    const leaf = (target: number): string => {
      if (!assign) {
        const y = this.next("y");
        bound.push(y);
        return y;
      }
      const targets = [...this.writableLocals, "g.v", "g.w"];
      const text = targets[target % targets.length];
      if (text.startsWith("g.")) {
        this.helpers.add("g");
        this.count("pattern:member target");
      }
      return text;
    };
    const withDefault = (inner: string, def: Expr | null, inDefault: boolean): string => {
      if (inDefault) {
        this.count("pattern:in-expression default");
        this.helpers.add("g");
        return `${inner} = "v" in g`;
      }
      if (def === null) return inner;
      this.count(`pattern:default`);
      return `${inner} = ${this.expr(def, "pattern default")}`;
    };
    switch (p.k) {
      case "leaf":
        return leaf(p.target);
      case "array": {
        const elems = p.elems.map((el) => {
          if (el.hole) {
            this.count("pattern:hole");
            return "";
          }
          if (el.p.k !== "leaf") this.count("pattern:nested");
          return withDefault(this.patternText(el.p, assign, bound), el.def, el.inDefault);
        });
        if (p.rest !== null) {
          this.count(`pattern:array rest${p.rest.k === "leaf" ? "" : " pattern"}`);
          elems.push(`...${this.patternText(p.rest, assign, bound)}`);
        }
        return `[${elems.join(", ")}]`;
      }
      case "object": {
        const props = p.props.map((prop, i) => {
          if (prop.p.k !== "leaf") this.count("pattern:nested");
          let key = `p${i}`;
          if (prop.computed !== null) {
            this.count("pattern:computed key");
            key = `[(${this.expr(prop.computed, "computed pattern key")}, "p${i}")]`;
          }
          return `${key}: ${withDefault(this.patternText(prop.p, assign, bound), prop.def, false)}`;
        });
        if (p.rest) {
          this.count("pattern:object rest");
          props.push(`...${leaf(0)}`);
        }
        return `{ ${props.join(", ")} }`;
      }
    }
  }

  /** A value for `p` to destructure, its leaves taken from `leaves` in order. */
  private shapedValue(p: Pattern, leaves: string[]): string {
    switch (p.k) {
      case "leaf":
        return leaves.shift() ?? "undefined";
      case "array": {
        const items = p.elems.map((el) => this.shapedValue(el.p, leaves));
        if (p.rest?.k === "leaf") items.push(...leaves.splice(0, 2));
        else if (p.rest?.k === "array") items.push(...p.rest.elems.map((el) => this.shapedValue(el.p, leaves)));
        return `[${items.join(", ")}]`;
      }
      case "object": {
        const props = p.props.map((prop, i) => `p${i}: ${this.shapedValue(prop.p, leaves)}`);
        if (p.rest) props.push(`r: ${leaves.shift() ?? "0"}`);
        return `{ ${props.join(", ")} }`;
      }
    }
  }

  /** `{ const it1 = source; log(t, "s2", it1.next(…)); … }`, every result and error logged. */
  private drive(stmt: Extract<Stmt, { k: "drive" }>): string[] {
    let src = this.sourceText(stmt.src, "any", "driven");
    if (stmt.src.k === "array" || src.what === "array") {
      // An array's iterator has neither throw() nor return(): drive a generator over it instead.
      src = { text: `(function* (items) { yield* items; })(${src.text})`, async: false, what: "generator over array" };
    }
    this.count(`stmt:drive`);
    this.count(`source:driven ${src.what}`);
    const it = this.next("it");
    const lines = ["{", `  const ${it} = ${src.text};`];
    let previousFired = false;
    for (const step of stmt.steps) {
      const label = this.next("s");
      this.count(`drive:${step.op}`);
      const value = this.expr(step.e, "driven value");
      if (step.op === "throw") this.helpers.add("mine");
      const call = `${it}.${step.op}(${step.op === "throw" ? `mine(${value})` : value})`;
      const mode = src.async && step.mode !== "fire" && this.ctx === "generator" ? "fire" : step.mode;
      if (src.async && mode === "fire") {
        if (previousFired) this.count("drive:queued request");
        previousFired = true;
        lines.push(`  ${call}.then((r) => log(t, "${label}", r), (e) => log(t, "${label} rejected", e));`);
        continue;
      }
      previousFired = false;
      const result = src.async ? `await ${call}` : call;
      if (mode === "caught") {
        const error = this.next("e");
        lines.push("  try {", `    log(t, "${label}", ${result});`, `  } catch (${error}) {`, `    log(t, "${label} caught", ${error});`, "  }");
      } else {
        lines.push(`  log(t, "${label}", ${result});`);
      }
    }
    lines.push("}");
    return lines;
  }

  /** A loop that needs a guard counter declared just before it; the block keeps the guard local. */
  private guardedLoop(guard: string, print: (label: string) => string[], iterates?: Frame["iterates"]): string[] {
    return ["{", `  let ${guard} = 0;`, ...this.loop(print, iterates).map((line) => "  " + line), "}"];
  }

  /** Prints a loop with its frame pushed; the label is printed only when a jump named it. */
  private loop(print: (label: string) => string[], iterates?: Frame["iterates"]): string[] {
    const frame = this.pushFrame("loop");
    frame.iterates = iterates;
    const scopeLength = this.scope.length;
    const placeholder = "\u0000LABEL\u0000";
    const lines = print(placeholder);
    this.scope.length = scopeLength;
    this.frames.pop();
    return lines.map((line) => line.replace(placeholder, frame.labelUsed ? `${frame.label}: ` : ""));
  }

  private pushFrame(kind: Frame["kind"]): Frame {
    const frame: Frame = { kind, label: kind === "finally" ? "" : this.next("L"), labelUsed: kind === "block" };
    this.frames.push(frame);
    return frame;
  }

  /**
   * `break`/`continue` to the target chosen by `pick` among those around it (innermost first):
   * unlabelled when it is the innermost one the plain form reaches, labelled otherwise. Prints
   * nothing when there is no target.
   */
  private jump(kind: "break" | "continue", pick: number): string[] {
    const reachable = (frame: Frame) => (kind === "break" ? frame.kind !== "finally" : frame.kind === "loop");
    const targets = this.frames.map((frame, index) => ({ frame, index })).filter(({ frame }) => reachable(frame)).reverse();
    if (targets.length === 0) return [];
    const { frame, index } = targets[pick % targets.length];
    const plainTarget = [...this.frames].reverse().find((f) => (kind === "break" ? f.kind === "loop" || f.kind === "switch" : f.kind === "loop"));
    const labelled = frame !== plainTarget;
    if (labelled) frame.labelUsed = true;
    const through = this.finallyBetween(index + 1) ? "-through-finally" : "";
    this.count(`stmt:${kind}${labelled ? "-labeled" : ""}${through}`);
    this.countIteratorExits(kind, kind === "break" ? index : index + 1);
    return [labelled ? `${kind} ${frame.label};` : `${kind};`];
  }

  /** Counts a jump, return or throw that leaves a `for…of`/`for await` loop among the frames from `from` on. */
  private countIteratorExits(how: string, from: number): void {
    const left = new Set(this.frames.slice(from).flatMap((frame) => (frame.iterates === undefined ? [] : [frame.iterates])));
    for (const loop of left) this.count(`stmt:${how} out of ${loop}`);
  }

  /** Whether a `finally` block lies between the frames from `from` on and the current position. */
  private finallyBetween(from: number): boolean {
    return this.frames.slice(from).some((frame) => frame.kind === "finally");
  }

  private switchStmt(stmt: Extract<Stmt, { k: "switch" }>): string[] {
    this.count("stmt:switch");
    const stable = this.workarounds.has("switch-discriminant");
    const disc = stable ? this.read(0) : this.expr(stmt.disc, "switch discriminant");
    const frame = this.pushFrame("switch");
    const clauses: string[][] = stmt.cases.map((clause, index) => {
      if (!clause.exits && index < stmt.cases.length - 1) this.count("stmt:switch-fallthrough");
      let test = stable && clause.test.k !== "num" ? "0" : this.expr(clause.test, "case test");
      if (this.workarounds.has("case-test-parentheses") && test.startsWith("(")) test = `(${test})`;
      return [`case ${test}:`, ...this.block(clause.body), ...(clause.exits ? ["  break;"] : [])];
    });
    if (stmt.defaultAt !== null) {
      this.count("stmt:switch-default");
      const at = Math.min(stmt.defaultAt, clauses.length);
      clauses.splice(at, 0, ["default:", ...this.block(stmt.defaultBody)]);
    }
    this.frames.pop();
    const lines = [`switch (${disc}) {`, ...clauses.flat().map((line) => "  " + line), "}"];
    if (frame.labelUsed) lines[0] = `${frame.label}: ${lines[0]}`;
    return lines;
  }

  private tryStmt(stmt: Extract<Stmt, { k: "try" }>): string[] {
    const handler = stmt.handler ?? (stmt.finalizer === null ? { binds: true, body: [] } : null);
    this.count(`stmt:try${handler === null ? "" : "-catch"}${stmt.finalizer === null ? "" : "-finally"}`);
    if (this.finallyBetween(0)) this.count("stmt:try-inside-finally-protected-block");
    // A jump from the try block or the catch block runs the finally: mark the frame while those print.
    const protect = stmt.finalizer !== null;
    if (protect) this.pushFrame("finally");
    const lines = this.braced("try", stmt.block);
    if (handler !== null) {
      lines.pop();
      const param = handler.binds ? this.next("e") : null;
      if (param !== null) this.scope.push(param);
      lines.push(param === null ? "} catch {" : `} catch (${param}) {`, ...this.block(handler.body), "}");
      if (param !== null) this.scope.pop();
    }
    if (protect) this.frames.pop();
    if (stmt.finalizer !== null) {
      lines.pop();
      this.inFinally++;
      lines.push("} finally {", ...this.block(stmt.finalizer), "}");
      this.inFinally--;
    }
    return lines;
  }

  // ---- expressions -----------------------------------------------------------------------------

  /** An expression as text; `position` names where it stands, for the `await in …` counts. */
  private expr(e: Expr, position: string): string {
    this.count(`expr:${e.k}`);
    if (e.k === "await" || e.k === "yield") {
      const word = this.ctx === "generator" || (e.k === "yield" && this.ctx === "asyncGenerator") ? "yield" : "await";
      this.count(`${word} in ${position}`);
      if (this.inFinally > 0) this.count(`stmt:${word} inside finally`);
      else if (this.finallyBetween(0)) this.count(`stmt:${word} inside try with finally`);
    }
    if (e.k === "yieldStar") {
      this.count(this.ctx === "async" ? `yield* (collected) in ${position}` : `yield* in ${position}`);
      if (this.ctx !== "async" && this.inFinally > 0) this.count("stmt:yield* inside finally");
      else if (this.ctx !== "async" && this.finallyBetween(0)) this.count("stmt:yield* inside try with finally");
    }
    switch (e.k) {
      case "num":
        return e.v < 0 ? `(${e.v})` : String(e.v);
      case "str":
        return JSON.stringify(e.v);
      case "nullish":
        return e.v;
      case "read":
        return this.read(e.pick);
      case "await":
        return this.suspendText(this.expr(e.e, "await operand"));
      case "yield": {
        const operand = e.e === null ? null : this.expr(e.e, "yield operand");
        if (this.ctx === "async") return `(await ${operand ?? "undefined"})`;
        return operand === null ? "(yield)" : `(yield ${operand})`;
      }
      case "yieldStar": {
        if (this.ctx === "async") {
          const src = this.sourceText(e.src, "any", "collected");
          this.count(`source:collected ${src.what}`);
          if (!src.async) return `[...${src.text}]`;
          this.helpers.add("collect");
          return `(await collect(${src.text}))`;
        }
        const src = this.sourceText(e.src, this.ctx === "asyncGenerator" ? "any" : "sync", "yield*");
        this.count(`source:yield* ${this.ctx === "asyncGenerator" && !src.async ? "(in async generator) " : ""}${src.what}`);
        return `(yield* ${src.text})`;
      }
      case "resolve":
        return `Promise.resolve(${this.expr(e.e, "resolved value")})`;
      case "reject":
        this.helpers.add("mine");
        return `Promise.reject(mine(${this.expr(e.e, "rejected value")}))`;
      case "thenable":
        this.count(`thenable:${e.kind}`);
        this.helpers.add("thenable");
        return `thenable("${e.kind}", ${this.expr(e.e, "thenable value")})`;
      case "callAsync": {
        const arg = this.expr(e.arg, "async call argument");
        const fnCount = this.source.fns.length;
        const later = fnCount - this.fnIndex - 1;
        if (later <= 0) return `Promise.resolve(${arg})`;
        const callee = this.fnIndex + 1 + (e.pick % later);
        this.callsBetweenFunctions = true;
        const call = this.callText(callee, `t + "/f${callee}"`, arg);
        switch (this.source.fns[callee].kind) {
          case "async":
            return call;
          case "generator":
            this.count("source:spread generator");
            return `[...${call}]`;
          case "asyncGenerator":
            this.count("source:collected async generator");
            this.helpers.add("collect");
            return `collect(${call})`;
        }
        break;
      }
      case "asyncArrow":
        return this.asyncArrow(e);
      case "combinator":
        this.count(`combinator:${e.op}`);
        return `Promise.${e.op}([${e.items.map((item) => this.expr(item, "combinator item")).join(", ")}])`;
      case "observe":
        this.helpers.add("obs");
        return `obs("${this.next("o")}", ${this.expr(e.e, "observed")})`;
      case "binary":
        return `(${this.expr(e.l, "binary left")} ${e.op} ${this.expr(e.r, "binary right")})`;
      case "logical":
        return `(${this.expr(e.l, "logical left")} ${e.op} ${this.expr(e.r, "logical right")})`;
      case "conditional":
        return `(${this.expr(e.c, "conditional test")} ? ${this.expr(e.a, "conditional branch")} : ${this.expr(e.b, "conditional branch")})`;
      case "unary": {
        const operand = this.expr(e.e, `unary ${e.op}`);
        return e.op === "typeof" || e.op === "void" ? `(${e.op} ${operand})` : `(${e.op}${operand})`;
      }
      case "template":
        return "`" + e.parts.map((part) => "${" + this.expr(part, "template literal") + "}").join("-") + "`";
      case "object": {
        const props = e.props.map((prop, index) => {
          switch (prop.k) {
            case "property":
              return `p${index}: ${this.expr(prop.e, "object property")}`;
            case "spread":
              return `...${this.expr(prop.e, "object spread")}`;
            case "computed":
              return `[${this.expr(prop.key, "computed key")}]: ${this.expr(prop.e, "object property")}`;
          }
        });
        return props.length === 0 ? "{}" : `{ ${props.join(", ")} }`;
      }
      case "array":
        return `[${e.items.map((item) => (item.spread ? `...${this.expr(item.e, "array spread")}` : this.expr(item.e, "array element"))).join(", ")}]`;
      case "comma":
        return `(${this.expr(e.l, "comma left")}, ${this.expr(e.r, "comma right")})`;
      case "assign":
        this.count(`assign:${e.op}`);
        return `(${this.target(e.target)} ${e.op} ${this.expr(e.e, "assigned value")})`;
      case "call":
        this.helpers.add("pick");
        return `pick("${this.next("c")}"${e.args.map((arg) => ", " + this.expr(arg, "call argument")).join("")})`;
      case "box":
        this.helpers.add("box");
        return `box(${this.expr(e.e, "boxed value")})`;
      case "method":
        return `${member(e.recv, this.expr(e.recv, "method receiver"))}.m(${e.args.map((arg) => this.expr(arg, "method argument")).join(", ")})`;
      case "optional": {
        this.count(`optional:${e.access}`);
        const obj = member(e.obj, this.expr(e.obj, "optional chain object"));
        switch (e.access) {
          case "property":
            return `${obj}?.v`;
          case "element":
            return `${obj}?.[${this.expr(e.key, "optional chain key")}]`;
          case "call":
            return `${obj}?.m(${e.args.map((arg) => this.expr(arg, "optional call argument")).join(", ")})`;
        }
      }
      default: {
        const unknown: never = e;
        throw new Error(`unknown expression ${JSON.stringify(unknown)}`);
      }
    }
  }

  private target(target: Target): string {
    switch (target.k) {
      case "local":
        return this.writableLocals[target.pick % this.writableLocals.length];
      case "global":
        this.helpers.add("g");
        return "g.v";
      case "element":
        this.helpers.add("g");
        return `g[${this.expr(target.key, "assigned element key")}]`;
    }
  }

  /** `(async (p1) => { ... return R; })(ARG)`: its own jump frames, the outer bindings in scope. */
  private asyncArrow(e: Extract<Expr, { k: "asyncArrow" }>): string {
    const arg = this.expr(e.arg, "async arrow argument");
    return this.closure("(async (P) => {", "async", e.body, e.result, arg);
  }

  /** A function written inline and called at once: `head` (with `P` for its parameter), the body
   *  with its own jump frames and the outer bindings in scope, `return R;`, `})(ARG)`. */
  private closure(head: string, kind: FnKind, stmts: Stmt[], resultExpr: Expr, arg: string): string {
    const param = this.next("p");
    return this.inlineFunction(head.replace("P", param), kind, [param], [], stmts, () => this.expr(resultExpr, "return"), arg);
  }

  /** `head`, the `prefix` lines, the statements, `return <result()>;`, `})(ARG)`: a function of
   *  `kind` written inline and called at once, `params` readable inside. */
  private inlineFunction(head: string, kind: FnKind, params: string[], prefix: string[], stmts: Stmt[], result: () => string, arg: string): string {
    const saved = { frames: this.frames, scope: this.scope.length, ctx: this.ctx, inFinally: this.inFinally };
    this.frames = [];
    this.ctx = kind;
    this.inFinally = 0;
    this.scope.push(...params);
    const pad = "  ".repeat(this.depth);
    const body = this.block(stmts).map((line) => pad + line);
    const resultText = result();
    this.scope.length = saved.scope;
    this.frames = saved.frames;
    this.ctx = saved.ctx;
    this.inFinally = saved.inFinally;
    return [head, ...prefix.map((line) => `${pad}  ${line}`), ...body, `${pad}  return ${resultText};`, `${pad}})(${arg})`].join("\n");
  }

  /** `(await X)`, or `(yield X)` in a sync generator (where there is no await). */
  private suspendText(operand: string): string {
    return this.ctx === "generator" ? `(yield ${operand})` : `(await ${operand})`;
  }

  /**
   * A `Source` as text, for a consumer that takes any iterable (`any`: `for await`, `yield*` in an
   * async generator, a driving statement) or sync ones only (`sync`: an async choice becomes its
   * sync twin). `position` names where its expressions stand.
   */
  private sourceText(src: Source, accepts: "sync" | "any", position: string): PrintedSource {
    switch (src.k) {
      case "array":
        return { text: `[${src.items.map((item) => this.expr(item, `${position} array item`)).join(", ")}]`, async: false, what: "array" };
      case "call": {
        const arg = this.expr(src.arg, "generator call argument");
        const later = this.source.fns.map((fn, index) => ({ kind: fn.kind, index })).filter(({ index }) => index > this.fnIndex);
        const wanted: FnKind = src.async && accepts === "any" ? "asyncGenerator" : "generator";
        let candidates = later.filter(({ kind }) => kind === wanted);
        if (candidates.length === 0 && accepts === "any") candidates = later.filter(({ kind }) => kind !== "async");
        if (candidates.length === 0) return { text: `[${arg}]`, async: false, what: "array" };
        const { kind, index } = candidates[src.pick % candidates.length];
        this.callsBetweenFunctions = true;
        const text = this.callText(index, `t + "/f${index}"`, arg);
        return kind === "asyncGenerator" ? { text, async: true, what: "async generator" } : { text, async: false, what: "generator" };
      }
      case "closure": {
        const async = src.async && accepts === "any";
        const arg = this.expr(src.arg, "generator closure argument");
        const text = this.closure(async ? "(async function* (P) {" : "(function* (P) {", async ? "asyncGenerator" : "generator", src.body, src.result, arg);
        return { text, async, what: async ? "async generator closure" : "generator closure" };
      }
      case "iterator": {
        const async = src.async && accepts === "any";
        const helper = async ? "aiter" : "iter";
        this.helpers.add(helper);
        const kind = src.kind === "returnThrows" && this.workarounds.has("iterator-close-throws") ? "full" : src.kind;
        return { text: `${helper}("${this.next("I")}", ${src.n}, "${kind}")`, async, what: `${async ? "async " : ""}iterator ${kind}` };
      }
    }
  }

  /** The binding `pick` names among those in scope, innermost first. */
  private read(pick: number): string {
    if (this.scope.length === 0) return "undefined";
    return this.scope[this.scope.length - 1 - (pick % this.scope.length)];
  }

  private next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}${n}`;
  }

  private count(form: string): void {
    this.coverage.set(form, (this.coverage.get(form) ?? 0) + 1);
  }
}

/** Names a sloppy script may bind and strict code (a class body) may not (issue 13, item 2). */
const SLOPPY_NAMES = ["arguments", "eval", "let", "static", "yield", "implements", "interface", "package", "private", "protected", "public"];

/** Whether printing `fn` may bind a sloppy-only name (feature `sloppy-names`). */
function usesSloppyNames(fn: Fn): boolean {
  return fn.sloppyParam != null || JSON.stringify(fn.body).includes('"k":"sloppyLocal"') || JSON.stringify([fn.local, fn.result]).includes('"k":"sloppyLocal"');
}

const KIND_NAMES: Record<FnKind, string> = { async: "async", generator: "generator", asyncGenerator: "async-generator" };

/** Where a function checks its fuel; removed when no function calls another. */
const FUEL_CHECK = "\u0000fuel check\u0000";

/** An object expression ready for `.name` after it (`1.m` would not parse). */
function member(e: Expr, text: string): string {
  return e.k === "num" ? `(${text})` : text;
}

function indent(lines: string[]): string[] {
  return lines.map((line) => "  " + line);
}

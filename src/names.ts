/**
 * The one authority for every name the lowering makes up (Roslyn's GeneratedNames is the model).
 *
 * - Machinery starts with `$`: `$state`, `$awaitee`, `$this`, temporaries named for their role
 *   (`$left1`, `$callee2`, `$iter1`), environments of captured variables (`$env1`).
 * - The user's names stay as written; a second binding of the same name in one machine becomes
 *   `name$2`, a third `name$3`.
 * - A name already used anywhere in the file is never made up again, so user code that happens
 *   to say `$left1` keeps working.
 */
import ts from "typescript";

/** Fixed machinery members of every machine (see runtime/machine.ts). */
export const MACHINE = {
  state: "$state",
  /** Future mode: the future an async function's machine is suspended on. */
  awaitee: "$awaitee",
  poll: "poll",
  /** A generator machine's method: `resume(how, sent)`. */
  resume: "resume",
  how: "how",
  sent: "sent",
  /** An async generator machine's operand for the function around (runtime asyncGenerator.ts). */
  out: "$out",
  /** An async generator machine's check, on a jump out of finally blocks, for returns to drop. */
  dropsTaken: "$dropsTaken",
  /** The state a jump out of a kept try chose, held while its finally runs. */
  stateAfter: "$stateAfter",
  thisValue: "$this",
  argumentsObject: "$arguments",
  /**
   * The arrows an environment object reads and writes a parameter named `arguments` through: an
   * accessor's own body would see its own arguments object (pipeline.ts, hygiene/fuzzfix-arguments-parameter-env).
   */
  envArgumentsGet: "$getArguments",
  envArgumentsSet: "$setArguments",
  superAccess: "$super",
  newTarget: "$newTarget",
  layout: "$layout",
  /** The static idle instance that keeps the machine's engine shape alive (runtime keepShape). */
  shape: "$shape",
  pollAfterEnd: "$pollAfterEnd",
  poison: "$poison",
  /** The runtime's completion of a machine: `return this.$done(value)`. */
  done: "$done",
  /** The label of poll's loop, for a jump from inside a nested statement: `continue $poll`. */
  pollLabel: "$poll",
  /** The name the runtime is reached by in generated code. */
  runtime: "$rt",
  /** poll's parameter. */
  context: "cx",
  /** Future mode: the result of polling the awaitee, inside a resume state. */
  pollResult: "$result",
  /** The exception caught by poll's catch block. */
  caught: "$error",
  /** The exception on its way to a catch state of the machine. */
  caughtCopy: "$caught",
} as const;

/** Names in the body of the generator function around a generator's machine (emit/generatorShell.ts). */
export const SHELL = {
  machine: "$machine",
  how: "$how",
  sent: "$sent",
  signal: "$signal",
  /** Set while the engine may be taking a return at the suspension just performed. */
  taken: "$taken",
  error: "$error",
  /** Label of each level loop: `$level1`, `$level2`, ... */
  level: "$level",
} as const;

/**
 * Names a sloppy script may bind that strict code may not (`eval`, `arguments`, and the words
 * reserved only in strict code). A machine's class body is strict code, and poll declares its
 * locals with `let`, which may not bind `let` even in sloppy code: a user binding of one of these
 * names is renamed where the machine declares it (`let$2`), and keeps its name as a field
 * (`this.let`), since property names may be any word.
 * (fixtures hygiene/strict-names-*)
 */
export const STRICT_ONLY_NAMES: ReadonlySet<string> = new Set(["eval", "arguments", "let", "static", "yield", "implements", "interface", "package", "private", "protected", "public"]);

/**
 * The constructor's parameter names for the machine's inputs, in order: `taken` first (the
 * constructor's other parameters), then each input as written, unless strict code forbids the
 * name or an earlier input has it (sloppy duplicate parameters, `function* g(a, a)`): `name$2`.
 *
 *   [source]   function* g(x, arguments, x) { ... }
 *   [lowered]  constructor(x, arguments$2, x$2) { super(); this.x = x; this.arguments = arguments$2; this.x = x$2; }
 */
export function constructorParameterNames(taken: readonly string[], inputs: readonly string[]): string[] {
  const used = new Set([...taken, ...STRICT_ONLY_NAMES]);
  return inputs.map((name) => claimFirstFree(name, used));
}

/**
 * A parameter of a small generated function (`(v) => { x = v; }`): `base`, unless the function's
 * body names it already (`base$2`).
 */
export function nameBeside(base: string, bodyNames: Iterable<string>): string {
  return claimFirstFree(base, new Set(bodyNames));
}

/** Roles of temporaries the normalizer introduces; each reads as what it holds. */
export type TempRole =
  | "left" // left operand evaluated before an await on the right
  | "callee"
  | "receiver" // `this` of a method call whose arguments await
  | "arg"
  | "object"
  | "key"
  | "value"
  | "awaited" // the result of an await used inside a larger expression
  | "sent" // the value a `yield` inside a larger expression receives from next(v)
  | "delegated" // the value of a `yield*` used inside a larger expression
  | "next" // the awaited result of an async iterator's next()
  | "closing" // what an async iterator's return() gave, to await
  | "returned" // that, awaited
  | "class" // the own name of an anonymous class whose lowered methods use private names
  | "cond"
  | "spread"
  | "element"
  | "result"
  | "discriminant"
  | "clause"
  | "iter"
  | "keys"
  | "caught"
  | "completion"
  | "env"
  | "template"
  | "base"
  | "param"
  | "using" // the resources of a block's `using` declarations, disposed when it ends
  | "usingError"; // the block's exception, handed to them

/** Collects every identifier text in a file: names the generator must not reuse. */
export function identifiersIn(node: ts.Node, into = new Set<string>()): Set<string> {
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) into.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(node);
  return into;
}

/**
 * The name generated code reaches the runtime by: `$rt`, unless the file itself names `$rt` (its own
 * `var $rt = 1` must not meet the runtime), then `$rt$2`, `$rt$3`, ...
 * (fixtures/hygiene/cli-user-named-rt.ts).
 */
export function runtimeNameIn(usedInFile: ReadonlySet<string>): string {
  if (!usedInFile.has(MACHINE.runtime)) return MACHINE.runtime;
  for (let n = 2; ; n++) if (!usedInFile.has(`${MACHINE.runtime}$${n}`)) return `${MACHINE.runtime}$${n}`;
}

export class NameAuthority {
  private readonly counters = new Map<string, number>();
  private readonly taken: Set<string>;

  constructor(usedInFile: ReadonlySet<string>) {
    this.taken = new Set(usedInFile);
  }

  /** The names taken so far: a new authority for one machine starts from them. */
  snapshot(): Set<string> {
    return new Set(this.taken);
  }

  /** A fresh temporary: `$left1`, `$left2`, ... */
  temp(role: TempRole): string {
    for (;;) {
      const n = (this.counters.get(role) ?? 0) + 1;
      this.counters.set(role, n);
      const name = `$${role}${n}`;
      if (!this.taken.has(name)) {
        this.taken.add(name);
        return name;
      }
    }
  }

  /** The class of the machine for a function called `fnName`: `total$Future`, `count$Generator`. */
  machineClass(fnName: string, kind: "async" | "generator" | "asyncGenerator" = "async"): string {
    return this.unique(`${sanitize(fnName)}$${kind === "async" ? "Future" : kind === "generator" ? "Generator" : "AsyncGenerator"}`);
  }

  /** A name that is not yet taken, starting from `base`. */
  unique(base: string): string {
    return claimFirstFree(base, this.taken);
  }
}

/**
 * Field names inside one machine: the user's name, then `name$2`, `name$3` for shadowed ones.
 * Field names live in the machine's own namespace (`this.x`), so only collisions with other
 * fields and the machinery members matter.
 */
/**
 * Methods a machine inherits (runtime machine.ts, coroutine.ts) that no field may shadow: a
 * future-mode machine is handed to the program, which may `await` it (`then`), drop it, or poll it.
 */
const INHERITED_MEMBERS = ["constructor", "poll", "resume", "drop", "then", "catch", "finally", "$promise"];

export class FieldNames {
  private readonly used = new Set<string>([...Object.values(MACHINE), ...INHERITED_MEMBERS]);

  claim(base: string): string {
    return claimFirstFree(base, this.used);
  }

  /** Marks a name as not available (a name the code reads from outside), without taking a variant. */
  reserve(name: string): void {
    this.used.add(name);
  }
}

/** `base`, else `base$2`, `base$3`, ...: the first not in `taken`, which then takes it. */
function claimFirstFree(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}$${i}`;
  taken.add(name);
  return name;
}

function sanitize(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned || "anonymous";
}
